-- Custom SQL: every payout row belongs to an existing company (the tables are declared in
-- src/products/payouts/tables.ts; core tables are referenced here so that tables.ts imports no
-- other area's tables).
ALTER TABLE "payout_beneficiaries" ADD CONSTRAINT "fk_payout_beneficiaries_company" FOREIGN KEY ("company_id") REFERENCES "companies"("id");--> statement-breakpoint
ALTER TABLE "payout_source_accounts" ADD CONSTRAINT "fk_payout_source_accounts_company" FOREIGN KEY ("company_id") REFERENCES "companies"("id");--> statement-breakpoint
ALTER TABLE "payout_fund_loads" ADD CONSTRAINT "fk_payout_fund_loads_company" FOREIGN KEY ("company_id") REFERENCES "companies"("id");--> statement-breakpoint
ALTER TABLE "payout_batches" ADD CONSTRAINT "fk_payout_batches_company" FOREIGN KEY ("company_id") REFERENCES "companies"("id");--> statement-breakpoint
ALTER TABLE "payout_transfers" ADD CONSTRAINT "fk_payout_transfers_company" FOREIGN KEY ("company_id") REFERENCES "companies"("id");
