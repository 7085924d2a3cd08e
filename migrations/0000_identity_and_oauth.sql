CREATE TABLE "companies" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_companies_id" CHECK ("companies"."id" ~ '^CEK[A-Z0-9]{7}$')
);
--> statement-breakpoint
CREATE TABLE "oauth_clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"secret_digest" text NOT NULL,
	"payload_key" text NOT NULL,
	"payload_encryption" text NOT NULL,
	"grant_types" text[] NOT NULL,
	"scopes" text[] NOT NULL,
	"access_token_ttl_seconds" integer NOT NULL,
	"refresh_token_ttl_seconds" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uq_oauth_clients_company" UNIQUE("company_id"),
	CONSTRAINT "ck_oauth_clients_payload_encryption" CHECK ("oauth_clients"."payload_encryption" in ('required', 'optional', 'off')),
	CONSTRAINT "ck_oauth_clients_ttl" CHECK ("oauth_clients"."access_token_ttl_seconds" > 0 and "oauth_clients"."refresh_token_ttl_seconds" > 0)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"status" text NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "uq_users_username" UNIQUE("username"),
	CONSTRAINT "ck_users_status" CHECK ("users"."status" in ('ACTIVE', 'DISABLED')),
	CONSTRAINT "ck_users_password_hash" CHECK ("users"."password_hash" like '$argon2id$%')
);
--> statement-breakpoint
CREATE TABLE "oauth_access_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"token_digest" text NOT NULL,
	"family_id" text,
	"company_id" text NOT NULL,
	"client_id" text NOT NULL,
	"user_id" text,
	"scopes" text[] NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "uq_oauth_access_tokens_digest" UNIQUE("token_digest")
);
--> statement-breakpoint
CREATE TABLE "oauth_refresh_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"token_digest" text NOT NULL,
	"family_id" text NOT NULL,
	"company_id" text NOT NULL,
	"client_id" text NOT NULL,
	"user_id" text,
	"scopes" text[] NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"retry_response" text,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "uq_oauth_refresh_tokens_digest" UNIQUE("token_digest")
);
--> statement-breakpoint
ALTER TABLE "oauth_clients" ADD CONSTRAINT "fk_oauth_clients_company" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "fk_users_company" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ix_users_company" ON "users" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "ix_oauth_access_tokens_family" ON "oauth_access_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "ix_oauth_refresh_tokens_family" ON "oauth_refresh_tokens" USING btree ("family_id");