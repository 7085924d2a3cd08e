-- The timer poller reads only the timers that fell due (ADR 0031): a partial index on due time.
CREATE INDEX IF NOT EXISTS "ix_sandbox_timers_pending_due" ON "sandbox_timers" USING btree ("due_at") WHERE "sandbox_timers"."status" in ('SCHEDULED', 'RUNNING');
