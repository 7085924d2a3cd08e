CREATE TABLE "idempotency_keys" (
	"company_id" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status" text NOT NULL,
	"lease_token" text NOT NULL,
	"lease_expires_at" timestamp with time zone NOT NULL,
	"response_status" integer,
	"response_headers" jsonb,
	"response_body" "bytea",
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pk_idempotency_keys" PRIMARY KEY("company_id","key"),
	CONSTRAINT "ck_idempotency_keys_status" CHECK ("idempotency_keys"."status" in ('in_progress', 'completed')),
	CONSTRAINT "ck_idempotency_keys_key" CHECK (char_length("idempotency_keys"."key") between 1 and 255),
	CONSTRAINT "ck_idempotency_keys_response" CHECK (("idempotency_keys"."status" = 'completed') = ("idempotency_keys"."response_status" is not null and "idempotency_keys"."response_body" is not null and "idempotency_keys"."completed_at" is not null))
);
--> statement-breakpoint
CREATE INDEX "ix_idempotency_keys_expires_at" ON "idempotency_keys" USING btree ("expires_at");