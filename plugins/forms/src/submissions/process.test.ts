// The processing job under contention: several runs at once (and the worker's own) claim
// batches with SKIP LOCKED, so each submission is processed exactly once: one contact, one
// consent line, one event each. A submission the CRM refuses fails alone.
import { eventRecorder, eventually, expectJson } from '@soshogle/core/testing';
import type { Prisma } from '@soshogle/db';
import { describe, expect, it } from 'vitest';
import type { FormsConfig } from '../config.ts';
import { ada, publishedForm, quoteForm, startForms, visitor } from '../testing/fixtures.ts';
import { processSubmissions } from './process.ts';

const { plugin: recorder, heard } = eventRecorder(['core.form_submitted']);
const soshogle = await startForms({ FORMS_PROCESS_BATCH: '7' }, [recorder]);
const { db } = soshogle;

describe('processing submissions', () => {
  it('never processes one submission twice, however many runs take batches at once', async () => {
    const { owner, formId, versionId } = await publishedForm(soshogle);
    const n = 120;
    // Stored as the public POST stores them, without their jobs: the runs below are the only takers.
    await db.formSubmission.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        userId: owner.userId, formId, formVersionId: versionId, status: 'RECEIVED' as const, consent: true,
        answers: { ...ada, email: `p${i}@example.test`, first_name: `P${i}` } as Prisma.InputJsonObject,
      })),
    });
    const ctx = { ...soshogle.tenantContext('forms', owner.userId), attempt: 1, maxAttempts: 10 } as Parameters<typeof processSubmissions.run>[0] & { config: FormsConfig };
    await Promise.all(Array.from({ length: 4 }, () => processSubmissions.run(ctx, { formId })));

    expect(await db.formSubmission.count({ where: { formId, status: 'PROCESSED' } })).toBe(n);
    expect(await db.contact.count({ where: { userId: owner.userId } })).toBe(n);
    expect(await db.consentChange.count({ where: { userId: owner.userId } })).toBe(n);
    const ids = (await db.formSubmission.findMany({ where: { formId }, select: { id: true } })).map((s) => s.id);
    await eventually(async () => ids.every((id) => heard.some((e) => e.payload.submissionId === id)));
    const raised = heard.filter((e) => e.payload.formId === formId).map((e) => e.payload.submissionId);
    expect(new Set(raised).size).toBe(n);
    expect(raised).toHaveLength(n);
  });

  it('marks a submission the CRM refuses FAILED with the reason, and processes the rest of its batch', async () => {
    const phoneOnly = {
      ...quoteForm,
      fields: [
        { key: 'first_name', type: 'text' as const, label: 'Name', required: true, mapsTo: { contact: 'firstName' as const } },
        { key: 'phone', type: 'phone' as const, label: 'Phone', required: true, mapsTo: { contact: 'phone' as const } },
        { key: 'plan', type: 'text' as const, label: 'Plan', required: false, mapsTo: { customField: 'no_such_field' } },
      ],
    };
    const { owner, formId } = await publishedForm(soshogle, phoneOnly);
    const { send } = visitor(soshogle);
    // A phone the page's shape check lets through but that is no real number: the CRM cannot find or make a contact by it.
    await expectJson(await send(formId, { first_name: 'Nobody', phone: '+1 000 000 0000' }), 200);
    await expectJson(await send(formId, { first_name: 'Ann', phone: '+1 512 555 0100' }), 200);
    const failed = await eventually(() => db.formSubmission.findFirst({ where: { formId, status: 'FAILED' } }));
    expect(failed.spamReason).toMatch(/phone/);
    await eventually(() => db.formSubmission.findFirst({ where: { formId, status: 'PROCESSED' } }));
    expect(await db.contact.findMany({ where: { userId: owner.userId }, select: { firstName: true, phone: true } })).toEqual([{ firstName: 'Ann', phone: '+15125550100' }]);
  });
});
