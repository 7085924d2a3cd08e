CREATE TABLE "sandbox_clocks" (
	"company_id" text PRIMARY KEY NOT NULL,
	"offset_ms" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_sandbox_clocks_offset" CHECK ("sandbox_clocks"."offset_ms" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sandbox_timers" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "sandbox_timers_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"company_id" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"payload" text NOT NULL,
	"dedupe_key" text,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone,
	CONSTRAINT "uq_sandbox_timers_company_dedupe_key" UNIQUE("company_id","dedupe_key"),
	CONSTRAINT "ck_sandbox_timers_status" CHECK ("sandbox_timers"."status" in ('SCHEDULED', 'RUNNING', 'DONE', 'FAILED')),
	CONSTRAINT "ck_sandbox_timers_id" CHECK ("sandbox_timers"."id" like 'tmr\_%')
);
--> statement-breakpoint
CREATE INDEX "ix_sandbox_timers_pending" ON "sandbox_timers" USING btree ("company_id","due_at","seq") WHERE "sandbox_timers"."status" in ('SCHEDULED', 'RUNNING');