// The forms admin API over HTTP: making, editing, publishing and archiving forms, their
// versions, the submissions list, CSV export and report, and that another tenant reaches
// none of it by id.
import { eventually, expectJson, signedInUser } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { ada, api, publishedForm, quoteForm, startForms, visitor } from '../testing/fixtures.ts';

// The default minimum fill time (3 s), so a form sent at once is a bot's.
const soshogle = await startForms({ FORMS_MIN_FILL_SECONDS: '3' });
const { db } = soshogle;
const { send, load, visit } = visitor(soshogle);

interface FormBody {
  id: string;
  name: string;
  status: string;
  draft: { title: string; fields: { key: string }[] };
  publishedVersion: { version: number } | null;
  publicUrl: string;
  embedCode: string;
}

describe('forms', () => {
  it('are made with a starter definition, edited, listed, published in versions and deleted while they have no submissions', async () => {
    const owner = await signedInUser(soshogle);
    const made = await expectJson<FormBody>(await owner.request('POST', api, { name: 'Newsletter' }), 201);
    expect(made).toMatchObject({ name: 'Newsletter', status: 'DRAFT', publishedVersion: null, draft: { title: 'Newsletter' } });
    expect(made.draft.fields.map((f) => f.key)).toEqual(['first_name', 'email']);
    expect(made.publicUrl).toMatch(new RegExp(`/f/${made.id}$`));
    expect(made.embedCode).toContain(`data-soshogle-form="${made.id}"`);

    const bad = await expectJson<{ errors: { field: string }[] }>(
      await owner.request('PATCH', `${api}/${made.id}`, { draft: { ...quoteForm, fields: quoteForm.fields.map((f) => (f.key === 'budget' ? { ...f, options: [] } : f)) } }),
      422,
    );
    expect(bad.errors.map((e) => e.field)).toEqual(['body.draft.fields.3.options']);
    const edited = await expectJson<FormBody>(await owner.request('PATCH', `${api}/${made.id}`, { name: 'Quote', draft: quoteForm }), 200);
    expect(edited).toMatchObject({ name: 'Quote', draft: { title: 'Get a quote' } });

    const first = await expectJson<{ version: { version: number } }>(await owner.request('POST', `${api}/${made.id}/publish`), 201);
    const second = await expectJson<{ version: { version: number } }>(await owner.request('POST', `${api}/${made.id}/publish`), 201);
    expect([first.version.version, second.version.version]).toEqual([1, 2]);
    const versions = await expectJson<{ items: { version: number }[] }>(await owner.request('GET', `${api}/${made.id}/versions`), 200);
    expect(versions.items.map((v) => v.version)).toEqual([2, 1]);

    const list = await expectJson<{ items: { id: string; status: string; version: number | null; submissions: number }[] }>(await owner.request('GET', api), 200);
    expect(list.items).toEqual([expect.objectContaining({ id: made.id, status: 'PUBLISHED', version: 2, submissions: 0 })]);

    expect((await owner.request('DELETE', `${api}/${made.id}`)).status).toBe(204);
    expect((await owner.request('GET', `${api}/${made.id}`)).status).toBe(404);

    const kept = await publishedForm(soshogle, quoteForm, owner);
    await expectJson(await send(kept.formId, ada), 200);
    expect((await expectJson<{ status: number }>(await owner.request('DELETE', `${api}/${kept.formId}`), 409)).status).toBe(409);
    await expectJson(await owner.request('POST', `${api}/${kept.formId}/archive`), 200);
  });

  it("are another tenant's 404: read, edit, publish, archive, delete, versions, submissions, CSV", async () => {
    const { formId } = await publishedForm(soshogle);
    const stranger = await signedInUser(soshogle);
    for (const [method, path] of [
      ['GET', ''], ['PATCH', ''], ['DELETE', ''], ['POST', '/publish'], ['POST', '/archive'], ['GET', '/versions'], ['GET', '/submissions'], ['GET', '/submissions.csv'],
    ] as const) {
      const res = await stranger.request(method, `${api}/${formId}${path}`, method === 'PATCH' ? { name: 'Mine now' } : undefined);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await expectJson<{ items: unknown[] }>(await stranger.request('GET', api), 200)).items).toEqual([]);
    expect((await db.form.findUniqueOrThrow({ where: { id: formId } })).name).toBe('Quote');
  });
});

describe('submissions', () => {
  it('a form sent faster than a person fills it is SPAM (too_fast): no contact, the same answer', async () => {
    const { owner, formId } = await publishedForm(soshogle);
    expect(await expectJson(await send(formId, ada), 200)).toEqual({ after: { kind: 'message', message: 'Thanks, we will call you.' } });
    expect(await db.formSubmission.findFirstOrThrow({ where: { formId } })).toMatchObject({ status: 'SPAM', spamReason: 'too_fast' });
    expect(await db.contact.count({ where: { userId: owner.userId } })).toBe(0);
  });

  it('are listed newest first with their contact, filtered by status and text, exported as CSV with formulas escaped, and counted per day', async () => {
    const { owner, formId } = await publishedForm(soshogle);
    const people = [
      { ...ada, first_name: '=HYPERLINK("http://evil.example","click")', email: 'one@example.test', note: '+1 call me' },
      { ...ada, first_name: 'Grace', email: 'two@example.test', note: '@home, "quoted"' },
      { ...ada, first_name: 'Mary', email: 'three@example.test', note: '-5' },
    ];
    // Loaded, then sent after the minimum fill time: real people.
    const pages = await Promise.all(people.map(async () => expectJson<{ versionId: string; formToken: string }>(await load(formId), 200)));
    await new Promise((r) => setTimeout(r, 3_100));
    for (const [i, person] of people.entries()) {
      await expectJson(await visit('POST', `/public/${formId}/submissions`, { ...pages[i], answers: person, website: '', utm: { utm_source: 'news' } }), 200);
    }
    await send(formId, ada); // too fast: spam
    await eventually(async () => (await db.formSubmission.count({ where: { formId, status: 'PROCESSED' } })) === 3);

    type Listed = { items: { status: string; contact: { name: string; email: string } | null; version: number; answers: Record<string, unknown> }[]; nextCursor: string | null };
    const all = await expectJson<Listed>(await owner.request('GET', `${api}/${formId}/submissions?limit=2`), 200);
    expect(all.items.map((s) => s.status)).toEqual(['SPAM', 'PROCESSED']);
    const rest = await expectJson<Listed>(await owner.request('GET', `${api}/${formId}/submissions?limit=2&cursor=${all.nextCursor}`), 200);
    expect(rest.items.map((s) => s.answers.email)).toEqual(['two@example.test', 'one@example.test']);
    expect(rest.nextCursor).toBeNull();
    const processed = await expectJson<Listed>(await owner.request('GET', `${api}/${formId}/submissions?status=PROCESSED`), 200);
    expect(processed.items).toHaveLength(3);
    expect(processed.items[0]).toMatchObject({ version: 1, contact: { name: 'Mary Lovelace', email: 'three@example.test' } });
    const found = await expectJson<Listed>(await owner.request('GET', `${api}/${formId}/submissions?q=HOME`), 200);
    expect(found.items.map((s) => s.answers.email)).toEqual(['two@example.test']);
    expect((await expectJson<Listed>(await owner.request('GET', `${api}/${formId}/submissions?q=%25`), 200)).items).toEqual([]);

    const csv = await owner.request('GET', `${api}/${formId}/submissions.csv?status=PROCESSED`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('First name,Last name,Email,Budget,Anything else?,Campaign,submitted at,status,source url,utm_source,utm_medium,utm_campaign,utm_term,utm_content');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^Mary,Lovelace,three@example.test,Large,-5,,[^,]+,PROCESSED,,news,,,,$/);
    expect(lines[2]).toMatch(/^Grace,Lovelace,two@example.test,Large,"'@home, ""quoted""",/);
    expect(lines[3]).toMatch(/^"'=HYPERLINK\(""http:\/\/evil.example"",""click""\)",Lovelace,one@example.test,Large,'\+1 call me,/);

    const report = await expectJson<{ total: number; byDay: { date: string; count: number }[] }>(await owner.request('GET', `${api}/reports/submissions?days=7`), 200);
    expect(report.byDay).toHaveLength(7);
    expect(report.total).toBe(3);
    expect(report.byDay.at(-1)!.count).toBe(3);
  });
});
