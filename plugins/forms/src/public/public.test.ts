// The public form end to end, as an anonymous visitor uses it over HTTP, up to what the
// processing job makes of a submission: the contact with the form's tags, the consent
// ledger line with its wording, core.form_submitted, and the workflow it starts.
import { eventRecorder, eventually, expectJson, publishWorkflow } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { ada, api, publishedForm, quoteForm, startForms, visitor } from '../testing/fixtures.ts';

const { plugin: recorder, heard } = eventRecorder(['core.form_submitted']);
const soshogle = await startForms({ FORMS_SUBMISSIONS_PER_FORM_MINUTE: '5' }, [recorder]);
const { db } = soshogle;
const { visit, load, send } = visitor(soshogle);

describe('the public form', () => {
  it('is served once published, with a token; a draft is a 404, an archived form "This form is closed"', async () => {
    const owner = (await publishedForm(soshogle)).owner;
    const draft = await expectJson<{ id: string }>(await owner.request('POST', api, { name: 'Draft' }), 201);
    expect((await load(draft.id)).status).toBe(404);
    expect((await load('no-such-form')).status).toBe(404);

    const { formId, versionId } = await publishedForm(soshogle, quoteForm, owner);
    const page = await expectJson<{ formId: string; versionId: string; definition: { title: string }; formToken: string }>(await load(formId), 200);
    expect(page).toMatchObject({ formId, versionId, definition: { title: 'Get a quote' } });
    expect(page.formToken).toMatch(/^\d+\.[\w-]+$/);

    await expectJson(await owner.request('POST', `${api}/${formId}/archive`), 200);
    const closed = await expectJson<{ detail: string }>(await load(formId), 404);
    expect(closed.detail).toBe('This form is closed');
    expect((await expectJson<{ detail: string }>(await visit('POST', `/public/${formId}/submissions`, { versionId, formToken: page.formToken, answers: ada }), 404)).detail).toBe('This form is closed');
  });

  it('turns a submission into a contact with the tags, the consent with its wording, the event and a workflow run filtered by form and answer', async () => {
    const { owner, formId } = await publishedForm(soshogle);
    const other = await publishedForm(soshogle, quoteForm, owner);
    const workflowId = await publishWorkflow(owner, {
      trigger: 'FORM_SUBMITTED',
      triggerFilter: { formId, fields: { budget: 'Large' } },
      actions: [{ id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'Big budget' } }],
    });

    const sent = await send(formId, ada, { consent: true, sourceUrl: 'https://shop.example/pricing', utm: { utm_source: 'google', utm_campaign: 'spring' } });
    expect(await expectJson(sent, 200)).toEqual({ after: { kind: 'message', message: 'Thanks, we will call you.' } });
    // Another form, and a small budget, start nothing.
    await expectJson(await send(other.formId, { ...ada, email: 'ada2@example.test' }), 200);
    await expectJson(await send(formId, { ...ada, email: 'grace@example.test', first_name: 'Grace', budget: 'Small' }), 200);

    const submission = await eventually(() => db.formSubmission.findFirst({ where: { formId, status: 'PROCESSED', answers: { path: ['email'], equals: 'ada@example.test' } } }));
    expect(submission).toMatchObject({
      sourceUrl: 'https://shop.example/pricing',
      utm: { utm_source: 'google', utm_campaign: 'spring' },
      ipPrefix: '127.0.0.0/24',
      consent: true,
      answers: { ...ada, campaign: 'spring' },
    });
    const contact = await db.contact.findUniqueOrThrow({ where: { id: submission.contactId! } });
    expect(contact).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test', source: 'form', userId: owner.userId });
    expect(contact.tags).toEqual(expect.arrayContaining(['Website lead', 'Quote']));

    const consent = await db.consentChange.findMany({ where: { contactId: contact.id } });
    expect(consent).toEqual([
      expect.objectContaining({
        channel: 'EMAIL', doNotDisturb: false, source: 'form', wording: quoteForm.consent!.wording,
        evidence: expect.objectContaining({ formId, submissionId: submission.id, sourceUrl: 'https://shop.example/pricing', ipPrefix: '127.0.0.0/24' }),
      }),
    ]);
    // The contact page's consent history shows the wording.
    const history = await expectJson<{ history: { wording: string | null }[] }>(await owner.request('GET', `/api/messaging/contacts/${contact.id}/consent`), 200);
    expect(history.history[0]!.wording).toBe(quoteForm.consent!.wording);

    const event = await eventually(async () => heard.find((e) => e.payload.submissionId === submission.id));
    expect(event.payload).toMatchObject({ formId, contactId: contact.id, fields: { budget: 'Large', email: 'ada@example.test' } });
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: 'COMPLETED' } }));
    expect(run.contactId).toBe(contact.id);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).tags).toContain('Big budget');
    await eventually(async () => (await db.formSubmission.count({ where: { userId: owner.userId, status: 'PROCESSED' } })) === 3);
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(1);

    // The timeline says which form.
    const timeline = await expectJson<{ items: { kind: string; title: string; link: string }[] }>(await owner.request('GET', `/api/contacts/${contact.id}/timeline`), 200);
    expect(timeline.items).toContainEqual(expect.objectContaining({ kind: 'form_submission', title: 'Submitted Quote', link: `/forms/${formId}/submissions` }));
  });

  it('a person sending again is the same contact: filled gaps only, unless the form updates existing contacts', async () => {
    const { owner, formId } = await publishedForm(soshogle);
    await expectJson(await send(formId, { ...ada, email: 'same@example.test', last_name: '' }), 200);
    const first = await eventually(() => db.formSubmission.findFirst({ where: { formId, status: 'PROCESSED' } }));
    await expectJson(await send(formId, { ...ada, email: 'SAME@example.test', first_name: 'Augusta', last_name: 'King' }), 200);
    await eventually(async () => (await db.formSubmission.count({ where: { formId, status: 'PROCESSED' } })) === 2);
    expect(await db.contact.findUniqueOrThrow({ where: { id: first.contactId! } })).toMatchObject({ firstName: 'Ada', lastName: 'King' });

    await expectJson(await owner.request('PATCH', `${api}/${formId}`, { updateExistingContacts: true }), 200);
    await expectJson(await send(formId, { ...ada, email: 'same@example.test', first_name: 'Augusta', last_name: 'Byron' }), 200);
    await eventually(async () => (await db.formSubmission.count({ where: { formId, status: 'PROCESSED' } })) === 3);
    expect(await db.contact.findUniqueOrThrow({ where: { id: first.contactId! } })).toMatchObject({ firstName: 'Augusta', lastName: 'Byron' });
    expect(await db.contact.count({ where: { userId: owner.userId } })).toBe(1);
  });

  it('stores spam (the honeypot, too fast) as SPAM with its reason, makes no contact, and answers it like anyone', async () => {
    const { owner, formId } = await publishedForm(soshogle);
    const bot = await send(formId, ada, { website: 'http://spam.example' });
    expect(await expectJson(bot, 200)).toEqual({ after: { kind: 'message', message: 'Thanks, we will call you.' } });
    const spam = await db.formSubmission.findFirstOrThrow({ where: { formId } });
    expect(spam).toMatchObject({ status: 'SPAM', spamReason: 'honeypot', contactId: null });
    expect(await db.contact.count({ where: { userId: owner.userId } })).toBe(0);
  });

  it('refuses bad answers, an unknown or foreign version and a forged or expired token, naming the field', async () => {
    const { formId } = await publishedForm(soshogle);
    const theirs = await publishedForm(soshogle);
    const bad = await expectJson<{ errors: { field: string }[] }>(await send(formId, { ...ada, email: 'nope', budget: 'Huge' }), 422);
    expect(bad.errors.map((e) => e.field)).toEqual(['body.answers.email', 'body.answers.budget']);
    const page = await expectJson<{ formToken: string }>(await load(formId), 200);
    const post = (body: Record<string, unknown>) => visit('POST', `/public/${formId}/submissions`, { answers: ada, ...body });
    expect((await expectJson<{ errors: { field: string }[] }>(await post({ versionId: theirs.versionId, formToken: page.formToken }), 422)).errors.map((e) => e.field)).toEqual(['body.versionId']);
    const { versionId } = await expectJson<{ versionId: string }>(await load(formId), 200);
    const theirToken = (await expectJson<{ formToken: string }>(await load(theirs.formId), 200)).formToken;
    expect((await expectJson<{ errors: { field: string }[] }>(await post({ versionId, formToken: theirToken }), 422)).errors.map((e) => e.field)).toEqual(['body.formToken']);
    expect((await expectJson<{ errors: { field: string }[] }>(await post({ versionId, formToken: `1.${'a'.repeat(43)}` }), 422)).errors.map((e) => e.field)).toEqual(['body.formToken']);
    expect(await db.formSubmission.count({ where: { formId } })).toBe(0);
  });

  it('accepts a submission against the version the visitor loaded after a newer one is published', async () => {
    const { owner, formId, versionId } = await publishedForm(soshogle);
    const page = await expectJson<{ formToken: string }>(await load(formId), 200);
    // The new version drops the budget question and requires a phone.
    const next = { ...quoteForm, fields: [...quoteForm.fields.filter((f) => f.key !== 'budget'), { key: 'phone', type: 'phone' as const, label: 'Phone', required: true }] };
    await expectJson(await owner.request('PATCH', `${api}/${formId}`, { draft: next }), 200);
    const { version } = await expectJson<{ version: { id: string; version: number } }>(await owner.request('POST', `${api}/${formId}/publish`), 201);
    expect(version.version).toBe(2);
    expect((await expectJson<{ versionId: string }>(await load(formId), 200)).versionId).toBe(version.id);

    await expectJson(await visit('POST', `/public/${formId}/submissions`, { versionId, formToken: page.formToken, answers: ada }), 200);
    const kept = await eventually(() => db.formSubmission.findFirst({ where: { formId, status: 'PROCESSED' } }));
    expect(kept.formVersionId).toBe(versionId);
  });
});

describe('submissions arriving together', () => {
  /** Holds every insert into FormSubmission until the returned function is called. */
  const blockInserts = async () => {
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const held = db.$transaction(async (tx) => {
      await tx.$executeRaw`lock table "FormSubmission" in exclusive mode`;
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await isLocked;
    return async () => {
      release();
      await held;
    };
  };
  /** Until a POST's insert waits on that lock: those sent after it gather for the next statement. */
  const waitingOnLock = async () => {
    for (;;) {
      const [row] = await db.$queryRaw<{ n: bigint }[]>`select count(*) as n from pg_locks where relation = '"FormSubmission"'::regclass and not granted`;
      if (Number(row!.n) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  /** POSTs to forms whose pages were loaded before (so a form archived since still gets its POST). */
  const poster = async (formIds: string[]) => {
    const pages = new Map<string, { versionId: string; formToken: string }>();
    for (const formId of formIds) pages.set(formId, await expectJson(await load(formId), 200));
    return (formId: string, answers: Record<string, unknown>) => visit('POST', `/public/${formId}/submissions`, { ...pages.get(formId), answers, website: '' });
  };
  const xminOf = async (email: string) => {
    const [row] = await db.$queryRaw<{ xmin: string }[]>`select xmin::text as xmin from "FormSubmission" where answers->>'email' = ${email}`;
    return row?.xmin;
  };

  it('are stored by one statement with one job per form; a form closed meanwhile answers its 404 and stores nothing', async () => {
    const { owner, formId } = await publishedForm(soshogle);
    const other = await publishedForm(soshogle, quoteForm, owner);
    const closed = await publishedForm(soshogle, quoteForm, owner);
    const post = await poster([formId, other.formId, closed.formId]);
    await expectJson(await owner.request('POST', `${api}/${closed.formId}/archive`), 200);

    const release = await blockInserts();
    const first = post(formId, { ...ada, email: 'first@example.test' });
    await waitingOnLock();
    const together = [
      post(formId, { ...ada, email: 'g1@example.test' }),
      post(other.formId, { ...ada, email: 'g2@example.test' }),
      post(closed.formId, { ...ada, email: 'g3@example.test' }),
      post(formId, { ...ada, email: 'g4@example.test' }),
    ];
    await new Promise((resolve) => setTimeout(resolve, 300));
    await release();
    expect((await first).status).toBe(200);
    const answers = await Promise.all(together);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 404, 200]);
    expect((await expectJson<{ detail: string }>(answers[2]!, 404)).detail).toBe('This form is closed');
    // One transaction wrote the three: one commit for them all.
    const xmins = await Promise.all(['g1', 'g2', 'g4'].map((name) => xminOf(`${name}@example.test`)));
    expect(xmins[0]).toBeDefined();
    expect(new Set(xmins).size).toBe(1);
    expect(await xminOf('first@example.test')).not.toBe(xmins[0]);
    expect(await db.formSubmission.count({ where: { formId: closed.formId } })).toBe(0);
    // Each form's submissions processed by its job, each once.
    await eventually(async () => (await db.formSubmission.count({ where: { userId: owner.userId, status: 'PROCESSED' } })) === 4);
    const contacts = await db.contact.findMany({ where: { userId: owner.userId }, select: { email: true } });
    expect(contacts.map((c) => c.email).sort()).toEqual(['first@example.test', 'g1@example.test', 'g2@example.test', 'g4@example.test']);
  });

  it('one the database refuses fails alone: the others sent with it are stored', async () => {
    const { owner, formId } = await publishedForm(soshogle);
    const post = await poster([formId]);
    await db.$executeRawUnsafe(`create function refuse_poison() returns trigger language plpgsql as $$ begin if new.answers->>'email' like 'poison%' then raise exception 'poisoned' using errcode = '22023'; end if; return new; end $$`);
    await db.$executeRawUnsafe(`create trigger refuse_poison before insert on "FormSubmission" for each row execute function refuse_poison()`);
    try {
      const release = await blockInserts();
      const first = post(formId, { ...ada, email: 'p0@example.test' });
      await waitingOnLock();
      const together = [post(formId, { ...ada, email: 'p1@example.test' }), post(formId, { ...ada, email: 'poison@example.test' }), post(formId, { ...ada, email: 'p2@example.test' })];
      await new Promise((resolve) => setTimeout(resolve, 300));
      await release();
      expect([(await first).status, ...(await Promise.all(together)).map((r) => r.status)]).toEqual([200, 200, 422, 200]);
    } finally {
      await db.$executeRawUnsafe('drop trigger refuse_poison on "FormSubmission"');
      await db.$executeRawUnsafe('drop function refuse_poison()');
    }
    const stored = await db.formSubmission.findMany({ where: { userId: owner.userId }, select: { answers: true } });
    expect(stored.map((s) => (s.answers as { email: string }).email).sort()).toEqual(['p0@example.test', 'p1@example.test', 'p2@example.test']);
  });
});

describe('rate limits', () => {
  it('answer 429 with Retry-After past the per-form limit, storing nothing; a refused submission counts as much as a good one', async () => {
    const { formId } = await publishedForm(soshogle);
    const statuses = [(await send(formId, { ...ada, email: 'nope' })).status];
    for (let i = 0; i < 5; i++) statuses.push((await send(formId, { ...ada, email: `r${i}@example.test` })).status);
    expect(statuses).toEqual([422, 200, 200, 200, 200, 429]);
    const refused = await send(formId, ada);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Over the limit, bad answers are a 429 too: the limit is checked first.
    expect((await send(formId, { ...ada, email: 'nope' })).status).toBe(429);
    expect(await db.formSubmission.count({ where: { formId } })).toBe(4);
    const counts = await db.rateLimit.findMany({ where: { key: { endsWith: `:submissions:form:${formId}` } }, select: { count: true } });
    expect(counts).toEqual([{ count: 8 }]);
  });
});
