ALTER TABLE "gateway_orders" ADD COLUMN "origin_kind" text DEFAULT 'API' NOT NULL;--> statement-breakpoint
ALTER TABLE "gateway_orders" ADD COLUMN "origin_id" text;--> statement-breakpoint
ALTER TABLE "gateway_orders" ADD CONSTRAINT "ck_gateway_orders_origin_kind" CHECK ("gateway_orders"."origin_kind" in ('API', 'LINK', 'QR', 'BUTTON', 'MANDATE'));--> statement-breakpoint
UPDATE "gateway_orders" o SET "origin_kind" = 'LINK', "origin_id" = l."link_id" FROM "gateway_payment_link_orders" l WHERE l."company_id" = o."company_id" AND l."order_id" = o."id";--> statement-breakpoint
UPDATE "gateway_orders" o SET "origin_kind" = 'QR', "origin_id" = q."qr_code_id" FROM "gateway_qr_payments" q WHERE q."company_id" = o."company_id" AND q."order_id" = o."id";--> statement-breakpoint
UPDATE "gateway_orders" o SET "origin_kind" = 'BUTTON', "origin_id" = b."button_id" FROM "gateway_payment_button_orders" b WHERE b."company_id" = o."company_id" AND b."order_id" = o."id";--> statement-breakpoint
UPDATE "gateway_orders" o SET "origin_kind" = 'MANDATE', "origin_id" = d."id" FROM "gateway_mandate_debits" d WHERE d."company_id" = o."company_id" AND d."order_id" = o."id";
