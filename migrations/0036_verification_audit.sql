ALTER TABLE "verification_checks" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "verification_settings" ADD COLUMN "result_retention_days" integer DEFAULT 180 NOT NULL;--> statement-breakpoint
ALTER TABLE "verification_settings" ADD CONSTRAINT "ck_verification_settings_retention" CHECK ("verification_settings"."result_retention_days" between 1 and 3650);--> statement-breakpoint

-- ADR 0044: a check row is the audit record of the check. The application never deletes it, never
-- changes its audit columns (who, IP, when, purpose, consent text, masked input, data version),
-- ends a PENDING check once, and purges its result columns once; anything else is refused here.
create or replace function verification_checks_audit_guard() returns trigger language plpgsql as $$
begin
  if TG_OP = 'DELETE' or TG_OP = 'TRUNCATE' then
    raise exception 'verification_checks keeps the audit record of every check: % refused', TG_OP using errcode = '23001';
  end if;
  if (new.id, new.company_id, new.reference_id, new.check_type, new.input_masked, new.input_hash, new.consent_purpose,
      new.consent_text, new.requested_by, new.request_ip, new.data_version, new.created_at)
     is distinct from
     (old.id, old.company_id, old.reference_id, old.check_type, old.input_masked, old.input_hash, old.consent_purpose,
      old.consent_text, old.requested_by, old.request_ip, old.data_version, old.created_at) then
    raise exception 'verification_checks: the audit columns of a check are immutable' using errcode = '23001';
  end if;
  if old.purged_at is not null and new is distinct from old then
    raise exception 'verification_checks: a purged check is immutable' using errcode = '23001';
  end if;
  if old.status <> 'PENDING' and (new.status, new.message, new.completed_at) is distinct from (old.status, old.message, old.completed_at) then
    raise exception 'verification_checks: an ended check keeps its outcome' using errcode = '23001';
  end if;
  if new.purged_at is not null and (old.status = 'PENDING' or new.result is not null or new.name_match is not null or new.name is not null) then
    raise exception 'verification_checks: a purge nulls the result columns of an ended check' using errcode = '23001';
  end if;
  if old.status <> 'PENDING' and new.purged_at is null and (new.result, new.name_match, new.name) is distinct from (old.result, old.name_match, old.name) then
    raise exception 'verification_checks: the result of an ended check changes only when purged' using errcode = '23001';
  end if;
  return new;
end $$;
--> statement-breakpoint
drop trigger if exists tg_verification_checks_audit on verification_checks;
--> statement-breakpoint
create trigger tg_verification_checks_audit before update or delete on verification_checks
  for each row execute function verification_checks_audit_guard();
--> statement-breakpoint
drop trigger if exists tg_verification_checks_no_truncate on verification_checks;
--> statement-breakpoint
create trigger tg_verification_checks_no_truncate before truncate on verification_checks
  for each statement execute function verification_checks_audit_guard();
