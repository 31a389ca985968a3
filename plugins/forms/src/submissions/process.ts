// forms.process_submissions (design: submission pipeline, step 3): turns a form's RECEIVED
// submissions into contacts. Batches are claimed with FOR UPDATE SKIP LOCKED, so two workers
// never take the same submission; each batch is one transaction, each submission in it a
// savepoint, so one that cannot be processed (a value the CRM refuses) is marked FAILED
// without failing the others. Per submission: the contact found or made through the CRM with
// the form's tags (crm.find_or_create_contact), consent recorded through messaging
// (messaging.record_consent), the submission PROCESSED; the batch's core.form_submitted events
// are raised in the same transaction, so there is no contact without its event and no event
// without its contact.
import { defineJob, Problem, tenantSql, type EventPayloadInput, type JobContext, type TenantTx } from '@soshogle/core';
import type { FormSubmission } from '@soshogle/db';
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

async function processOne(ctx: Ctx, tx: TenantTx, form: { updateExistingContacts: boolean }, definition: FormDefinition, row: FormSubmission) {
  const { tenantId } = ctx;
  const answers = row.answers as Answers;
  const { contactId } = await ctx.actions.run(
    tx,
    'crm.find_or_create_contact',
    { ...contactOf(definition, answers), tags: definition.tags, overwrite: form.updateExistingContacts, source: 'form' },
    { tenantId, idempotencyKey: `form-submission:${row.id}` },
  );
  if (row.consent && definition.consent) {
    const channels = [...(definition.consent.email ? ['EMAIL' as const] : []), ...(definition.consent.sms ? ['SMS' as const] : [])];
    await ctx.actions.run(
      tx,
      'messaging.record_consent',
      {
        contactId,
        channels,
        source: 'form',
        wording: definition.consent.wording,
        evidence: { formId: row.formId, submissionId: row.id, sourceUrl: row.sourceUrl, ipPrefix: row.ipPrefix, at: row.createdAt.toISOString() },
      },
      { tenantId, idempotencyKey: `form-consent:${row.id}`, contactId },
    );
  }
  await tx.formSubmission.update({ where: { id: row.id }, data: { status: 'PROCESSED', contactId, processedAt: new Date() } });
  return { formId: row.formId, contactId, submissionId: row.id, fields: answers };
}

/** Claims and processes one batch of the form's RECEIVED submissions; returns how many it claimed. */
async function processBatch(ctx: Ctx, tx: TenantTx, formId: string): Promise<number> {
  const t = tenantSql(ctx.tenantId);
  const rows = await tx.$queryRaw<FormSubmission[]>(t`
    select * from "FormSubmission"
    where ${t.owns()} and "formId" = ${formId} and status = 'RECEIVED'
    order by "createdAt", id
    limit ${ctx.config.processBatch}
    for update skip locked`);
  if (!rows.length) return 0;
  const form = await tx.form.findUnique({ where: { id: formId }, select: { updateExistingContacts: true } });
  if (!form) return 0; // deleted meanwhile: its submissions went with it
  const raised: EventPayloadInput<'core.form_submitted'>[] = [];
  for (const row of rows) {
    // There: the version's foreign key cascades, and the submission was checked to be of this form's.
    const definition = (await versionOf(tx, formId, row.formVersionId))!;
    await tx.$executeRaw`savepoint form_submission`;
    try {
      raised.push(await processOne(ctx, tx, form, definition, row));
      await tx.$executeRaw`release savepoint form_submission`;
    } catch (error) {
      // A refusal (a value the CRM will never take) fails this submission for good; anything
      // else (the database went away) fails the batch, which the job retries.
      if (!(error instanceof Problem) || error.status >= 500) throw error;
      await tx.$executeRaw`rollback to savepoint form_submission`;
      ctx.log.warn({ submissionId: row.id, error: error.message }, 'form submission could not be processed');
      await tx.formSubmission.update({ where: { id: row.id }, data: { status: 'FAILED', spamReason: error.message.slice(0, 500), processedAt: new Date() } });
    }
  }
  if (raised.length) await ctx.events.raiseMany(tx, 'core.form_submitted', raised, { tenantId: ctx.tenantId });
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
      const claimed = await ctx.db.$transaction((tx) => processBatch(ctx, tx, formId), { timeout: 60_000 });
      if (claimed < ctx.config.processBatch) return;
    }
  },
});

/** The job as the queue knows it: what a submission enqueues, one waiting per form. */
export const processJob = `forms.${processSubmissions.name}`;
