// A visitor sends a form (design: submission pipeline, step 1-2). Checks outside any
// transaction: the rate limits, the version is one of the form's own, the form
// token (issued by the GET; too old is a 422, too young is a bot), the honeypot, the answers;
// the form being open is checked by the statement that stores the submission.
// A bot's submission is stored as SPAM and answered like anyone's, so it learns nothing. A
// person's is stored RECEIVED with the processing job queued in the same transaction, and
// answered at once: the contact, tags, consent and event come from the job (process.ts).
import { randomBytes } from 'node:crypto';
import { formTokenAge, gathered, invalid, ipPrefix, tenantSql, type TenantContext } from '@soshogle/core';
import { Prisma } from '@soshogle/db';
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
  const stored = await receive(ctx, {
    formId,
    formVersionId: body.versionId,
    answers: checked.value,
    consent,
    sourceUrl: base.sourceUrl,
    utm: base.utm,
    ipPrefix: base.ipPrefix,
    userAgent: base.userAgent,
  });
  if (!stored) await openForm(db, formId); // closed or gone meanwhile: its 404
  return { after: definition.after };
}

/** A good submission as it is stored. */
interface Received {
  formId: string;
  formVersionId: string;
  answers: Answers;
  consent: boolean;
  sourceUrl: string | null;
  utm: Prisma.InputJsonObject;
  ipPrefix: string | null;
  userAgent: string | null;
}

/** What storing needs of a request's context: the same for every request of a tenant. */
type Store = Pick<Ctx, 'tenantId' | 'db' | 'jobs'>;

/** Most submissions stored by one statement. */
const receiveBatch = 200;

/**
 * Stores good submissions with their forms' jobs, one statement (and one commit, one WAL
 * flush) for those of a tenant arriving together (gathered, core/src/http/gathered.ts): each
 * POST is answered once its statement committed. Per tenant, so the statement is the
 * tenant's. Answers, per submission, whether it was stored (not: its form closed meanwhile),
 * or the error its statement met alone.
 */
function storeReceived(ctx: Store, items: Received[]): Promise<(boolean | { error: unknown })[]> {
  const t = tenantSql(ctx.tenantId);
  const rows = items.map((item, n) => ({ ...item, n, id: `s${randomBytes(12).toString('hex')}` }));
  // One waiting job per form, due a moment after the first submission of a burst: the burst is
  // processed in batches by one run, and the submissions that find it waiting write nothing
  // more (jobKey). Queued only for a form that got a row, in form order (two statements
  // queueing the same forms wait for each other in one order).
  const forms = [...new Set(items.map((item) => item.formId))].sort();
  const runAt = new Date(Date.now() + gatherMs);
  const queued = forms.map((formId) => Prisma.sql`select ${ctx.jobs.enqueueSql(processJob, { formId }, { tenantId: ctx.tenantId, jobKey: formId, runAt })} from forms where "formId" = ${formId}`);
  // The submissions only while their form is published; every row is in before a job is queued.
  return ctx.db
    .$queryRaw<{ id: string }[]>(t`
      with received as (
        insert into "FormSubmission" (id, "userId", "formId", "formVersionId", status, answers, consent, "sourceUrl", utm, "ipPrefix", "userAgent")
        select r.id, ${t.id}, f.id, r."formVersionId", 'RECEIVED', r.answers, r.consent, r."sourceUrl", r.utm, r."ipPrefix", r."userAgent"
        from json_to_recordset(${JSON.stringify(rows)}::json)
          as r(id text, n int, "formId" text, "formVersionId" text, answers jsonb, consent boolean, "sourceUrl" text, utm jsonb, "ipPrefix" text, "userAgent" text)
        join "Form" f on f.id = r."formId" and ${t.owns('f')} and f.status = 'PUBLISHED' and f."publishedVersionId" is not null
        order by r.n
        returning id, "formId"),
      forms as materialized (select "formId" from received group by "formId"),
      queued as (${Prisma.join(queued, ' union all ')})
      select id, (select count(*) from queued) as queued from received`)
    .then(
      (inserted) => {
        const ids = new Set(inserted.map((row) => row.id));
        return rows.map((row) => ids.has(row.id));
      },
      async (error: unknown) => {
        // One submission the database refuses does not fail the others with it: each is tried alone.
        if (items.length === 1) return [{ error }];
        return (await Promise.all(items.map((item) => storeReceived(ctx, [item])))).flat();
      },
    );
}

/**
 * The gathered store of each tenant, per running Soshogle (by its jobs, which each start makes
 * anew: a Soshogle restarted in one process, as tests do, never gets the stopped one's client).
 * Bounded: an evicted store finishes what it holds.
 */
const receivers = new WeakMap<object, Map<string, (item: Received) => Promise<boolean | { error: unknown }>>>();
const receiversSize = 10_000;

async function receive(ctx: Ctx, item: Received): Promise<boolean> {
  let stores = receivers.get(ctx.jobs);
  if (!stores) receivers.set(ctx.jobs, (stores = new Map()));
  let store = stores.get(ctx.tenantId);
  if (!store) {
    if (stores.size >= receiversSize) stores.delete(stores.keys().next().value!);
    // The first request's db and jobs serve the tenant's later ones: they do not change.
    const target: Store = { tenantId: ctx.tenantId, db: ctx.db, jobs: ctx.jobs };
    store = gathered((items: Received[]) => storeReceived(target, items), { max: receiveBatch });
    stores.set(ctx.tenantId, store);
  }
  const result = await store(item);
  if (typeof result === 'object') throw result.error;
  return result;
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
