CREATE TABLE "gateway_mandate_debits" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"mandate_id" text NOT NULL,
	"notification_id" text NOT NULL,
	"cycle" integer NOT NULL,
	"reference_id" text NOT NULL,
	"amount_paise" bigint NOT NULL,
	"status" text NOT NULL,
	"order_id" text,
	"transaction_id" text,
	"bank_transaction_id" text,
	"reason_code" text,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "uq_gateway_mandate_debits_company_reference_id" UNIQUE("company_id","reference_id"),
	CONSTRAINT "ck_gateway_mandate_debits_status" CHECK ("gateway_mandate_debits"."status" in ('PENDING', 'SUCCESS', 'FAILED'))
);
--> statement-breakpoint
CREATE TABLE "gateway_mandate_notifications" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"mandate_id" text NOT NULL,
	"cycle" integer NOT NULL,
	"amount_paise" bigint NOT NULL,
	"execution_at" timestamp with time zone NOT NULL,
	"message" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_gateway_mandate_notifications_amount" CHECK ("gateway_mandate_notifications"."amount_paise" > 0)
);
--> statement-breakpoint
CREATE TABLE "gateway_mandates" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"reference_id" text NOT NULL,
	"umn" text,
	"status" text NOT NULL,
	"amount_paise" bigint NOT NULL,
	"amount_rule" text NOT NULL,
	"mandate_name" text NOT NULL,
	"description" text,
	"payer_name" text,
	"payer_vpa" text NOT NULL,
	"payer_account" text,
	"payer_account_validation" boolean NOT NULL,
	"payee_vpa" text NOT NULL,
	"payee_name" text NOT NULL,
	"payee_mcc" text NOT NULL,
	"block_fund" boolean NOT NULL,
	"revokeable_by_payer" boolean NOT NULL,
	"recurrence_period" text NOT NULL,
	"recurrence_rule" text,
	"recurrence_value" integer,
	"validity_start_at" timestamp with time zone NOT NULL,
	"validity_end_at" timestamp with time zone NOT NULL,
	"expire_at" timestamp with time zone NOT NULL,
	"pause_start_at" timestamp with time zone,
	"pause_end_at" timestamp with time zone,
	"upi_reference_url" text,
	"notify_url" text,
	"reason_code" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uq_gateway_mandates_company_reference_id" UNIQUE("company_id","reference_id"),
	CONSTRAINT "ck_gateway_mandates_status" CHECK ("gateway_mandates"."status" in ('CREATED', 'ACTIVE', 'REJECTED', 'EXPIRED', 'PAUSED', 'REVOKED', 'COMPLETED')),
	CONSTRAINT "ck_gateway_mandates_amount" CHECK ("gateway_mandates"."amount_paise" > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "uq_gateway_mandate_debits_cycle" ON "gateway_mandate_debits" USING btree ("company_id","mandate_id","cycle") WHERE "gateway_mandate_debits"."status" <> 'FAILED';--> statement-breakpoint
CREATE INDEX "ix_gateway_mandate_debits_company_mandate" ON "gateway_mandate_debits" USING btree ("company_id","mandate_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_gateway_mandate_notifications_cycle" ON "gateway_mandate_notifications" USING btree ("company_id","mandate_id","cycle");