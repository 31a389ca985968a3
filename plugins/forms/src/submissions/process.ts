// forms.process_submissions (design: submission pipeline, step 3): turns a form's RECEIVED
// submissions into contacts. Batches are claimed with FOR UPDATE SKIP LOCKED, so two workers
// never take the same submission; each batch is one transaction, processed set-based (a few
// statements per batch, not per submission): the batch's contacts found or made through the
// CRM with the form's tags (crm.find_or_create_contacts, one answer per submission, so one
// that cannot be processed, a value the CRM refuses, is marked FAILED without failing the
// others), their consent recorded through messaging (messaging.record_consent), the
// submissions marked in one UPDATE, and the batch's core.form_submitted events raised in the
// same transaction, so there is no contact without its event and no event without its contact.
import { defineJob, tenantSql, type EventPayloadInput, type JobContext, type TenantTx } from '@soshogle/core';
import { z } from 'zod';
import type { Answers } from '../answers.ts';
import { formsConfig, type FormsConfig } from '../config.ts';
import type { FormDefinition } from '../definition.ts';
import { versionOf } from '../public/published.ts';

type Ctx = JobContext<FormsConfig>;

/** What the answers say about the contact, by the fields' mapsTo. */
function contactOf(definition: FormDefinition, answers: Answers) {
  const contact: Record<string, string> = {};
  const customFields: Record<string, unknown> = {};
  for (const field of definition.fields) {
    const value = answers[field.key];
    if (!field.mapsTo || value === undefined) continue;
    if ('contact' in field.mapsTo) {
      if (typeof value === 'string') contact[field.mapsTo.contact] = value;
    } else {
      customFields[field.mapsTo.customField] = value;
    }
  }
  return {
    firstName: contact.firstName ?? '',
    lastName: contact.lastName ?? null,
    email: contact.email ?? null,
    phone: contact.phone ?? null,
    company: contact.company ?? null,
    customFields,
  };
}

/** A claimed submission, with what processing needs of its form. */
interface Claimed {
  id: string;
  formId: string;
  formVersionId: string;
  answers: Answers;
  consent: boolean;
  sourceUrl: string | null;
  ipPrefix: string | null;
  createdAt: Date;
  updateExistingContacts: boolean;
}

/** Claims and processes one batch of the form's RECEIVED submissions; returns how many it claimed. */
async function processBatch(ctx: Ctx, tx: TenantTx, formId: string): Promise<number> {
  const { tenantId } = ctx;
  const t = tenantSql(tenantId);
  // The form's setting comes with the claim (one round trip); a form deleted meanwhile took its submissions with it.
  const rows = await tx.$queryRaw<Claimed[]>(t`
    select s.id, s."formId", s."formVersionId", s.answers, s.consent, s."sourceUrl", s."ipPrefix", s."createdAt", f."updateExistingContacts"
    from "FormSubmission" s
    join "Form" f on f.id = s."formId" and f."userId" = s."userId"
    where ${t.owns('s')} and s."formId" = ${formId} and s.status = 'RECEIVED'
    order by s."createdAt", s.id
    limit ${ctx.config.processBatch}
    for update of s skip locked`);
  if (!rows.length) return 0;
  const overwrite = rows[0]!.updateExistingContacts;
  const definitions: FormDefinition[] = [];
  // There: the version's foreign key cascades, and the submission was checked to be of this form's.
  for (const row of rows) definitions.push((await versionOf(tx, formId, row.formVersionId))!);

  const { results } = await ctx.actions.run(
    tx,
    'crm.find_or_create_contacts',
    { items: rows.map((row, i) => ({ ...contactOf(definitions[i]!, row.answers), tags: definitions[i]!.tags, overwrite, source: 'form' })) },
    { tenantId, idempotencyKey: `form-submissions:${rows[0]!.id}` },
  );
  const outcomes = rows.map((row, i) => ({ row, definition: definitions[i]!, result: results[i]! }));
  const consents = outcomes.flatMap(({ row, definition, result }) => {
    const consent = definition.consent;
    if (!('contactId' in result) || !row.consent || !consent) return [];
    const channels = [...(consent.email ? ['EMAIL' as const] : []), ...(consent.sms ? ['SMS' as const] : [])];
    return [{
      contactId: result.contactId,
      channels,
      source: 'form' as const,
      wording: consent.wording,
      evidence: { formId: row.formId, submissionId: row.id, sourceUrl: row.sourceUrl, ipPrefix: row.ipPrefix, at: row.createdAt.toISOString() },
    }];
  });
  if (consents.length) await ctx.actions.run(tx, 'messaging.record_consent', { items: consents }, { tenantId, idempotencyKey: `form-consent:${rows[0]!.id}` });

  // A refusal (a value the CRM will never take) fails its submission for good; the rest are
  // processed. One UPDATE for the batch, found by primary key: joined to unnest alone, the
  // planner scans the tenant's submissions (a tenant's are most of the table), a cost that
  // grows with every submission kept (0.75 ms at 1,000 of them, 0.24 by key).
  const contactIds: (string | null)[] = [];
  const reasons: (string | null)[] = [];
  for (const { row, result } of outcomes) {
    if ('contactId' in result) {
      contactIds.push(result.contactId);
      reasons.push(null);
    } else {
      ctx.log.warn({ submissionId: row.id, error: result.problem.detail }, 'form submission could not be processed');
      contactIds.push(null);
      reasons.push(result.problem.detail.slice(0, 500));
    }
  }
  const ids = rows.map((row) => row.id);
  await tx.$executeRaw(t`
    update "FormSubmission" s
    set status = case when m."contactId" is null then 'FAILED' else 'PROCESSED' end::"FormSubmissionStatus", "contactId" = m."contactId", "spamReason" = m.reason, "processedAt" = now()
    from unnest(${ids}::text[], ${contactIds}::text[], ${reasons}::text[]) as m(id, "contactId", reason)
    where ${t.owns('s')} and s.id = any(${ids}::text[]) and s.id = m.id`);
  const raised: EventPayloadInput<'core.form_submitted'>[] = outcomes.flatMap(({ row, result }) =>
    'contactId' in result ? [{ formId: row.formId, contactId: result.contactId, submissionId: row.id, fields: row.answers }] : [],
  );
  if (raised.length) await ctx.events.raiseMany(tx, 'core.form_submitted', raised, { tenantId });
  return rows.length;
}

export const processSubmissions = defineJob({
  config: formsConfig,
  name: 'process_submissions',
  payload: z.object({ formId: z.string().min(1) }),
  maxAttempts: 10,
  async run(ctx, { formId }) {
    // Until the queue is empty: what arrives meanwhile is taken by this run or the next job.
    for (;;) {
      const claimed = await ctx.db.$transaction((tx) => processBatch(ctx, tx, formId));
      if (claimed < ctx.config.processBatch) return;
    }
  },
});

/** The job as the queue knows it: what a submission enqueues, one waiting per form. */
export const processJob = `forms.${processSubmissions.name}`;
