-- Leads became their own plugin (`leads`): data only, no schema change.

-- Tenants' saved Google Places keys move from plugin `crm` to `leads`. The credentials are
-- encrypted with the context `ProviderConnection.credentials:<row id>`, which names no
-- plugin, so the same row (same id) stays readable after the move.
UPDATE "ProviderConnection" AS c
SET "plugin" = 'leads', "updatedAt" = now()
WHERE c."plugin" = 'crm' AND c."provider" = 'google_places'
  AND NOT EXISTS (
    SELECT 1 FROM "ProviderConnection" l
    WHERE l."userId" = c."userId" AND l."plugin" = 'leads' AND l."provider" = 'google_places'
  );

-- Lead searches move from the CRM's job table to LeadSearch, keeping their ids. A search
-- still queued or running was queued as the CRM's job, which no plugin runs any more: it
-- ends as failed, saying why, instead of showing "running" forever.
INSERT INTO "LeadSearch" ("id", "userId", "status", "params", "total", "processed", "succeeded", "failed", "result", "error", "createdAt", "startedAt", "finishedAt")
SELECT "id", "userId",
  CASE WHEN "status" IN ('QUEUED', 'RUNNING') THEN 'FAILED' ELSE "status"::text END::"LeadSearchStatus",
  "params", "total", "processed", "succeeded", "failed", "result",
  CASE WHEN "status" IN ('QUEUED', 'RUNNING') THEN 'Interrupted by an upgrade (the leads it stored are kept). Search again for the rest.' ELSE "error" END,
  "createdAt", "startedAt",
  CASE WHEN "status" IN ('QUEUED', 'RUNNING') THEN now() ELSE "finishedAt" END
FROM "CrmJob"
WHERE "kind" = 'LEAD_SEARCH'
ON CONFLICT ("id") DO NOTHING;

DELETE FROM "CrmJob" WHERE "kind" = 'LEAD_SEARCH';
