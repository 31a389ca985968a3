-- Data only, no schema change. Tags match whatever their case, and queries find the
-- spellings through the Tag records of the tenant (plugins/crm/src/tags/spelling.ts), which
-- the CRM keeps for every tag a contact carries. Tags written before that (or straight
-- into the database) get their record here, in each spelling found.
INSERT INTO "Tag" (id, "userId", name)
SELECT gen_random_uuid()::text, t."userId", t.name
FROM (SELECT DISTINCT c."userId", u.name FROM "Contact" c, unnest(c.tags) AS u(name)) t
ON CONFLICT ("userId", name) DO NOTHING;
