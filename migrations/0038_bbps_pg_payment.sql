ALTER TABLE "bbps_utility_payments" DROP CONSTRAINT "ck_bbps_utility_payments_payment";--> statement-breakpoint
ALTER TABLE "gateway_orders" DROP CONSTRAINT "ck_gateway_orders_origin_kind";--> statement-breakpoint
ALTER TABLE "bbps_utility_payments" ADD COLUMN "payment_mode" text;--> statement-breakpoint
ALTER TABLE "bbps_utility_payments" ADD COLUMN "pg_order_id" text;--> statement-breakpoint
ALTER TABLE "bbps_utility_payments" ADD COLUMN "pg_transaction_id" text;--> statement-breakpoint
ALTER TABLE "bbps_utility_payments" ADD COLUMN "pg_refund_id" text;--> statement-breakpoint
CREATE INDEX "ix_bbps_utility_payments_pg_order" ON "bbps_utility_payments" USING btree ("company_id","pg_order_id");--> statement-breakpoint
ALTER TABLE "bbps_utility_payments" ADD CONSTRAINT "ck_bbps_utility_payments_payment" CHECK ("bbps_utility_payments"."payment_status" in ('PENDING', 'INIT', 'IN_PROCESS', 'SUCCESS', 'FAILED', 'EXPIRED', 'CANCELLED', 'REFUNDED'));--> statement-breakpoint
ALTER TABLE "gateway_orders" ADD CONSTRAINT "ck_gateway_orders_origin_kind" CHECK ("gateway_orders"."origin_kind" in ('API', 'LINK', 'QR', 'BUTTON', 'MANDATE', 'BBPS'));