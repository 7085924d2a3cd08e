-- Idempotency records belong to a company. The constraint lives here because the kernel's tables.ts
-- (src/core/idempotency) does not import the identity module's tables. Self-contained and re-runnable.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_idempotency_keys_company') THEN
    ALTER TABLE "idempotency_keys"
      ADD CONSTRAINT "fk_idempotency_keys_company" FOREIGN KEY ("company_id") REFERENCES "companies" ("id");
  END IF;
END $$;
