-- Ledger guarantees the database keeps by itself, whatever the code does (docs/ledger.md,
-- ADR 0009). Self-contained and idempotent: functions are `create or replace`, triggers and
-- constraints are dropped or checked before they are created.

-- Every ledger transaction has at least two postings and sums to zero in each currency. The check
-- is a constraint trigger DEFERRABLE INITIALLY DEFERRED, so it runs at COMMIT, once all postings of
-- the transaction are in; a transaction row without postings, or postings added later that break
-- the sum, make the COMMIT fail.
create or replace function ledger_assert_balanced(tx_id text) returns void language plpgsql as $$
declare
  postings integer;
  bad record;
begin
  select count(*) into postings from ledger_postings where transaction_id = tx_id;
  if postings < 2 then
    raise exception 'ledger transaction % has % posting(s); a transaction needs at least two', tx_id, postings
      using errcode = '23514', constraint = 'ck_ledger_transactions_balanced';
  end if;
  select currency, sum(case direction when 'debit' then amount else -amount end) as net into bad
    from ledger_postings where transaction_id = tx_id
    group by currency having sum(case direction when 'debit' then amount else -amount end) <> 0
    limit 1;
  if found then
    raise exception 'ledger transaction % does not balance in %: debits minus credits is %', tx_id, bad.currency, bad.net
      using errcode = '23514', constraint = 'ck_ledger_transactions_balanced';
  end if;
end $$;
--> statement-breakpoint
create or replace function ledger_transactions_balanced() returns trigger language plpgsql as $$
begin
  perform ledger_assert_balanced(NEW.id);
  return null;
end $$;
--> statement-breakpoint
create or replace function ledger_postings_balanced() returns trigger language plpgsql as $$
begin
  perform ledger_assert_balanced(NEW.transaction_id);
  return null;
end $$;
--> statement-breakpoint
drop trigger if exists tg_ledger_transactions_balanced on ledger_transactions;
--> statement-breakpoint
create constraint trigger tg_ledger_transactions_balanced after insert on ledger_transactions
  deferrable initially deferred for each row execute function ledger_transactions_balanced();
--> statement-breakpoint
drop trigger if exists tg_ledger_postings_balanced on ledger_postings;
--> statement-breakpoint
create constraint trigger tg_ledger_postings_balanced after insert on ledger_postings
  deferrable initially deferred for each row execute function ledger_postings_balanced();
--> statement-breakpoint

-- The journal is append-only: a posted transaction is corrected by a reversal, never edited.
create or replace function ledger_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused (correct a ledger transaction by reversing it)', TG_TABLE_NAME, TG_OP
    using errcode = '23001';
end $$;
--> statement-breakpoint
drop trigger if exists tg_ledger_transactions_append_only on ledger_transactions;
--> statement-breakpoint
create trigger tg_ledger_transactions_append_only before update or delete on ledger_transactions
  for each row execute function ledger_refuse_change();
--> statement-breakpoint
drop trigger if exists tg_ledger_transactions_no_truncate on ledger_transactions;
--> statement-breakpoint
create trigger tg_ledger_transactions_no_truncate before truncate on ledger_transactions
  for each statement execute function ledger_refuse_change();
--> statement-breakpoint
drop trigger if exists tg_ledger_postings_append_only on ledger_postings;
--> statement-breakpoint
create trigger tg_ledger_postings_append_only before update or delete on ledger_postings
  for each row execute function ledger_refuse_change();
--> statement-breakpoint
drop trigger if exists tg_ledger_postings_no_truncate on ledger_postings;
--> statement-breakpoint
create trigger tg_ledger_postings_no_truncate before truncate on ledger_postings
  for each statement execute function ledger_refuse_change();
--> statement-breakpoint
drop trigger if exists tg_ledger_balances_no_delete on ledger_balances;
--> statement-breakpoint
create trigger tg_ledger_balances_no_delete before delete on ledger_balances
  for each row execute function ledger_refuse_change();
--> statement-breakpoint
drop trigger if exists tg_ledger_holds_no_delete on ledger_holds;
--> statement-breakpoint
create trigger tg_ledger_holds_no_delete before delete on ledger_holds
  for each row execute function ledger_refuse_change();
--> statement-breakpoint

-- An account keeps what it is: company, code, type, currency and limits never change (its name
-- and owner may), and it is never deleted, since postings refer to it forever.
create or replace function ledger_accounts_immutable() returns trigger language plpgsql as $$
begin
  if TG_OP = 'DELETE' then
    raise exception 'ledger_accounts rows are never deleted' using errcode = '23001';
  end if;
  if (NEW.id, NEW.company_id, NEW.code, NEW.type, NEW.normal_balance, NEW.currency, NEW.allow_negative)
     is distinct from (OLD.id, OLD.company_id, OLD.code, OLD.type, OLD.normal_balance, OLD.currency, OLD.allow_negative) then
    raise exception 'a ledger account''s company, code, type, currency and limits never change' using errcode = '23001';
  end if;
  return NEW;
end $$;
--> statement-breakpoint
drop trigger if exists tg_ledger_accounts_immutable on ledger_accounts;
--> statement-breakpoint
create trigger tg_ledger_accounts_immutable before update or delete on ledger_accounts
  for each row execute function ledger_accounts_immutable();
--> statement-breakpoint

-- A hold resolves once: pending → captured or voided, and nothing but its resolution changes.
create or replace function ledger_holds_resolve_once() returns trigger language plpgsql as $$
begin
  if OLD.status <> 'pending' then
    raise exception 'ledger hold % is already %', OLD.id, OLD.status using errcode = '23001';
  end if;
  if (NEW.id, NEW.company_id, NEW.code, NEW.reference_type, NEW.reference_id, NEW.currency, NEW.debit_account_id,
      NEW.credit_account_id, NEW.amount, NEW.placed_at)
     is distinct from (OLD.id, OLD.company_id, OLD.code, OLD.reference_type, OLD.reference_id, OLD.currency, OLD.debit_account_id,
      OLD.credit_account_id, OLD.amount, OLD.placed_at) then
    raise exception 'only the resolution of a ledger hold changes' using errcode = '23001';
  end if;
  return NEW;
end $$;
--> statement-breakpoint
drop trigger if exists tg_ledger_holds_resolve_once on ledger_holds;
--> statement-breakpoint
create trigger tg_ledger_holds_resolve_once before update on ledger_holds
  for each row execute function ledger_holds_resolve_once();
--> statement-breakpoint

-- Accounts belong to a company that exists (core/ledger does not import the identity tables, so
-- the key is declared here).
do $$
begin
  if not exists (select 1 from pg_constraint where conname = 'fk_ledger_accounts_company') then
    alter table ledger_accounts add constraint fk_ledger_accounts_company foreign key (company_id) references companies (id);
  end if;
end $$;
