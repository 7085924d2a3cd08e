-- The card rail's sessions belong to a company. The foreign key lives in SQL because rails never
-- import the identity module (src/rails/** stays independent of auth). Re-runnable.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_rail_card_authentications_company') THEN
    ALTER TABLE rail_card_authentications
      ADD CONSTRAINT fk_rail_card_authentications_company FOREIGN KEY (company_id) REFERENCES companies (id);
  END IF;
END $$;
