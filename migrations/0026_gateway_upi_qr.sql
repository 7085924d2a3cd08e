CREATE TABLE "gateway_qr_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"customer_id" text,
	"qr_type" text NOT NULL,
	"amount_paise" bigint,
	"description" text,
	"close_by" timestamp with time zone,
	"notify_url" text,
	"reference_id" text,
	"access_key" text,
	"qr_string" text NOT NULL,
	"status" text NOT NULL,
	"close_reason" text,
	"payments_count" integer DEFAULT 0 NOT NULL,
	"amount_received_paise" bigint DEFAULT 0 NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uq_gateway_qr_codes_company_reference_id" UNIQUE("company_id","reference_id"),
	CONSTRAINT "ck_gateway_qr_codes_type" CHECK ("gateway_qr_codes"."qr_type" in ('STATIC', 'DYNAMIC')),
	CONSTRAINT "ck_gateway_qr_codes_status" CHECK ("gateway_qr_codes"."status" in ('ACTIVE', 'CLOSED')),
	CONSTRAINT "ck_gateway_qr_codes_close_reason" CHECK (("gateway_qr_codes"."status" = 'CLOSED') = ("gateway_qr_codes"."close_reason" is not null)),
	CONSTRAINT "ck_gateway_qr_codes_amount" CHECK ("gateway_qr_codes"."amount_paise" is null or "gateway_qr_codes"."amount_paise" > 0),
	CONSTRAINT "ck_gateway_qr_codes_dynamic_amount" CHECK ("gateway_qr_codes"."qr_type" = 'STATIC' or "gateway_qr_codes"."amount_paise" is not null)
);
--> statement-breakpoint
CREATE TABLE "gateway_qr_customers" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"mobile" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway_qr_payments" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"qr_code_id" text NOT NULL,
	"order_id" text,
	"transaction_id" text,
	"payer_vpa" text NOT NULL,
	"amount_paise" bigint NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_gateway_qr_payments_status" CHECK ("gateway_qr_payments"."status" in ('PROCESSING', 'SUCCESS', 'FAILED')),
	CONSTRAINT "ck_gateway_qr_payments_amount" CHECK ("gateway_qr_payments"."amount_paise" > 0)
);
--> statement-breakpoint
CREATE INDEX "ix_gateway_qr_codes_company_created" ON "gateway_qr_codes" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "ix_gateway_qr_customers_company_created" ON "gateway_qr_customers" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "ix_gateway_qr_payments_company_qr" ON "gateway_qr_payments" USING btree ("company_id","qr_code_id","created_at");--> statement-breakpoint
CREATE INDEX "ix_gateway_qr_payments_company_order" ON "gateway_qr_payments" USING btree ("company_id","order_id");