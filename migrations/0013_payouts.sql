CREATE TABLE "payout_batches" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"batch_transaction_id" text NOT NULL,
	"transfer_count" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uq_payout_batches_company_batch" UNIQUE("company_id","batch_transaction_id")
);
--> statement-breakpoint
CREATE TABLE "payout_beneficiaries" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"beneficiary_id" text NOT NULL,
	"beneficiary_name" text NOT NULL,
	"account_number" text,
	"ifsc" text,
	"vpa" text,
	"email" text,
	"phone" text,
	"address" text,
	"city" text,
	"state" text,
	"pincode" text,
	"created_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "ck_payout_beneficiaries_destination" CHECK (("payout_beneficiaries"."account_number" is not null and "payout_beneficiaries"."ifsc" is not null and "payout_beneficiaries"."vpa" is null) or ("payout_beneficiaries"."account_number" is null and "payout_beneficiaries"."ifsc" is null and "payout_beneficiaries"."vpa" is not null))
);
--> statement-breakpoint
CREATE TABLE "payout_fund_loads" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"amount_paise" bigint NOT NULL,
	"source_account_number" text,
	"utr" text NOT NULL,
	"reference" text,
	"ledger_transaction_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_payout_fund_loads_amount" CHECK ("payout_fund_loads"."amount_paise" > 0)
);
--> statement-breakpoint
CREATE TABLE "payout_source_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"account_number" text NOT NULL,
	"ifsc" text NOT NULL,
	"account_holder_name" text NOT NULL,
	"bank_name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uq_payout_source_accounts_company_account" UNIQUE("company_id","account_number")
);
--> statement-breakpoint
CREATE TABLE "payout_transfers" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"transaction_id" text NOT NULL,
	"batch_transaction_id" text,
	"beneficiary_id" text,
	"beneficiary_name" text,
	"account_number" text,
	"ifsc" text,
	"vpa" text,
	"amount_paise" bigint NOT NULL,
	"transfer_mode" text NOT NULL,
	"transfer_remark" text,
	"reference" text,
	"fund_source_id" text,
	"debit_account_number" text,
	"status" text NOT NULL,
	"status_code" text,
	"status_message" text,
	"utr" text,
	"hold_id" text,
	"scenario" text,
	"last_outcome_sequence" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_payout_transfers_status" CHECK ("payout_transfers"."status" in ('PENDING', 'REJECTED', 'PROCESSING', 'SUCCESS', 'FAILED', 'REVERSED')),
	CONSTRAINT "ck_payout_transfers_mode" CHECK ("payout_transfers"."status" = 'REJECTED' or "payout_transfers"."transfer_mode" in ('IMPS', 'NEFT', 'RTGS', 'UPI')),
	CONSTRAINT "ck_payout_transfers_amount" CHECK ("payout_transfers"."amount_paise" > 0)
);
--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "payout_checksum" text DEFAULT 'off' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "uq_payout_beneficiaries_company_beneficiary" ON "payout_beneficiaries" USING btree ("company_id","beneficiary_id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "ix_payout_beneficiaries_company_created" ON "payout_beneficiaries" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "ix_payout_fund_loads_company_created" ON "payout_fund_loads" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_payout_transfers_company_transaction" ON "payout_transfers" USING btree ("company_id","transaction_id") WHERE status <> 'REJECTED';--> statement-breakpoint
CREATE INDEX "ix_payout_transfers_company_created" ON "payout_transfers" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "ix_payout_transfers_company_batch" ON "payout_transfers" USING btree ("company_id","batch_transaction_id");--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD CONSTRAINT "ck_oauth_clients_payout_checksum" CHECK ("oauth_clients"."payout_checksum" in ('off', 'lenient', 'strict'));