ALTER TABLE "gateway_settings" ADD COLUMN "settlement_account_number" text;--> statement-breakpoint
ALTER TABLE "gateway_settings" ADD COLUMN "settlement_ifsc" text;--> statement-breakpoint
ALTER TABLE "gateway_settings" ADD CONSTRAINT "ck_gateway_settings_settlement_account" CHECK (("gateway_settings"."settlement_account_number" is null) = ("gateway_settings"."settlement_ifsc" is null));