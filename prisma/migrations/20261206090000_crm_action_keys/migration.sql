-- Data only, no schema change. The CRM workflow steps moved from the core to the CRM
-- plugin: core.add_tag, core.remove_tag, core.update_contact_field, core.create_note,
-- core.create_deal and core.move_deal are now crm.<same name>. Saved drafts and published
-- versions are rewritten to name the new keys (same props, same step ids, same order).
-- The CRM still answers to the old keys as aliases, for workflow JSON imported later and
-- step jobs queued before this ran. The step log keeps the keys the steps ran under.

UPDATE "Workflow" w
SET actions = (
  SELECT jsonb_agg(
      CASE WHEN s.step->>'action' = ANY (ARRAY['core.add_tag', 'core.remove_tag', 'core.update_contact_field', 'core.create_note', 'core.create_deal', 'core.move_deal'])
        THEN jsonb_set(s.step, '{action}', to_jsonb('crm.' || substr(s.step->>'action', 6)))
        ELSE s.step END
      ORDER BY s.n)
  FROM jsonb_array_elements(w.actions) WITH ORDINALITY AS s(step, n))
WHERE jsonb_typeof(w.actions) = 'array'
  AND EXISTS (
    SELECT 1 FROM jsonb_array_elements(w.actions) AS e(step)
    WHERE e.step->>'action' = ANY (ARRAY['core.add_tag', 'core.remove_tag', 'core.update_contact_field', 'core.create_note', 'core.create_deal', 'core.move_deal']));

UPDATE "WorkflowVersion" v
SET actions = (
  SELECT jsonb_agg(
      CASE WHEN s.step->>'action' = ANY (ARRAY['core.add_tag', 'core.remove_tag', 'core.update_contact_field', 'core.create_note', 'core.create_deal', 'core.move_deal'])
        THEN jsonb_set(s.step, '{action}', to_jsonb('crm.' || substr(s.step->>'action', 6)))
        ELSE s.step END
      ORDER BY s.n)
  FROM jsonb_array_elements(v.actions) WITH ORDINALITY AS s(step, n))
WHERE jsonb_typeof(v.actions) = 'array'
  AND EXISTS (
    SELECT 1 FROM jsonb_array_elements(v.actions) AS e(step)
    WHERE e.step->>'action' = ANY (ARRAY['core.add_tag', 'core.remove_tag', 'core.update_contact_field', 'core.create_note', 'core.create_deal', 'core.move_deal']));
