CREATE TABLE "ledger_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"normal_balance" text NOT NULL,
	"currency" text NOT NULL,
	"allow_negative" boolean NOT NULL,
	"owner_type" text,
	"owner_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_ledger_accounts_company_code_currency" UNIQUE("company_id","code","currency"),
	CONSTRAINT "uq_ledger_accounts_id_company_currency" UNIQUE("id","company_id","currency"),
	CONSTRAINT "uq_ledger_accounts_id_limits" UNIQUE("id","company_id","currency","normal_balance","allow_negative"),
	CONSTRAINT "ck_ledger_accounts_id" CHECK ("ledger_accounts"."id" like 'la\_%'),
	CONSTRAINT "ck_ledger_accounts_type" CHECK ("ledger_accounts"."type" in ('asset', 'liability', 'equity', 'revenue', 'expense')),
	CONSTRAINT "ck_ledger_accounts_normal_balance" CHECK ("ledger_accounts"."normal_balance" = case when "ledger_accounts"."type" in ('asset', 'expense') then 'debit' else 'credit' end),
	CONSTRAINT "ck_ledger_accounts_currency" CHECK ("ledger_accounts"."currency" in ('INR', 'PTS')),
	CONSTRAINT "ck_ledger_accounts_code" CHECK ("ledger_accounts"."code" ~ '^[a-z][a-z0-9_]*(:[A-Za-z0-9_.-]+)?$'),
	CONSTRAINT "ck_ledger_accounts_owner" CHECK (("ledger_accounts"."owner_type" is null) = ("ledger_accounts"."owner_id" is null))
);
--> statement-breakpoint
CREATE TABLE "ledger_balances" (
	"account_id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"currency" text NOT NULL,
	"normal_balance" text NOT NULL,
	"allow_negative" boolean NOT NULL,
	"debits_posted" bigint DEFAULT 0 NOT NULL,
	"credits_posted" bigint DEFAULT 0 NOT NULL,
	"debits_pending" bigint DEFAULT 0 NOT NULL,
	"credits_pending" bigint DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ck_ledger_balances_totals" CHECK ("ledger_balances"."debits_posted" >= 0 and "ledger_balances"."credits_posted" >= 0 and "ledger_balances"."debits_pending" >= 0 and "ledger_balances"."credits_pending" >= 0),
	CONSTRAINT "ck_ledger_balances_available" CHECK ("ledger_balances"."allow_negative" or (case when "ledger_balances"."normal_balance" = 'debit'
        then "ledger_balances"."debits_posted" - "ledger_balances"."credits_posted" - "ledger_balances"."credits_pending"
        else "ledger_balances"."credits_posted" - "ledger_balances"."debits_posted" - "ledger_balances"."debits_pending" end) >= 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_holds" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"code" text NOT NULL,
	"reference_type" text NOT NULL,
	"reference_id" text NOT NULL,
	"currency" text NOT NULL,
	"debit_account_id" text NOT NULL,
	"credit_account_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"status" text NOT NULL,
	"captured_amount" bigint DEFAULT 0 NOT NULL,
	"capture_transaction_id" text,
	"placed_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uq_ledger_holds_company_reference" UNIQUE("company_id","code","reference_type","reference_id"),
	CONSTRAINT "uq_ledger_holds_capture_transaction" UNIQUE("capture_transaction_id"),
	CONSTRAINT "ck_ledger_holds_id" CHECK ("ledger_holds"."id" like 'lh\_%'),
	CONSTRAINT "ck_ledger_holds_status" CHECK ("ledger_holds"."status" in ('pending', 'captured', 'voided')),
	CONSTRAINT "ck_ledger_holds_amount" CHECK ("ledger_holds"."amount" > 0 and "ledger_holds"."captured_amount" >= 0 and "ledger_holds"."captured_amount" <= "ledger_holds"."amount"),
	CONSTRAINT "ck_ledger_holds_accounts" CHECK ("ledger_holds"."debit_account_id" <> "ledger_holds"."credit_account_id"),
	CONSTRAINT "ck_ledger_holds_resolution" CHECK (case "ledger_holds"."status"
        when 'pending' then "ledger_holds"."capture_transaction_id" is null and "ledger_holds"."resolved_at" is null and "ledger_holds"."captured_amount" = 0
        when 'captured' then "ledger_holds"."capture_transaction_id" is not null and "ledger_holds"."resolved_at" is not null and "ledger_holds"."captured_amount" > 0
        else "ledger_holds"."capture_transaction_id" is null and "ledger_holds"."resolved_at" is not null and "ledger_holds"."captured_amount" = 0 end)
);
--> statement-breakpoint
CREATE TABLE "ledger_postings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transaction_id" text NOT NULL,
	"company_id" text NOT NULL,
	"account_id" text NOT NULL,
	"currency" text NOT NULL,
	"direction" text NOT NULL,
	"amount" bigint NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ck_ledger_postings_direction" CHECK ("ledger_postings"."direction" in ('debit', 'credit')),
	CONSTRAINT "ck_ledger_postings_amount" CHECK ("ledger_postings"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_transactions" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"code" text NOT NULL,
	"reference_type" text NOT NULL,
	"reference_id" text NOT NULL,
	"description" text,
	"effective_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reverses_transaction_id" text,
	CONSTRAINT "uq_ledger_transactions_company_reference" UNIQUE("company_id","code","reference_type","reference_id"),
	CONSTRAINT "uq_ledger_transactions_reverses" UNIQUE("reverses_transaction_id"),
	CONSTRAINT "uq_ledger_transactions_id_company_effective" UNIQUE("id","company_id","effective_at"),
	CONSTRAINT "uq_ledger_transactions_id_company" UNIQUE("id","company_id"),
	CONSTRAINT "ck_ledger_transactions_id" CHECK ("ledger_transactions"."id" like 'ltx\_%'),
	CONSTRAINT "ck_ledger_transactions_not_self_reversal" CHECK ("ledger_transactions"."reverses_transaction_id" is null or "ledger_transactions"."reverses_transaction_id" <> "ledger_transactions"."id")
);
--> statement-breakpoint
ALTER TABLE "ledger_balances" ADD CONSTRAINT "fk_ledger_balances_account" FOREIGN KEY ("account_id","company_id","currency","normal_balance","allow_negative") REFERENCES "public"."ledger_accounts"("id","company_id","currency","normal_balance","allow_negative") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_holds" ADD CONSTRAINT "fk_ledger_holds_debit_account" FOREIGN KEY ("debit_account_id","company_id","currency") REFERENCES "public"."ledger_accounts"("id","company_id","currency") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_holds" ADD CONSTRAINT "fk_ledger_holds_credit_account" FOREIGN KEY ("credit_account_id","company_id","currency") REFERENCES "public"."ledger_accounts"("id","company_id","currency") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_holds" ADD CONSTRAINT "fk_ledger_holds_capture_transaction" FOREIGN KEY ("capture_transaction_id","company_id") REFERENCES "public"."ledger_transactions"("id","company_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_postings" ADD CONSTRAINT "fk_ledger_postings_transaction" FOREIGN KEY ("transaction_id","company_id","effective_at") REFERENCES "public"."ledger_transactions"("id","company_id","effective_at") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_postings" ADD CONSTRAINT "fk_ledger_postings_account" FOREIGN KEY ("account_id","company_id","currency") REFERENCES "public"."ledger_accounts"("id","company_id","currency") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transactions" ADD CONSTRAINT "fk_ledger_transactions_reverses" FOREIGN KEY ("reverses_transaction_id","company_id") REFERENCES "public"."ledger_transactions"("id","company_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ix_ledger_balances_company" ON "ledger_balances" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "ix_ledger_holds_debit_account" ON "ledger_holds" USING btree ("debit_account_id");--> statement-breakpoint
CREATE INDEX "ix_ledger_holds_credit_account" ON "ledger_holds" USING btree ("credit_account_id");--> statement-breakpoint
CREATE INDEX "ix_ledger_postings_transaction" ON "ledger_postings" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "ix_ledger_postings_account_effective" ON "ledger_postings" USING btree ("account_id","effective_at");--> statement-breakpoint
CREATE INDEX "ix_ledger_transactions_company_effective" ON "ledger_transactions" USING btree ("company_id","effective_at","id");--> statement-breakpoint
CREATE INDEX "ix_ledger_transactions_company_reference_id" ON "ledger_transactions" USING btree ("company_id","reference_type","reference_id");