-- The events tables belong to a company. Their foreign keys to companies live in SQL because the
-- kernel's tables.ts (src/core/**) never imports the identity module. Re-runnable.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['events', 'webhook_endpoints', 'webhook_notify_secrets', 'webhook_deliveries', 'webhook_attempts'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_' || t || '_company') THEN
      EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (company_id) REFERENCES companies (id)', t, 'fk_' || t || '_company');
    END IF;
  END LOOP;
END $$;
