CREATE TABLE "events" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"type" text NOT NULL,
	"body" text NOT NULL,
	"notify_url" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_events_id" CHECK ("events"."id" like 'evt\_%')
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"delivery_id" text NOT NULL,
	"event_id" text NOT NULL,
	"attempt_number" integer NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL,
	"webhook_timestamp" integer NOT NULL,
	"url" text NOT NULL,
	"request_headers" jsonb NOT NULL,
	"request_body" text NOT NULL,
	"outcome" text NOT NULL,
	"response_status" integer,
	"response_body" text,
	"error" text,
	"latency_ms" integer NOT NULL,
	CONSTRAINT "uq_webhook_attempts_delivery_number" UNIQUE("delivery_id","attempt_number"),
	CONSTRAINT "ck_webhook_attempts_outcome" CHECK ("webhook_attempts"."outcome" in ('SUCCEEDED', 'FAILED'))
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"event_id" text NOT NULL,
	"endpoint_id" text,
	"url" text NOT NULL,
	"status" text NOT NULL,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"last_response_status" integer,
	"last_error" text,
	"trigger" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_webhook_deliveries_status" CHECK ("webhook_deliveries"."status" in ('PENDING', 'SENDING', 'SUCCEEDED', 'FAILED')),
	CONSTRAINT "ck_webhook_deliveries_trigger" CHECK ("webhook_deliveries"."trigger" in ('PUBLISH', 'REPLAY'))
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"url" text NOT NULL,
	"headers_sealed" text NOT NULL,
	"ssl_certificate" text,
	"events" text[] NOT NULL,
	"enabled" boolean NOT NULL,
	"disabled_reason" text,
	"secret_sealed" text NOT NULL,
	"previous_secret_sealed" text,
	"previous_secret_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uq_webhook_endpoints_company_url" UNIQUE("company_id","url"),
	CONSTRAINT "ck_webhook_endpoints_id" CHECK ("webhook_endpoints"."id" like 'whe\_%')
);
--> statement-breakpoint
CREATE TABLE "webhook_notify_secrets" (
	"company_id" text PRIMARY KEY NOT NULL,
	"secret_sealed" text NOT NULL,
	"previous_secret_sealed" text,
	"previous_secret_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "sandbox_mode" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "fk_webhook_attempts_delivery" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "fk_webhook_deliveries_event" FOREIGN KEY ("event_id") REFERENCES "public"."events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ix_events_company_created" ON "events" USING btree ("company_id","created_at","id");--> statement-breakpoint
CREATE INDEX "ix_webhook_attempts_event" ON "webhook_attempts" USING btree ("company_id","event_id");--> statement-breakpoint
CREATE INDEX "ix_webhook_deliveries_event" ON "webhook_deliveries" USING btree ("company_id","event_id");--> statement-breakpoint
CREATE INDEX "ix_webhook_deliveries_sending" ON "webhook_deliveries" USING btree ("lease_until") WHERE "webhook_deliveries"."status" = 'SENDING';