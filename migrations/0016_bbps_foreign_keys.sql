-- Bill Payments rows belong to a company, and a utility payment to its company biller. Re-runnable.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['bbps_settings', 'bbps_company_billers', 'bbps_utility_payments'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_' || t || '_company') THEN
      EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (company_id) REFERENCES companies (id)', t, 'fk_' || t || '_company');
    END IF;
  END LOOP;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_bbps_utility_payments_company_biller') THEN
    ALTER TABLE bbps_utility_payments ADD CONSTRAINT fk_bbps_utility_payments_company_biller FOREIGN KEY (company_biller_id) REFERENCES bbps_company_billers (id);
  END IF;
END $$;
