CREATE TABLE "unknown_login_attempts" (
	"company_id" text NOT NULL,
	"name_digest" text NOT NULL,
	"failed_attempts" integer NOT NULL,
	"locked_until" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pk_unknown_login_attempts" PRIMARY KEY("company_id","name_digest")
);
--> statement-breakpoint
ALTER TABLE "unknown_login_attempts" ADD CONSTRAINT "fk_unknown_login_attempts_company" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;