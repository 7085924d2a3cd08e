CREATE TABLE "verification_checks" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"reference_id" text NOT NULL,
	"check_type" text NOT NULL,
	"status" text NOT NULL,
	"input_masked" text NOT NULL,
	"input_hash" text NOT NULL,
	"name" text,
	"result" jsonb,
	"name_match" jsonb,
	"message" text NOT NULL,
	"consent_purpose" text NOT NULL,
	"consent_text" text,
	"requested_by" text NOT NULL,
	"request_ip" text,
	"data_version" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "uq_verification_checks_reference" UNIQUE("company_id","reference_id"),
	CONSTRAINT "ck_verification_checks_status" CHECK ("verification_checks"."status" in ('VALID', 'INVALID', 'NOT_FOUND', 'PENDING', 'FAILED'))
);
--> statement-breakpoint
CREATE TABLE "verification_settings" (
	"company_id" text PRIMARY KEY NOT NULL,
	"match_threshold" integer NOT NULL,
	"partial_threshold" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_verification_settings_thresholds" CHECK (0 <= "verification_settings"."partial_threshold" and "verification_settings"."partial_threshold" <= "verification_settings"."match_threshold" and "verification_settings"."match_threshold" <= 100)
);
--> statement-breakpoint
CREATE INDEX "ix_verification_checks_company_created" ON "verification_checks" USING btree ("company_id","created_at");