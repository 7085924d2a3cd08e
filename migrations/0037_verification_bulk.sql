CREATE TABLE "verification_bulk_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"reference_id" text NOT NULL,
	"check_type" text NOT NULL,
	"status" text NOT NULL,
	"file_hash" text NOT NULL,
	"rows_total" integer NOT NULL,
	"rows_done" integer NOT NULL,
	"rows_failed" integer NOT NULL,
	"consent_purpose" text NOT NULL,
	"requested_by" text NOT NULL,
	"client_id" text NOT NULL,
	"request_ip" text,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "uq_verification_bulk_jobs_reference" UNIQUE("company_id","reference_id"),
	CONSTRAINT "ck_verification_bulk_jobs_status" CHECK ("verification_bulk_jobs"."status" in ('QUEUED', 'RUNNING', 'COMPLETED', 'CANCELLED'))
);
--> statement-breakpoint
CREATE TABLE "verification_bulk_rows" (
	"job_id" text NOT NULL,
	"row_no" integer NOT NULL,
	"company_id" text NOT NULL,
	"reference_id" text NOT NULL,
	"input" text[],
	"input_masked" text NOT NULL,
	"input_hash" text,
	"status" text NOT NULL,
	"check_status" text,
	"verification_id" text,
	"reason" text,
	"claimed_by" text,
	"claimed_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "pk_verification_bulk_rows" PRIMARY KEY("job_id","row_no"),
	CONSTRAINT "ck_verification_bulk_rows_status" CHECK ("verification_bulk_rows"."status" in ('QUEUED', 'DONE', 'FAILED', 'CANCELLED'))
);
--> statement-breakpoint
CREATE INDEX "ix_verification_bulk_jobs_company_created" ON "verification_bulk_jobs" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "ix_verification_bulk_rows_queued" ON "verification_bulk_rows" USING btree ("job_id","row_no") WHERE "verification_bulk_rows"."status" = 'QUEUED';