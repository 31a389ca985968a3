-- Owner: the core (core.prisma). What Prisma cannot describe, so its migrations never
-- write it: every statement here is copied into the migration that introduced it, and
-- prisma/src/drift.test.ts checks both that it is there and that the database the schema
-- describes plus this file is the database the migrations build.

-- A keyed job (ctx.jobs, EnqueueOptions.jobKey): many writers, one waiting job. A writer
-- that finds a job of the key waiting, due by when it needs it, writes nothing to it, so
-- writers never queue behind each other on that job's row (graphile-worker's own job key
-- updates the row on every add). Each writer holds the key's advisory lock shared until it
-- commits, and a keyed job takes it exclusively as it starts (core/src/jobs.ts): whatever a
-- writer wrote before it found the job waiting is committed by the time the job looks.
CREATE FUNCTION enqueue_keyed_job(task text, payload json, job_key text, due timestamptz, attempts integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(hashtextextended('job-key:' || job_key, 0));
  IF EXISTS (
    SELECT 1 FROM graphile_worker._private_jobs j
    WHERE j.key = job_key AND j.is_available AND j.run_at <= due
  ) THEN
    RETURN;
  END IF;
  PERFORM graphile_worker.add_job(task, payload, run_at => due, max_attempts => attempts, job_key => job_key);
END $$;

-- The webhook inbox's pending deliveries, in arrival order, per webhook and tenant: the
-- apply job reads only these, however many applied rows wait to be pruned.
CREATE INDEX "WebhookInbox_pending_idx" ON "WebhookInbox" ("plugin", "path", "tenantId", "id") WHERE "appliedAt" IS NULL AND "failedAt" IS NULL;

-- Each tenant's finished workflow runs by when they finished: the lifecycle job deletes the
-- oldest past the tenant's own retention, and reads no run still going.
CREATE INDEX "WorkflowExecution_finished_idx" ON "WorkflowExecution" ("userId", "completedAt") WHERE "status" IN ('COMPLETED', 'FAILED');

-- A tenant keeps its finished runs between a day and ten years (the API says so too).
ALTER TABLE "User" ADD CONSTRAINT "User_executionLogRetentionDays_check" CHECK ("executionLogRetentionDays" BETWEEN 1 AND 3650);
