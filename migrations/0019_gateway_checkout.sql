CREATE TABLE "gateway_checkout_customers" (
	"transaction_id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"order_id" text NOT NULL,
	"email" text,
	"mobile" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_gateway_checkout_customers_mobile" CHECK ("gateway_checkout_customers"."mobile" is null or "gateway_checkout_customers"."mobile" ~ '^[6-9][0-9]{9}$')
);
--> statement-breakpoint
CREATE INDEX "ix_gateway_checkout_customers_company_order" ON "gateway_checkout_customers" USING btree ("company_id","order_id","updated_at");