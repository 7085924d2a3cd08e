CREATE TABLE "gateway_payment_link_orders" (
	"order_id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"link_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"amount_paise" bigint NOT NULL,
	"status" text NOT NULL,
	"transaction_id" text,
	"payment_mode" text,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uq_gateway_payment_link_orders_link_sequence" UNIQUE("company_id","link_id","sequence"),
	CONSTRAINT "ck_gateway_payment_link_orders_status" CHECK ("gateway_payment_link_orders"."status" in ('OPEN', 'PAID', 'CANCELLED'))
);
--> statement-breakpoint
CREATE TABLE "gateway_payment_links" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"reference_id" text,
	"access_key" text,
	"amount_paise" bigint NOT NULL,
	"amount_paid_paise" bigint DEFAULT 0 NOT NULL,
	"partial_payment" boolean NOT NULL,
	"min_partial_paise" bigint,
	"customer_name" text,
	"customer_email" text,
	"customer_mobile" text,
	"description" text,
	"notify_url" text,
	"send_sms" boolean NOT NULL,
	"send_email" boolean NOT NULL,
	"payment_link" text NOT NULL,
	"status" text NOT NULL,
	"due_date" timestamp with time zone,
	"expiry_date" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uq_gateway_payment_links_company_reference_id" UNIQUE("company_id","reference_id"),
	CONSTRAINT "ck_gateway_payment_links_status" CHECK ("gateway_payment_links"."status" in ('ACTIVE', 'PARTIALLY_PAID', 'PAID', 'EXPIRED', 'CANCELLED')),
	CONSTRAINT "ck_gateway_payment_links_amount" CHECK ("gateway_payment_links"."amount_paise" > 0 and "gateway_payment_links"."amount_paid_paise" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sandbox_notices" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"channel" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text,
	"body" text NOT NULL,
	"related_type" text NOT NULL,
	"related_id" text NOT NULL,
	"template" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_sandbox_notices_channel" CHECK ("sandbox_notices"."channel" in ('SMS', 'EMAIL'))
);
--> statement-breakpoint
CREATE INDEX "ix_gateway_payment_links_company_created" ON "gateway_payment_links" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "ix_sandbox_notices_company_created" ON "sandbox_notices" USING btree ("company_id","created_at","id");--> statement-breakpoint
CREATE INDEX "ix_sandbox_notices_company_related" ON "sandbox_notices" USING btree ("company_id","related_id");