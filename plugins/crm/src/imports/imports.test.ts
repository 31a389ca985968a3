// CSV import and export of contacts through the API, against a real server, worker and
// database; events observed by a subscriber the way another plugin would hear them.
import { eventRecorder, eventually, expectJson, queueSettled, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { CrmConfig } from '../config.ts';
import crm from '../index.ts';
import { runImport, type ImportRequest } from './import.ts';

const { plugin: recorder, heard } = eventRecorder(['core.contact_created', 'core.contact_updated', 'core.tag_added']);

const soshogle = await startTestSoshogle([crm, recorder], { CRM_DEFAULT_COUNTRY: 'US' });
const { db } = soshogle;


type Problem = { errors: { field: string; message: string }[] };
type Upload = { upload: { id: string; fileName: string; headers: string[]; rowCount: number }; sample: Record<string, string>[]; suggestedMapping: Record<string, string | null> };
type Job = { id: string; status: string; total: number; processed: number; succeeded: number; failed: number; result: Record<string, number>; error: string | null };

const uploadCsv = async (client: TestClient, content: string, fileName = 'contacts.csv') =>
  expectJson<Upload>(await client.request('POST', '/api/crm/contacts/imports/uploads', { fileName, content }), 201);

/** Uploads `content`, imports it with `options` and waits for the job to finish. */
async function importCsv(client: TestClient, content: string, options: Partial<ImportRequest> & { mapping: ImportRequest['mapping'] }): Promise<Job> {
  const { upload } = await uploadCsv(client, content);
  const { job } = await expectJson<{ job: Job }>(await client.request('POST', '/api/crm/contacts/imports', { uploadId: upload.id, ...options }), 202);
  await eventually(() => db.crmJob.findFirst({ where: { id: job.id, status: { in: ['COMPLETED', 'FAILED'] } } }));
  return expectJson<Job>(await client.request('GET', `/api/crm/jobs/${job.id}`), 200);
}

const contactsOf = (userId: string) => db.contact.findMany({ where: { userId }, orderBy: [{ firstName: 'asc' }, { id: 'asc' }] });

const basicMapping = { 'First Name': 'firstName', 'Last Name': 'lastName', Email: 'email', Phone: 'phone', Company: 'company', Tags: 'tags' };

describe('upload', () => {
  it('reads the header, counts rows (BOM, CRLF, quoted commas and newlines) and guesses the mapping, custom fields included', async () => {
    const user = await signedInUser(soshogle);
    await expectJson(await user.request('POST', '/api/crm/custom-fields', { key: 'plan', label: 'Plan', type: 'SELECT', options: ['free', 'pro'] }), 201);
    await expectJson(await user.request('POST', '/api/crm/custom-fields', { key: 'seats', label: 'Seat count', type: 'NUMBER' }), 201);
    const csv =
      '\ufeffFirst Name,last_name,E-mail,Mobile,Company,Tags,Lead Source,Plan,seats,Notes,Phone\r\n' +
      'Ada,Lovelace,ada@example.com,(512) 555-0134,"Analytical, Engines",vip;math,web,pro,3,"likes\r\nnumbers",\r\n' +
      '\r\n' +
      'Alan,Turing,alan@example.com,,Bletchley,,,free,,,\r\n';
    const { upload, sample, suggestedMapping } = await uploadCsv(user, csv, 'people.csv');
    expect(upload).toMatchObject({ fileName: 'people.csv', rowCount: 2 });
    expect(upload.headers[0]).toBe('First Name');
    expect(sample[0]).toMatchObject({ 'First Name': 'Ada', Company: 'Analytical, Engines', Notes: 'likes\r\nnumbers' });
    expect(sample).toHaveLength(2);
    expect(suggestedMapping).toEqual({
      'First Name': 'firstName',
      last_name: 'lastName',
      'E-mail': 'email',
      Mobile: 'phone',
      Company: 'company',
      Tags: 'tags',
      'Lead Source': 'source',
      Plan: 'customFields.plan',
      seats: 'customFields.seats',
      Notes: null,
      // Mobile took the phone field first.
      Phone: null,
    });
  });

  it('takes the file itself as a text/csv body, named by ?fileName=', async () => {
    const user = await signedInUser(soshogle);
    const sent = await user.request('POST', '/api/crm/contacts/imports/uploads?fileName=raw.csv', 'First Name,Email\nGrace,grace@example.com\n', {
      'content-type': 'text/csv',
    });
    const { upload } = await expectJson<{ upload: Upload }>(sent, 201);
    // Only routes that take a file read a CSV body: elsewhere it is no body at all.
    expect((await user.request('POST', '/api/crm/contacts', 'firstName\nX\n', { 'content-type': 'text/csv' })).status).toBe(422);
    expect(upload).toMatchObject({ fileName: 'raw.csv', headers: ['First Name', 'Email'], rowCount: 1 });
  });

  it('refuses bad files with 422 naming the problem: empty, no data rows, unclosed quote, duplicate or blank headers', async () => {
    const user = await signedInUser(soshogle);
    const refused = async (content: string) => {
      const problem = await expectJson<Problem>(await user.request('POST', '/api/crm/contacts/imports/uploads', { content }), 422);
      expect(problem.errors[0]!.field).toBe('body.content');
      return problem.errors[0]!.message;
    };
    expect(await refused('')).toBe('The file is empty');
    expect(await refused('\r\n\r\n')).toBe('The file has no header row');
    expect(await refused('First Name,Email\r\n')).toBe('The file has a header row but no data rows');
    expect(await refused('First Name,Email\nAda,"ada@example.com\nAlan,alan@example.com\n')).toMatch(/quote/i);
    expect(await refused('First Name,Email,email,Email\nAda,a,b,c\n')).toBe('The header row names the column "Email" twice');
    expect(await refused('First Name,,Email\nAda,x,a@b.c\n')).toBe('Column 2 of the header row has no name');
    expect((await expectJson<Problem>(await user.request('POST', '/api/crm/contacts/imports/uploads', {}), 422)).errors[0]!.field).toBe('body.content');
    expect(await db.csvUpload.count({ where: { userId: user.userId } })).toBe(0);
  });

  it('refuses a file with NUL bytes (UTF-16), and reads a compressed upload by its Content-Encoding', async () => {
    const user = await signedInUser(soshogle);
    const csv = 'First Name,Email\nGrace,grace@example.com\n';
    const send = (body: string | Uint8Array, headers: Record<string, string>) => user.request('POST', '/api/crm/contacts/imports/uploads', body, { 'content-type': 'text/csv', ...headers });
    const utf16 = await expectJson<Problem>(await send(new Uint8Array(Buffer.from(`\ufeff${csv}`, 'utf16le')), {}), 422);
    expect(utf16.errors[0]).toEqual({ field: 'body.content', message: expect.stringMatching(/NUL bytes/) });
    expect((await expectJson<Problem>(await user.request('POST', '/api/crm/contacts/imports/uploads', { content: 'a,b\n\u0000,1\n' }), 422)).errors[0]!.field).toBe('body.content');
    const { upload } = await expectJson<Upload>(await send(new Uint8Array(gzipSync(csv)), { 'content-encoding': 'gzip' }), 201);
    expect(upload).toMatchObject({ headers: ['First Name', 'Email'], rowCount: 1 });
    // An encoding we do not read, and bytes that are not what their encoding says: refused, never read as a CSV.
    expect((await send(csv, { 'content-encoding': 'compress' })).status).toBe(415);
    expect((await send(csv, { 'content-encoding': 'gzip' })).status).toBe(400);
    expect(await db.csvUpload.count({ where: { userId: user.userId } })).toBe(1);
  });

  it('reads semicolon-separated files', async () => {
    const user = await signedInUser(soshogle);
    const { upload } = await uploadCsv(user, 'First Name;Email\nAda;ada@example.com\n');
    expect(upload.headers).toEqual(['First Name', 'Email']);
  });
});

describe('import', () => {
  it('refuses a wrong mapping with 422 naming mapping.<header>', async () => {
    const user = await signedInUser(soshogle);
    const { upload } = await uploadCsv(user, 'First Name,Email,Phone,Plan\nAda,ada@example.com,,pro\n');
    const refused = async (mapping: Record<string, string | null>) =>
      (await expectJson<Problem>(await user.request('POST', '/api/crm/contacts/imports', { uploadId: upload.id, mapping }), 422)).errors.map((e) => e.field);
    expect(await refused({ 'First Name': 'firstName', Email: 'emial' })).toEqual(['body.mapping.Email']);
    expect(await refused({ 'First Name': 'firstName', Plan: 'customFields.plan' })).toEqual(['body.mapping.Plan']);
    expect(await refused({ 'First Name': 'firstName', Email: 'email', Phone: 'email' })).toEqual(['body.mapping.Phone']);
    expect(await refused({ 'First Name': 'firstName', Mobile: 'phone' })).toEqual(['body.mapping.Mobile']);
    expect(await refused({ Email: 'email' })).toEqual(['body.mapping']);
    expect((await expectJson<Problem>(await user.request('POST', '/api/crm/contacts/imports', { uploadId: upload.id, mapping: {}, duplicates: 'merge' }), 422)).errors[0]!.field).toBe(
      'body.duplicates',
    );
  });

  it('imports mapped columns with a custom field, reports invalid rows by row and column, and tracks progress', async () => {
    const user = await signedInUser(soshogle);
    await expectJson(await user.request('POST', '/api/crm/custom-fields', { key: 'plan', label: 'Plan', type: 'SELECT', options: ['free', 'pro'] }), 201);
    const csv = [
      // A column left out of the mapping is not imported (even one named like an Object method).
      'First Name,Last Name,Email,Phone,Company,Tags,Plan,constructor',
      'Ada,Lovelace, Ada@Example.COM ,(512) 555-0134,Engines,vip; math,pro,x',
      'Bad Phone,,bad-phone@example.com,12,,,,x',
      'Bad Email,,not-an-email,,,,,x',
      ',Nameless,nameless@example.com,,,,,x',
      'Bad Plan,,plan@example.com,,,,enterprise,x',
      'Short,row',
      'Trailing,Commas,trailing@example.com,,,,,x,,',
      'Grace,Hopper,grace@example.com,+44 20 7946 0018,"=HYPERLINK(""http://evil"")",,free,x',
    ].join('\n');
    const job = await importCsv(user, csv, {
      mapping: { ...basicMapping, Plan: 'customFields.plan' },
      tags: ['imported'],
    });
    expect(job).toMatchObject({ status: 'COMPLETED', total: 8, processed: 8, succeeded: 3, failed: 5, result: { created: 3, updated: 0, skipped: 0, lastRow: 8 } });
    const { items } = await expectJson<{ items: { item: number; field: string | null; message: string }[] }>(await user.request('GET', `/api/crm/jobs/${job.id}/errors`), 200);
    expect(items.map(({ item, field }) => ({ item, field }))).toEqual([
      { item: 2, field: 'Phone' },
      { item: 3, field: 'Email' },
      { item: 4, field: 'First Name' },
      { item: 5, field: 'Plan' },
      { item: 6, field: null },
    ]);
    expect(items[0]!.message).toBe('Not a valid phone number (numbers without +country code are read as US)');
    // Pages of 2 walk the same errors in the same order, the last page without a cursor.
    type Errors = { items: typeof items; nextCursor: string | null };
    const pages: Errors[] = [];
    for (let cursor: string | null = ''; cursor !== null && pages.length < 10; cursor = pages.at(-1)!.nextCursor) {
      pages.push(await expectJson<Errors>(await user.request('GET', `/api/crm/jobs/${job.id}/errors?limit=2${cursor ? `&cursor=${cursor}` : ''}`), 200));
    }
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.items)).toEqual(items);
    expect(items[1]!.message).toBe('Not a valid email address');
    expect(items[2]!.message).toBe('A first name is required');
    expect(items[4]!.message).toBe('The row has 2 cells where the header row has 8');

    const [ada, grace, trailing] = await contactsOf(user.userId);
    expect(trailing).toMatchObject({ firstName: 'Trailing', lastName: 'Commas' });
    expect(ada).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      phone: '+15125550134',
      company: 'Engines',
      tags: ['imported', 'vip', 'math'],
      source: 'import',
      customFields: { plan: 'pro' },
    });
    expect(grace).toMatchObject({ phone: '+442079460018', company: '=HYPERLINK("http://evil")', tags: ['imported'], customFields: { plan: 'free' } });
    expect((await db.tag.findMany({ where: { userId: user.userId }, orderBy: { name: 'asc' } })).map((t) => t.name)).toEqual(['imported', 'math', 'vip']);
    // The file is removed once imported.
    expect(await db.csvUpload.count({ where: { userId: user.userId } })).toBe(0);
  });

  it('writes cells exactly as they are: tabs, backslashes, quotes, line breaks and braces, in fields, tags and custom fields (created and updated)', async () => {
    const user = await signedInUser(soshogle);
    await expectJson(await user.request('POST', '/api/crm/custom-fields', { key: 'note', label: 'Note', type: 'TEXT' }), 201);
    const awkward = 'a\tb\\c\\\\N "q" {x,y} \\N\r\nline2';
    const cell = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const csv = [
      'First Name,Last Name,Email,Company,Tags,Note',
      [cell('Tab\there'), cell('\\N'), 'one@example.com', cell(awkward), cell('q"uote;back\\slash;{brace},x;NULL'), cell(awkward)].join(','),
      ['Two', '', 'two@example.com', '', '', ''].join(','),
      ['Two', cell('O\\Brien'), 'two@example.com', cell(awkward), cell('back\\slash;new"one'), cell('\\')].join(','),
    ].join('\n');
    const job = await importCsv(user, csv, { mapping: { 'First Name': 'firstName', 'Last Name': 'lastName', Email: 'email', Company: 'company', Tags: 'tags', Note: 'customFields.note' }, duplicates: 'update' });
    expect(job.result).toEqual({ created: 2, updated: 1, skipped: 0, lastRow: 3 });
    const [one, two] = await db.contact.findMany({ where: { userId: user.userId }, orderBy: { email: 'asc' } });
    expect(one).toMatchObject({ firstName: 'Tab\there', lastName: '\\N', company: awkward, tags: ['q"uote', 'back\\slash', '{brace}', 'x', 'NULL'], customFields: { note: awkward } });
    expect(two).toMatchObject({ firstName: 'Two', lastName: 'O\\Brien', company: awkward, tags: ['back\\slash', 'new"one'], customFields: { note: '\\' } });
  });

  describe('duplicates, matched on email then phone, against contacts and earlier rows', () => {
    const csv = [
      'First Name,Last Name,Email,Phone,Company,Tags',
      'Ada,Lovelace,ADA@example.com,,Engines,new', // matches the contact by email
      'Bob,Builder,bob@example.com,512-555-0177,,', // new
      'Charles,,,(512) 555-0100,Babbage Inc,', // matches the contact by phone
      'Bobby,,bob@example.com,,Bob & Co,b', // matches row 2 of this file
      'Robert,,,512 555 0177,,', // matches row 2 by phone
    ].join('\n');

    async function setUp() {
      const user = await signedInUser(soshogle);
      const existing = await expectJson<{ id: string }>(
        await user.request('POST', '/api/crm/contacts', { firstName: 'Ada', email: 'ada@example.com', tags: ['old'], company: 'Old Co' }),
        201,
      );
      const byPhone = await expectJson<{ id: string }>(await user.request('POST', '/api/crm/contacts', { firstName: 'Charlie', phone: '+15125550100' }), 201);
      return { user, existing, byPhone };
    }

    it('skip: creates only the new row, leaves the matched contacts alone', async () => {
      const { user } = await setUp();
      const job = await importCsv(user, csv, { mapping: basicMapping, duplicates: 'skip' });
      expect(job.result).toEqual({ created: 1, updated: 0, skipped: 4, lastRow: 5 });
      expect((await contactsOf(user.userId)).map((c) => [c.firstName, c.company, c.tags])).toEqual([
        ['Ada', 'Old Co', ['old']],
        ['Bob', null, []],
        ['Charlie', null, []],
      ]);
    });

    it('update: merges into the matched contacts (tags as a union) and into rows created earlier in the file', async () => {
      const { user, existing, byPhone } = await setUp();
      const job = await importCsv(user, csv, { mapping: basicMapping, duplicates: 'update', tags: ['batch'] });
      expect(job.result).toEqual({ created: 1, updated: 4, skipped: 0, lastRow: 5 });
      const contacts = await contactsOf(user.userId);
      expect(contacts).toHaveLength(3);
      expect(contacts.find((c) => c.id === existing.id)).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', company: 'Engines', tags: ['old', 'batch', 'new'] });
      expect(contacts.find((c) => c.id === byPhone.id)).toMatchObject({ firstName: 'Charles', company: 'Babbage Inc', phone: '+15125550100' });
      expect(contacts.find((c) => c.email === 'bob@example.com')).toMatchObject({ firstName: 'Robert', company: 'Bob & Co', phone: '+15125550177', tags: ['batch', 'b'] });
    });

    it("update: tags match whatever their case, and keep the tenant's spelling", async () => {
      const user = await signedInUser(soshogle);
      const ada = await expectJson<{ id: string }>(await user.request('POST', '/api/crm/contacts', { firstName: 'Ada', email: 'ada@example.com', tags: ['Old', 'VIP'] }), 201);
      // "Fresh" is new to the tenant: its first spelling in the file wins.
      const rows = ['First Name,Email,Tags', 'Bob,bob@example.com,Fresh;OLD', 'Ada,ada@example.com,old;vip;FRESH', 'Cy,cy@example.com,fresh;Vip'].join('\n');
      const job = await importCsv(user, rows, { mapping: { 'First Name': 'firstName', Email: 'email', Tags: 'tags' }, duplicates: 'update', tags: ['BATCH', 'batch'] });
      expect(job.result).toMatchObject({ created: 2, updated: 1 });
      expect((await contactsOf(user.userId)).map((c) => [c.firstName, c.tags])).toEqual([
        ['Ada', ['Old', 'VIP', 'BATCH', 'Fresh']],
        ['Bob', ['BATCH', 'Fresh', 'Old']],
        ['Cy', ['BATCH', 'Fresh', 'VIP']],
      ]);
      expect((await db.contact.findUniqueOrThrow({ where: { id: ada.id } })).tags).toEqual(['Old', 'VIP', 'BATCH', 'Fresh']);
      expect((await db.tag.findMany({ where: { userId: user.userId }, orderBy: { name: 'asc' } })).map((t) => t.name)).toEqual(['BATCH', 'Fresh', 'Old', 'VIP']);
    });

    it('create: creates every row, duplicates or not', async () => {
      const { user } = await setUp();
      const job = await importCsv(user, csv, { mapping: basicMapping, duplicates: 'create' });
      expect(job.result).toEqual({ created: 5, updated: 0, skipped: 0, lastRow: 5 });
      expect(await contactsOf(user.userId)).toHaveLength(7);
    });

    it('matches earlier rows committed in earlier batches too', async () => {
      const user = await signedInUser(soshogle);
      const { upload } = await uploadCsv(user, csv);
      const job = await db.crmJob.create({ data: { userId: user.userId, kind: 'CONTACT_IMPORT', params: { uploadId: upload.id, mapping: basicMapping, duplicates: 'update', triggerWorkflows: false, tags: [] } } });
      await runImport(tenantContext(user.userId), job.id, { batchSize: 1 });
      expect((await db.crmJob.findUniqueOrThrow({ where: { id: job.id } })).result).toEqual({ created: 3, updated: 2, skipped: 0, lastRow: 5 });
      expect((await contactsOf(user.userId)).map((c) => c.firstName)).toEqual(['Ada', 'Charles', 'Robert']);
    });

    it('matches contacts as the batches before will leave them, committed yet or not, and keeps edits made meanwhile', async () => {
      const { user, byPhone } = await setUp();
      const file = [
        'First Name,Email,Phone,Company,Tags',
        'Charlie,charlie@new.example,(512) 555-0100,,a', // lands on Charlie by phone and gives him an email
        'Cee,charlie@new.example,,,b', // lands on Charlie by that new email
        'Dee,dee@example.com,,,', // new
        'Dee,dee@example.com,,Dee Co,', // lands on the row before
        'Charlie,,(512) 555-0100,Charlie Co,', // lands on Charlie, who has been edited through the API meanwhile
      ].join('\n');
      const { upload } = await uploadCsv(user, file);
      const params = { uploadId: upload.id, mapping: { 'First Name': 'firstName', Email: 'email', Phone: 'phone', Company: 'company', Tags: 'tags' }, duplicates: 'update', triggerWorkflows: false, tags: [] };
      const job = await db.crmJob.create({ data: { userId: user.userId, kind: 'CONTACT_IMPORT', params } });
      await runImport(tenantContext(user.userId), job.id, {
        batchSize: 1,
        afterBatch: async (lastRow) => {
          if (lastRow === 3) await expectJson(await user.request('PATCH', `/api/crm/contacts/${byPhone.id}`, { lastName: 'Edited', tags: ['a', 'b', 'api'] }), 200);
        },
      });
      expect((await db.crmJob.findUniqueOrThrow({ where: { id: job.id } })).result).toEqual({ created: 1, updated: 4, skipped: 0, lastRow: 5 });
      const contacts = await contactsOf(user.userId);
      expect(contacts.map((c) => c.firstName)).toEqual(['Ada', 'Charlie', 'Dee']);
      expect(contacts.find((c) => c.id === byPhone.id)).toMatchObject({
        firstName: 'Charlie',
        lastName: 'Edited',
        email: 'charlie@new.example',
        company: 'Charlie Co',
        tags: ['a', 'b', 'api'],
      });
      expect(contacts.find((c) => c.firstName === 'Dee')).toMatchObject({ email: 'dee@example.com', company: 'Dee Co' });
    });
  });

  it('raises no events unless told to trigger workflows; then contact_created and tag_added per contact, contact_updated per update', async () => {
    const user = await signedInUser(soshogle);
    const csv = 'First Name,Email,Tags\nQuiet,quiet@example.com,t1\n';
    const quiet = await importCsv(user, csv, { mapping: { 'First Name': 'firstName', Email: 'email', Tags: 'tags' } });
    expect(quiet.status).toBe('COMPLETED');
    const loud = await importCsv(user, 'First Name,Email,Tags\nLoud,loud@example.com,t2\nQuiet,quiet@example.com,t3\n', {
      mapping: { 'First Name': 'firstName', Email: 'email', Tags: 'tags' },
      duplicates: 'update',
      triggerWorkflows: true,
    });
    expect(loud.result).toMatchObject({ created: 1, updated: 1 });
    await queueSettled(soshogle);
    const ids = new Map((await contactsOf(user.userId)).map((c) => [c.firstName, c.id]));
    const eventsOf = (name: string) =>
      heard
        .filter((e) => e.payload.contactId === ids.get(name))
        .map((e) => ({ type: e.type, payload: e.payload }))
        .sort((a, b) => a.type.localeCompare(b.type));
    expect(eventsOf('Loud')).toEqual([
      { type: 'core.contact_created', payload: { contactId: ids.get('Loud'), source: 'import' } },
      { type: 'core.tag_added', payload: { contactId: ids.get('Loud'), tag: 't2' } },
    ]);
    // Created quietly; updated loudly (the new tag only).
    expect(eventsOf('Quiet')).toEqual([{ type: 'core.tag_added', payload: { contactId: ids.get('Quiet'), tag: 't3' } }]);
  });

  it('resumes after a crash from the last committed batch: no row imported twice, no error reported twice', async () => {
    const user = await signedInUser(soshogle);
    const rows = Array.from({ length: 10 }, (_, i) => (i === 4 ? 'Broken,x,' : `P${i},p${i}@example.com,`));
    const { upload } = await uploadCsv(user, ['First Name,Email,Phone', ...rows].join('\n'));
    const params = { uploadId: upload.id, mapping: { 'First Name': 'firstName', Email: 'email', Phone: 'phone' }, duplicates: 'create', triggerWorkflows: false, tags: [] };
    const job = await db.crmJob.create({ data: { userId: user.userId, kind: 'CONTACT_IMPORT', params, total: 10 } });
    const ctx = tenantContext(user.userId);
    // The worker dies right after the second batch committed.
    await expect(
      runImport(ctx, job.id, {
        batchSize: 3,
        afterBatch: (lastRow) => {
          if (lastRow === 6) throw new Error('worker killed');
        },
      }),
    ).rejects.toThrow('worker killed');
    expect(await db.crmJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: 'RUNNING', processed: 6, succeeded: 5, failed: 1 });
    expect(await db.contact.count({ where: { userId: user.userId } })).toBe(5);
    // The retry, as graphile-worker runs it.
    await runImport(ctx, job.id, { batchSize: 3 });
    expect(await db.crmJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: 'COMPLETED',
      processed: 10,
      succeeded: 9,
      failed: 1,
      result: { created: 9, updated: 0, skipped: 0, lastRow: 10 },
    });
    const names = (await contactsOf(user.userId)).map((c) => c.firstName);
    expect(names).toEqual(['P0', 'P1', 'P2', 'P3', 'P5', 'P6', 'P7', 'P8', 'P9']);
    expect(await db.crmJobError.count({ where: { jobId: job.id } })).toBe(1);
    // A finished job run again does nothing.
    await runImport(ctx, job.id);
    expect(await db.contact.count({ where: { userId: user.userId } })).toBe(9);
  });

  it("keeps another tenant away from my upload and my import's progress and errors", async () => {
    const user = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    const { upload } = await uploadCsv(user, 'First Name\nMine\n');
    const stolen = await expectJson<Problem>(await other.request('POST', '/api/crm/contacts/imports', { uploadId: upload.id, mapping: { 'First Name': 'firstName' } }), 422);
    expect(stolen.errors[0]!.field).toBe('body.uploadId');
    const job = await importCsv(user, 'First Name\nMine\n', { mapping: { 'First Name': 'firstName' } });
    expect((await other.request('GET', `/api/crm/jobs/${job.id}`)).status).toBe(404);
    expect((await other.request('GET', `/api/crm/jobs/${job.id}/errors`)).status).toBe(404);
    expect(await db.contact.count({ where: { userId: other.userId } })).toBe(0);
  });
});

describe('export', () => {
  it('streams exactly the filtered contacts as CSV, with custom field columns and formulas escaped', async () => {
    const user = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    await expectJson(await user.request('POST', '/api/crm/custom-fields', { key: 'plan', label: 'Plan', type: 'SELECT', options: ['free', 'pro'] }), 201);
    await expectJson(await user.request('POST', '/api/crm/custom-fields', { key: 'email', label: 'Email', type: 'TEXT' }), 201);
    await expectJson(await user.request('POST', '/api/crm/custom-fields', { key: 'channels', label: 'Channels', type: 'MULTI_SELECT', options: ['sms', 'email'] }), 201);
    const evil = await expectJson<{ id: string }>(
      await user.request('POST', '/api/crm/contacts', {
        firstName: '=HYPERLINK("http://evil","x")',
        lastName: '@SUM(1)',
        email: 'evil@example.com',
        phone: '+1 512 555 0134',
        company: '-2+3',
        tags: ['vip', '+tag'],
        customFields: { plan: 'pro', email: 'second@example.com', channels: ['sms', 'email'] },
      }),
      201,
    );
    await expectJson(await user.request('POST', '/api/crm/contacts', { firstName: 'Plain', tags: ['vip'], customFields: { plan: 'free' } }), 201);
    await expectJson(await user.request('POST', '/api/crm/contacts', { firstName: 'Filtered out', tags: ['other'] }), 201);
    await expectJson(await other.request('POST', '/api/crm/contacts', { firstName: 'Not mine', tags: ['vip'] }), 201);

    const res = await user.request('GET', '/api/crm/contacts/export?tagsAny=vip');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    // A byte order mark, so Excel reads the file as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['id', 'firstName', 'lastName', 'email', 'phone', 'company', 'tags', 'source', 'createdAt', 'updatedAt', 'Plan', 'customFields.email', 'Channels']);
    expect(rows.map((r) => r.firstName).sort()).toEqual(["'=HYPERLINK(\"http://evil\",\"x\")", 'Plain']);
    expect(rows.find((r) => r.id === evil.id)).toMatchObject({
      lastName: "'@SUM(1)",
      email: 'evil@example.com',
      // A plain signed number runs nothing: the phone stays as it is.
      phone: '+15125550134',
      company: "'-2+3",
      tags: 'vip;+tag',
      source: 'manual',
      Plan: 'pro',
      'customFields.email': 'second@example.com',
      Channels: 'sms;email',
    });
    expect(new Date(rows[0]!.createdAt!).getTime()).not.toBeNaN();

    // A smart list narrows it the same way the contact list does.
    const list = await expectJson<{ id: string }>(await user.request('POST', '/api/crm/smart-lists', { name: 'Pro', filter: { customFields: { plan: 'pro' } } }), 201);
    const pro = parse(await (await user.request('GET', `/api/crm/contacts/export?smartListId=${list.id}`)).text(), { bom: true, columns: true }) as { id: string }[];
    expect(pro.map((r) => r.id)).toEqual([evil.id]);
    expect((await expectJson<Problem>(await other.request('GET', `/api/crm/contacts/export?smartListId=${list.id}`), 422)).errors[0]!.field).toBe('query.smartListId');
    const custom = parse(await (await user.request('GET', `/api/crm/contacts/export?customFields=${encodeURIComponent('{"plan":"free"}')}`)).text(), {
      bom: true,
      columns: true,
    }) as { firstName: string }[];
    expect(custom.map((r) => r.firstName)).toEqual(['Plain']);

    // The export imports back: its columns are recognised and the escaping undone.
    const { suggestedMapping } = await uploadCsv(other, text);
    expect(suggestedMapping).toMatchObject({ id: null, firstName: 'firstName', email: 'email', phone: 'phone', tags: 'tags', createdAt: null });
    await importCsv(other, text, { mapping: { firstName: 'firstName', lastName: 'lastName', company: 'company', tags: 'tags' } });
    expect(await db.contact.findFirst({ where: { userId: other.userId, lastName: '@SUM(1)' } })).toMatchObject({ firstName: '=HYPERLINK("http://evil","x")', company: '-2+3', tags: ['vip', '+tag'] });
  });

  it('pages through more contacts than one page holds', async () => {
    const user = await signedInUser(soshogle);
    const csv = ['First Name', ...Array.from({ length: 5200 }, (_, i) => `C${i}`)].join('\n');
    await importCsv(user, csv, { mapping: { 'First Name': 'firstName' }, duplicates: 'create' });
    const text = await (await user.request('GET', '/api/crm/contacts/export')).text();
    const rows = parse(text, { bom: true, columns: true }) as { id: string }[];
    expect(rows).toHaveLength(5200);
    expect(new Set(rows.map((r) => r.id)).size).toBe(5200);
  });
});

function tenantContext(tenantId: string) {
  const ctx = soshogle.tenantContext('crm', tenantId);
  return { ...ctx, config: ctx.config as CrmConfig };
}
