ALTER TABLE "companies" ADD COLUMN "status" text DEFAULT 'ACTIVE' NOT NULL;--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "ck_companies_status" CHECK ("companies"."status" in ('ACTIVE', 'DISABLED'));