// A visitor sends a form (design: submission pipeline, step 1-2). Checks outside any
// transaction: the rate limits, the version is one of the form's own, the form
// token (issued by the GET; too old is a 422, too young is a bot), the honeypot, the answers;
// the form being open is checked by the statement that stores the submission.
// A bot's submission is stored as SPAM and answered like anyone's, so it learns nothing. A
// person's is stored RECEIVED with the processing job queued in the same transaction, and
// answered at once: the contact, tags, consent and event come from the job (process.ts).
import { randomBytes } from 'node:crypto';
import { formTokenAge, invalid, ipPrefix, tenantSql, type TenantContext } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import type { z } from 'zod';
import { checkAnswers, hiddenAnswers, type Answers } from '../answers.ts';
import type { FormsConfig } from '../config.ts';
import type { FormDefinition } from '../definition.ts';
import type { submissionBody } from '../schemas.ts';
import { processJob } from '../submissions/process.ts';
import { limitSubmissions } from './limits.ts';
import { openForm, versionOf } from './published.ts';

type Body = z.output<typeof submissionBody>;

/**
 * How long a form's processing waits after the first submission of a burst, to take the rest
 * with it: a batch's cost is mostly per batch (its transaction, the CRM's and messaging's
 * statements, the raise and the workflow start it queues), so fuller batches cost less per
 * submission (bench:forms: ~12% less CPU than 100 ms, with FORMS_PROCESS_BATCH 100).
 */
const gatherMs = 250;
type Ctx = TenantContext<FormsConfig>;

export interface Visit {
  formId: string;
  body: Body;
  /** The visitor's address (behind a proxy: TRUST_PROXY): its prefix is kept, and it is rate limited. */
  ip: string;
  userAgent: string | null;
}

export async function submitForm(ctx: Ctx, visit: Visit): Promise<{ after: FormDefinition['after'] }> {
  const { db, tenantId, config } = ctx;
  const { formId, body } = visit;
  await limitSubmissions(ctx, visit.ip, formId);
  // The form being open is checked by the statement that stores the submission (one round
  // trip for a good one); every refusal looks at the form first, so a closed form says so.
  const refuse = async (problem: Error): Promise<never> => {
    await openForm(db, formId);
    throw problem;
  };
  const definition = await versionOf(db, formId, body.versionId);
  if (!definition) return refuse(invalid('body.versionId', 'Not a version of this form: reload the page'));
  const age = formTokenAge(ctx.secrets, formId, body.formToken, { maxAgeMs: config.maxFormAgeHours * 3_600_000 });
  if (age === null) return refuse(invalid('body.formToken', 'This form has expired: reload the page and send it again'));

  const base = {
    userId: tenantId,
    formId,
    formVersionId: body.versionId,
    sourceUrl: body.sourceUrl || null,
    utm: (body.utm ?? {}) as Prisma.InputJsonObject,
    ipPrefix: ipPrefix(visit.ip),
    userAgent: visit.userAgent?.slice(0, 500) ?? null,
  };
  const spamReason = body.website ? 'honeypot' : age < config.minFillSeconds * 1000 ? 'too_fast' : null;
  if (spamReason) {
    await openForm(db, formId);
    ctx.log.info({ formId, spamReason, formAgeMs: age }, 'form submission stored as spam');
    await db.formSubmission.create({ data: { ...base, status: 'SPAM', spamReason, answers: safeAnswers(definition, body.answers) } });
    return { after: definition.after };
  }
  // Hidden fields the page did not fill, filled as the page would.
  const checked = checkAnswers(definition, { ...body.answers, ...hiddenAnswers(definition, body, body.answers) });
  if (!checked.ok) return refuse(invalid(checked.errors.map((e) => ({ field: `body.${e.field}`, message: e.message }))));

  const consent = Boolean(body.consent && definition.consent);
  // One statement: the submission (only while the form is published) and its job commit
  // together, and no transaction stays open between round trips. One waiting job per form,
  // due a moment after the first submission of a burst: the burst is processed in batches by
  // one run, and the submissions that find it waiting write nothing more (jobKey).
  const t = tenantSql(tenantId);
  const job = ctx.jobs.enqueueSql(processJob, { formId }, { tenantId, jobKey: formId, runAt: new Date(Date.now() + gatherMs) });
  const stored = await db.$executeRaw(t`
    with received as (
      insert into "FormSubmission" (id, "userId", "formId", "formVersionId", status, answers, consent, "sourceUrl", utm, "ipPrefix", "userAgent")
      select ${`s${randomBytes(12).toString('hex')}`}, ${t.id}, f.id, ${body.versionId}, 'RECEIVED', ${JSON.stringify(checked.value)}::jsonb, ${consent},
             ${base.sourceUrl}, ${JSON.stringify(base.utm)}::jsonb, ${base.ipPrefix}, ${base.userAgent}
      from "Form" f
      where f.id = ${formId} and ${t.owns('f')} and f.status = 'PUBLISHED' and f."publishedVersionId" is not null
      returning id
    )
    select ${job} from received`);
  if (!stored) await openForm(db, formId); // closed or gone meanwhile: its 404
  return { after: definition.after };
}

/** What a spam submission keeps of its answers: the form's fields only, as text, bounded. */
function safeAnswers(definition: FormDefinition, answers: Record<string, unknown>): Answers {
  const kept: Answers = {};
  for (const field of definition.fields) {
    const value = answers[field.key];
    if (typeof value === 'string' || typeof value === 'boolean') kept[field.key] = typeof value === 'string' ? value.slice(0, 500) : value;
    else if (Array.isArray(value)) kept[field.key] = value.filter((v): v is string => typeof v === 'string').slice(0, 100).map((v) => v.slice(0, 200));
  }
  return kept;
}
