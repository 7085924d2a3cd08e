CREATE TABLE "gateway_payment_button_orders" (
	"company_id" text NOT NULL,
	"order_id" text NOT NULL,
	"button_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pk_gateway_payment_button_orders" PRIMARY KEY("company_id","order_id")
);
--> statement-breakpoint
CREATE TABLE "gateway_payment_buttons" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"access_key" text,
	"title" text NOT NULL,
	"description" text,
	"amount_type" text NOT NULL,
	"amount_paise" bigint,
	"min_amount_paise" bigint,
	"max_amount_paise" bigint,
	"fields" jsonb NOT NULL,
	"notify_url" text,
	"return_url" text,
	"button_label" text NOT NULL,
	"button_color" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_gateway_payment_buttons_status" CHECK ("gateway_payment_buttons"."status" in ('ACTIVE', 'INACTIVE')),
	CONSTRAINT "ck_gateway_payment_buttons_amount_type" CHECK ("gateway_payment_buttons"."amount_type" in ('FIXED', 'PAYER_ENTERED')),
	CONSTRAINT "ck_gateway_payment_buttons_amounts" CHECK (("gateway_payment_buttons"."amount_type" = 'FIXED' and "gateway_payment_buttons"."amount_paise" > 0 and "gateway_payment_buttons"."min_amount_paise" is null and "gateway_payment_buttons"."max_amount_paise" is null)
        or ("gateway_payment_buttons"."amount_type" = 'PAYER_ENTERED' and "gateway_payment_buttons"."amount_paise" is null and coalesce("gateway_payment_buttons"."min_amount_paise", 1) > 0
            and coalesce("gateway_payment_buttons"."min_amount_paise", 1) <= coalesce("gateway_payment_buttons"."max_amount_paise", "gateway_payment_buttons"."min_amount_paise", 1)))
);
--> statement-breakpoint
CREATE INDEX "ix_gateway_payment_button_orders_button" ON "gateway_payment_button_orders" USING btree ("company_id","button_id");--> statement-breakpoint
CREATE INDEX "ix_gateway_payment_buttons_company_created" ON "gateway_payment_buttons" USING btree ("company_id","created_at");