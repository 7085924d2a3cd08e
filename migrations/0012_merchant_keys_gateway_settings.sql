CREATE TABLE "merchant_access_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"access_key" text NOT NULL,
	"secret_digest" text NOT NULL,
	"secret_sealed" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "uq_merchant_access_keys_access_key" UNIQUE("access_key"),
	CONSTRAINT "ck_merchant_access_keys_status" CHECK ("merchant_access_keys"."status" in ('ACTIVE', 'REVOKED'))
);
--> statement-breakpoint
CREATE TABLE "merchant_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"token_digest" text NOT NULL,
	"company_id" text NOT NULL,
	"access_key_id" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uq_merchant_tokens_digest" UNIQUE("token_digest")
);
--> statement-breakpoint
CREATE TABLE "gateway_settings" (
	"company_id" text PRIMARY KEY NOT NULL,
	"merchant_name" text,
	"enabled_modes" text[] NOT NULL,
	"fee_rules" jsonb NOT NULL,
	"surcharge_gst_percent" integer NOT NULL,
	"mdr_basis_points" jsonb NOT NULL,
	"mdr_gst_percent" integer NOT NULL,
	"settlement_delay_days" integer NOT NULL,
	"max_payment_attempts" integer NOT NULL,
	"order_expiry_minutes" integer NOT NULL,
	"upi_collect_timeout_minutes" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_gateway_settings_enabled_modes" CHECK (cardinality("gateway_settings"."enabled_modes") > 0),
	CONSTRAINT "ck_gateway_settings_percents" CHECK ("gateway_settings"."surcharge_gst_percent" between 0 and 100 and "gateway_settings"."mdr_gst_percent" between 0 and 100),
	CONSTRAINT "ck_gateway_settings_limits" CHECK ("gateway_settings"."settlement_delay_days" between 0 and 30 and "gateway_settings"."max_payment_attempts" between 1 and 20 and "gateway_settings"."order_expiry_minutes" between 1 and 43200 and "gateway_settings"."upi_collect_timeout_minutes" between 1 and 45)
);
--> statement-breakpoint
ALTER TABLE "merchant_access_keys" ADD CONSTRAINT "fk_merchant_access_keys_company" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchant_tokens" ADD CONSTRAINT "fk_merchant_tokens_access_key" FOREIGN KEY ("access_key_id") REFERENCES "public"."merchant_access_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway_settings" ADD CONSTRAINT "fk_gateway_settings_company" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ix_merchant_access_keys_company" ON "merchant_access_keys" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "ix_merchant_tokens_expires_at" ON "merchant_tokens" USING btree ("expires_at");