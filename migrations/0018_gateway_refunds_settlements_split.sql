CREATE TABLE "gateway_refunds" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"payment_id" text NOT NULL,
	"order_id" text NOT NULL,
	"request_id" text NOT NULL,
	"amount_paise" bigint NOT NULL,
	"remarks" text,
	"status" text NOT NULL,
	"payment_mode" text NOT NULL,
	"rail" text NOT NULL,
	"bank_code" text,
	"bank_name" text,
	"unique_transaction_id" text NOT NULL,
	"bank_transaction_id" text,
	"txn_msg" text NOT NULL,
	"failure_reason" text,
	"scenario" text NOT NULL,
	"ledger_transaction_id" text NOT NULL,
	"settlement_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "uq_gateway_refunds_company_request_id" UNIQUE("company_id","request_id"),
	CONSTRAINT "ck_gateway_refunds_status" CHECK ("gateway_refunds"."status" in ('CREATED', 'SUCCESS', 'FAILED')),
	CONSTRAINT "ck_gateway_refunds_amount" CHECK ("gateway_refunds"."amount_paise" > 0)
);
--> statement-breakpoint
CREATE TABLE "gateway_settlement_lines" (
	"company_id" text NOT NULL,
	"settlement_id" text NOT NULL,
	"beneficiary" text NOT NULL,
	"kind" text NOT NULL,
	"reference_id" text NOT NULL,
	"amount_paise" bigint NOT NULL,
	"mdr_paise" bigint NOT NULL,
	"mdr_gst_paise" bigint NOT NULL,
	CONSTRAINT "uq_gateway_settlement_lines_company_kind_reference" UNIQUE("company_id","beneficiary","kind","reference_id"),
	CONSTRAINT "ck_gateway_settlement_lines_kind" CHECK ("gateway_settlement_lines"."kind" in ('PAYMENT', 'SPLIT_SHARE', 'REFUND'))
);
--> statement-breakpoint
CREATE TABLE "gateway_settlements" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"batch_date" text NOT NULL,
	"beneficiary" text NOT NULL,
	"cutoff_at" timestamp with time zone NOT NULL,
	"total_sale_paise" bigint NOT NULL,
	"split_paise" bigint NOT NULL,
	"total_refund_paise" bigint NOT NULL,
	"refund_chargeback_paise" bigint NOT NULL,
	"total_charges_paise" bigint NOT NULL,
	"total_gst_paise" bigint NOT NULL,
	"adjustment_paise" bigint NOT NULL,
	"carry_forward_paise" bigint NOT NULL,
	"total_settlement_paise" bigint NOT NULL,
	"transaction_count" integer NOT NULL,
	"refund_count" integer NOT NULL,
	"payout_status" text NOT NULL,
	"account_number" text NOT NULL,
	"ifsc" text NOT NULL,
	"transfer_mode" text,
	"utr" text,
	"failure_reason" text,
	"payout_ledger_transaction_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uq_gateway_settlements_company_batch_beneficiary" UNIQUE("company_id","batch_date","beneficiary"),
	CONSTRAINT "ck_gateway_settlements_payout_status" CHECK ("gateway_settlements"."payout_status" in ('INIT', 'PROCESSING', 'SUCCESS', 'FAILED')),
	CONSTRAINT "ck_gateway_settlements_amounts" CHECK ("gateway_settlements"."total_sale_paise" >= 0 and "gateway_settlements"."split_paise" >= 0 and "gateway_settlements"."total_refund_paise" >= 0 and "gateway_settlements"."total_charges_paise" >= 0 and "gateway_settlements"."total_gst_paise" >= 0 and "gateway_settlements"."adjustment_paise" >= 0 and "gateway_settlements"."carry_forward_paise" >= 0 and "gateway_settlements"."total_settlement_paise" >= 0),
	CONSTRAINT "ck_gateway_settlements_identity" CHECK ("gateway_settlements"."total_settlement_paise" - "gateway_settlements"."carry_forward_paise" = "gateway_settlements"."total_sale_paise" - "gateway_settlements"."split_paise" - "gateway_settlements"."total_refund_paise" - "gateway_settlements"."total_charges_paise" - "gateway_settlements"."total_gst_paise" - "gateway_settlements"."adjustment_paise")
);
--> statement-breakpoint
CREATE TABLE "gateway_settlement_deferrals" (
	"company_id" text NOT NULL,
	"transaction_id" text NOT NULL,
	"deferred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pk_gateway_settlement_deferrals" PRIMARY KEY("company_id","transaction_id")
);
--> statement-breakpoint
CREATE TABLE "gateway_split_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"name" text NOT NULL,
	"account_number" text NOT NULL,
	"ifsc" text NOT NULL,
	"email" text,
	"mobile" text,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uq_gateway_split_accounts_company_bank_account" UNIQUE("company_id","account_number","ifsc"),
	CONSTRAINT "ck_gateway_split_accounts_status" CHECK ("gateway_split_accounts"."status" in ('ACTIVE', 'INACTIVE')),
	CONSTRAINT "ck_gateway_split_accounts_ifsc" CHECK ("gateway_split_accounts"."ifsc" ~ '^[A-Z]{4}0[A-Z0-9]{6}$'),
	CONSTRAINT "ck_gateway_split_accounts_account_number" CHECK ("gateway_split_accounts"."account_number" ~ '^[0-9]{9,18}$')
);
--> statement-breakpoint
CREATE INDEX "ix_gateway_refunds_company_payment" ON "gateway_refunds" USING btree ("company_id","payment_id");--> statement-breakpoint
CREATE INDEX "ix_gateway_refunds_company_unsettled" ON "gateway_refunds" USING btree ("company_id","status") WHERE "gateway_refunds"."settlement_id" is null;--> statement-breakpoint
CREATE INDEX "ix_gateway_settlement_lines_settlement" ON "gateway_settlement_lines" USING btree ("company_id","settlement_id");--> statement-breakpoint
CREATE INDEX "ix_gateway_settlements_company_created" ON "gateway_settlements" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "ix_gateway_split_accounts_company_created" ON "gateway_split_accounts" USING btree ("company_id","created_at");