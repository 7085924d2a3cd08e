CREATE TABLE "rail_card_authentications" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"attempt_ref" text NOT NULL,
	"reply_to" text NOT NULL,
	"method" text NOT NULL,
	"status" text NOT NULL,
	"card_token" text NOT NULL,
	"bin" text NOT NULL,
	"last4" text NOT NULL,
	"network" text NOT NULL,
	"card_type" text NOT NULL,
	"issuer" text NOT NULL,
	"scenario" text NOT NULL,
	"otp_attempts" integer DEFAULT 0 NOT NULL,
	"otp_resends" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_rail_card_authentications_method" CHECK ("rail_card_authentications"."method" in ('otp', 'challenge')),
	CONSTRAINT "ck_rail_card_authentications_status" CHECK ("rail_card_authentications"."status" in ('awaiting', 'succeeded', 'failed')),
	CONSTRAINT "ck_rail_card_authentications_bin" CHECK ("rail_card_authentications"."bin" ~ '^[0-9]{6}$'),
	CONSTRAINT "ck_rail_card_authentications_last4" CHECK ("rail_card_authentications"."last4" ~ '^[0-9]{4}$')
);
--> statement-breakpoint
CREATE INDEX "ix_rail_card_authentications_company" ON "rail_card_authentications" USING btree ("company_id");