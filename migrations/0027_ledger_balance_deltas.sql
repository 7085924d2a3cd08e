CREATE TABLE "ledger_balance_deltas" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"company_id" text NOT NULL,
	"currency" text NOT NULL,
	"normal_balance" text NOT NULL,
	"allow_negative" boolean NOT NULL,
	"debits_posted" bigint DEFAULT 0 NOT NULL,
	"credits_posted" bigint DEFAULT 0 NOT NULL,
	"debits_pending" bigint DEFAULT 0 NOT NULL,
	"credits_pending" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "ck_ledger_balance_deltas_posted" CHECK ("ledger_balance_deltas"."debits_posted" >= 0 and "ledger_balance_deltas"."credits_posted" >= 0),
	CONSTRAINT "ck_ledger_balance_deltas_unchecked" CHECK ("ledger_balance_deltas"."allow_negative" or (case when "ledger_balance_deltas"."normal_balance" = 'debit'
        then "ledger_balance_deltas"."debits_posted" - "ledger_balance_deltas"."credits_posted" - "ledger_balance_deltas"."credits_pending"
        else "ledger_balance_deltas"."credits_posted" - "ledger_balance_deltas"."debits_posted" - "ledger_balance_deltas"."debits_pending" end) >= 0)
);
--> statement-breakpoint
ALTER TABLE "ledger_balance_deltas" ADD CONSTRAINT "fk_ledger_balance_deltas_account" FOREIGN KEY ("account_id","company_id","currency","normal_balance","allow_negative") REFERENCES "public"."ledger_accounts"("id","company_id","currency","normal_balance","allow_negative") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ix_ledger_balance_deltas_account" ON "ledger_balance_deltas" USING btree ("account_id");--> statement-breakpoint
-- A delta is inserted by the posting transaction and deleted when a fold adds it to its balance
-- row (ADR 0029); it is never edited.
drop trigger if exists tg_ledger_balance_deltas_no_update on ledger_balance_deltas;
--> statement-breakpoint
create trigger tg_ledger_balance_deltas_no_update before update on ledger_balance_deltas
  for each row execute function ledger_refuse_change();
--> statement-breakpoint
drop trigger if exists tg_ledger_balance_deltas_no_truncate on ledger_balance_deltas;
--> statement-breakpoint
create trigger tg_ledger_balance_deltas_no_truncate before truncate on ledger_balance_deltas
  for each statement execute function ledger_refuse_change();
