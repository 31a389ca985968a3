// The CRM's workflow steps (crm.add_tag, crm.remove_tag, crm.update_contact_field,
// crm.create_note, crm.create_deal, crm.move_deal) against a real server, worker and
// database: they follow the rules a person's change follows, raise the same events, and
// workflows saved, published or imported under their former core.* keys keep running.
import { readFile } from 'node:fs/promises';
import { runAction, type TenantTx } from '@soshogle/core';
import { eventRecorder, eventually, expectJson, publishWorkflow, queueSettled, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import crm from './index.ts';

const recorder = eventRecorder(['core.tag_added', 'core.tag_removed', 'core.contact_updated', 'core.deal_created', 'core.deal_stage_changed']);
const soshogle = await startTestSoshogle([crm, recorder.plugin], { WORKER_CONCURRENCY: '10' });
const { db } = soshogle;

let shared: TestClient | undefined;
const owner = async () => (shared ??= await signedInUser(soshogle));

const newContact = async (client: TestClient, body: Record<string, unknown> = {}) =>
  expectJson<{ id: string; tags: string[] }>(await client.request('POST', '/api/crm/contacts', { firstName: 'Ada', ...body }), 201);

/** Runs one step as the engine does: in a transaction of the tenant, about a run's contact (and deal). */
function step(tenantId: string, key: string, props: Record<string, unknown>, run: { contactId?: string | null; dealId?: string | null } = {}, tx?: TenantTx) {
  const input = (t: TenantTx) => ({
    key,
    props,
    tenantId,
    idempotencyKey: `${key}:${Math.random()}`,
    tx: t,
    run: { executionId: 'run', workflowId: 'wf', stepId: 'step', contactId: run.contactId ?? null, dealId: run.dealId ?? null },
  });
  if (tx) return runAction(soshogle, input(tx));
  return soshogle.tenantContext('crm', tenantId).db.$transaction((t) => runAction(soshogle, input(t)));
}

const heardFor = (contactId: string, type: string) =>
  recorder.heard.filter((e) => e.type === type && (e.payload as { contactId?: string }).contactId === contactId).map((e) => e.payload);

describe('crm.add_tag and crm.remove_tag', () => {
  it("store the tenant's spelling, match any case, and do nothing the second time", async () => {
    const user = await owner();
    await expectJson(await user.request('POST', '/api/crm/tags', { name: 'VIP' }), 201);
    const contact = await newContact(user);
    expect(await step(user.userId, 'crm.add_tag', { tag: 'vip' }, { contactId: contact.id })).toEqual({ added: true });
    expect(await step(user.userId, 'crm.add_tag', { tag: 'Vip' }, { contactId: contact.id })).toEqual({ added: false });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).tags).toEqual(['VIP']);
    await eventually(async () => heardFor(contact.id, 'core.tag_added').length === 1);

    expect(await step(user.userId, 'crm.remove_tag', { tag: 'vIP' }, { contactId: contact.id })).toEqual({ removed: true });
    expect(await step(user.userId, 'crm.remove_tag', { tag: 'vip' }, { contactId: contact.id })).toEqual({ removed: false });
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).tags).toEqual([]);
    await queueSettled(soshogle);
    expect(heardFor(contact.id, 'core.tag_added')).toEqual([{ contactId: contact.id, tag: 'VIP' }]);
    expect(heardFor(contact.id, 'core.tag_removed')).toEqual([{ contactId: contact.id, tag: 'VIP' }]);
  });

  it('lose no tag when two steps tag one contact at once (the row is locked)', async () => {
    const user = await owner();
    const contact = await newContact(user, { tags: ['start'] });
    const tenant = soshogle.tenantContext('crm', user.userId);
    // The first step's transaction stays open until the second step waits on the contact's
    // row; without the lock, the second would read the tags from before "first" and write
    // them back over it once the first commits.
    let tagged!: () => void;
    let release!: () => void;
    const firstTagged = new Promise<void>((r) => (tagged = r));
    const held = new Promise<void>((r) => (release = r));
    const first = tenant.db.$transaction(
      async (tx) => {
        await step(user.userId, 'crm.add_tag', { tag: 'first' }, { contactId: contact.id }, tx);
        tagged();
        await held;
      },
      { timeout: 30_000 },
    );
    await firstTagged;
    const second = step(user.userId, 'crm.add_tag', { tag: 'second' }, { contactId: contact.id });
    await eventually(async () => {
      const [row] = await db.$queryRaw<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
      return row!.n > 0;
    });
    release();
    await Promise.all([first, second]);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).tags).toEqual(['start', 'first', 'second']);
  });

  it('fail for good on a run without a contact or whose contact is gone', async () => {
    const user = await owner();
    await expect(step(user.userId, 'crm.add_tag', { tag: 'x' })).rejects.toThrow('This run has no contact');
    await expect(step(user.userId, 'crm.add_tag', { tag: 'x' }, { contactId: 'gone' })).rejects.toThrow('The contact of this run no longer exists');
  });
});

describe('crm.update_contact_field', () => {
  it('writes a field as the API does and checks custom fields against their definitions', async () => {
    const user = await owner();
    const contact = await newContact(user);
    await expectJson(await user.request('POST', '/api/crm/custom-fields', { key: 'seats', label: 'Seats', type: 'NUMBER' }), 201);

    expect(await step(user.userId, 'crm.update_contact_field', { field: 'email', value: ' Ada@Example.COM ' }, { contactId: contact.id })).toEqual({ changed: true });
    expect(await step(user.userId, 'crm.update_contact_field', { field: 'email', value: 'ada@example.com' }, { contactId: contact.id })).toEqual({ changed: false });
    expect(await step(user.userId, 'crm.update_contact_field', { field: 'customFields.seats', value: '12' }, { contactId: contact.id })).toEqual({ changed: true });
    const stored = await db.contact.findUniqueOrThrow({ where: { id: contact.id } });
    expect([stored.email, stored.customFields]).toEqual(['ada@example.com', { seats: 12 }]);

    await expect(step(user.userId, 'crm.update_contact_field', { field: 'customFields.seats', value: 'many' }, { contactId: contact.id })).rejects.toThrow(/customFields.seats: Expected a number/);
    await expect(step(user.userId, 'crm.update_contact_field', { field: 'customFields.nope', value: 'x' }, { contactId: contact.id })).rejects.toThrow(/No such custom field/);
    await expect(step(user.userId, 'crm.update_contact_field', { field: 'phone', value: 'not a phone' }, { contactId: contact.id })).rejects.toThrow(/phone: Not a valid phone number/);
    await expect(step(user.userId, 'crm.update_contact_field', { field: 'firstName', value: '' }, { contactId: contact.id })).rejects.toThrow('A contact must keep a first name');
    await queueSettled(soshogle);
    expect(heardFor(contact.id, 'core.contact_updated')).toEqual([
      { contactId: contact.id, changed: ['email'] },
      { contactId: contact.id, changed: ['customFields.seats'] },
    ]);
  });
});

describe('crm.create_note', () => {
  it("writes the note on the run's contact and deal", async () => {
    const user = await owner();
    const contact = await newContact(user);
    const deal = await expectJson<{ id: string }>(await user.request('POST', '/api/crm/deals', { title: 'Noted' }), 201);
    const { noteId } = (await step(user.userId, 'crm.create_note', { content: 'Called back' }, { contactId: contact.id, dealId: deal.id })) as { noteId: string };
    expect(await db.note.findUniqueOrThrow({ where: { id: noteId } })).toMatchObject({ userId: user.userId, contactId: contact.id, dealId: deal.id, content: 'Called back', authorId: null });
  });
});

describe('crm.create_deal and crm.move_deal', () => {
  it("open a deal as the API does: the stage's probability, a close date when closed, the contact as primary", async () => {
    const user = await owner();
    const contact = await newContact(user);
    const { dealId } = (await step(user.userId, 'crm.create_deal', { title: 'Won already', value: '99.90', stage: 'CLOSED_WON' }, { contactId: contact.id })) as { dealId: string };
    const deal = await db.deal.findUniqueOrThrow({ where: { id: dealId }, include: { contacts: true } });
    expect(deal).toMatchObject({ title: 'Won already', currency: 'USD', stage: 'CLOSED_WON', probability: 100, actualCloseDate: expect.any(Date) });
    expect(deal.value.toFixed(2)).toBe('99.90');
    expect(deal.contacts.map((l) => [l.contactId, l.isPrimary])).toEqual([[contact.id, true]]);
    await eventually(async () => heardFor(contact.id, 'core.deal_created').length === 1);
    expect(heardFor(contact.id, 'core.deal_created')).toEqual([{ dealId, contactId: contact.id, stage: 'CLOSED_WON' }]);
    await expect(step(user.userId, 'crm.create_deal', { title: 'Bad', currency: 'ZZZ' }, { contactId: contact.id })).rejects.toMatchObject({ status: 422 });
  });

  it("move the contact's newest deal, setting the stage's probability and the close date, once", async () => {
    const user = await owner();
    const contact = await newContact(user);
    await step(user.userId, 'crm.create_deal', { title: 'Older' }, { contactId: contact.id });
    const { dealId } = (await step(user.userId, 'crm.create_deal', { title: 'Newer', stage: 'QUALIFIED' }, { contactId: contact.id })) as { dealId: string };
    expect(await step(user.userId, 'crm.move_deal', { stage: 'CLOSED_LOST' }, { contactId: contact.id })).toEqual({ dealId, moved: true });
    expect(await step(user.userId, 'crm.move_deal', { stage: 'CLOSED_LOST', dealId }, { contactId: contact.id })).toEqual({ dealId, moved: false });
    expect(await db.deal.findUniqueOrThrow({ where: { id: dealId } })).toMatchObject({ stage: 'CLOSED_LOST', probability: 0, actualCloseDate: expect.any(Date) });
    expect(await step(user.userId, 'crm.move_deal', { stage: 'PROPOSAL' }, { dealId })).toEqual({ dealId, moved: true });
    expect(await db.deal.findUniqueOrThrow({ where: { id: dealId } })).toMatchObject({ stage: 'PROPOSAL', probability: 50, actualCloseDate: null });
    await queueSettled(soshogle);
    expect(heardFor(contact.id, 'core.deal_stage_changed')).toEqual([
      { dealId, contactId: contact.id, from: 'QUALIFIED', to: 'CLOSED_LOST' },
      { dealId, contactId: contact.id, from: 'CLOSED_LOST', to: 'PROPOSAL' },
    ]);
    const lonely = await newContact(user);
    await expect(step(user.userId, 'crm.move_deal', { stage: 'PROPOSAL' }, { contactId: lonely.id })).rejects.toThrow('No deal to move');
  });
});

// ---- the former core.* keys ----------------------------------------------------------------

const oldKeys = ['add_tag', 'remove_tag', 'update_contact_field', 'create_note', 'create_deal', 'move_deal'];

describe('the former core.* keys', () => {
  it('are not offered in the catalog; the crm.* keys are', async () => {
    const catalog = await expectJson<{ plugins: { name: string; actions: { key: string }[] }[] }>(await fetch(`${soshogle.url}/api/catalog`), 200);
    expect(catalog.plugins.find((p) => p.name === 'crm')?.actions.map((a) => a.key)).toEqual(oldKeys.map((k) => `crm.${k}`));
    expect(catalog.plugins.find((p) => p.name === 'core')?.actions.map((a) => a.key)).toEqual(['core.send_webhook', 'core.notify']);
    expect(JSON.stringify(catalog)).not.toMatch(/core\.(add_tag|remove_tag|update_contact_field|create_note|create_deal|move_deal)/);
  });

  it('still run a published version stored with them, and a workflow saved with them still publishes', async () => {
    const user = await signedInUser(soshogle);
    const steps = [
      { id: 'tag', type: 'action', action: 'core.add_tag', props: { tag: 'welcomed' }, next: 'note' },
      { id: 'note', type: 'action', action: 'core.create_note', props: { content: 'Hello {{ contact.firstName }}' } },
    ];
    // As the database holds a version published before the steps moved.
    const stored = await db.workflow.create({
      data: { userId: user.userId, name: 'Old', trigger: 'CONTACT_CREATED', triggerKey: 'core.contact_created', actions: steps, publishedVersion: 1 },
    });
    await db.workflowVersion.create({
      data: { userId: user.userId, workflowId: stored.id, version: 1, triggerKey: 'core.contact_created', triggerFilter: {}, actions: steps, allowReentry: false },
    });
    const contact = await newContact(user, { firstName: 'Otto' });
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId: stored.id, status: { in: ['COMPLETED', 'FAILED'] } } }));
    expect([run.status, run.error]).toEqual(['COMPLETED', null]);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).tags).toEqual(['welcomed']);
    expect((await db.note.findMany({ where: { contactId: contact.id } })).map((n) => n.content)).toEqual(['Hello Otto']);
    const log = await db.workflowStepRun.findMany({ where: { executionId: run.id }, orderBy: { startedAt: 'asc' } });
    expect(log.map((s) => [s.actionKey, s.status, s.output])).toEqual([
      ['core.add_tag', 'SUCCEEDED', { added: true }],
      ['core.create_note', 'SUCCEEDED', { noteId: expect.any(String) }],
    ]);

    // Imported JSON naming them passes the checks (props checked against the crm step) and publishes.
    const imported = await publishWorkflow(user, { trigger: 'CONTACT_CREATED', actions: steps.map((s) => ({ ...s, id: `${s.id}2`, ...(s.next ? { next: 'note2' } : {}) })) });
    expect(await db.workflow.findUniqueOrThrow({ where: { id: imported }, select: { publishedVersion: true } })).toEqual({ publishedVersion: 1 });
    const refused = await expectJson<{ errors: { field: string; message: string }[] }>(
      await user.request('POST', '/api/workflows', { name: 'Bad', trigger: 'CONTACT_CREATED', triggerFilter: {}, actions: [{ id: 't', type: 'action', action: 'core.add_tag', props: {} }] }),
      422,
    );
    expect(refused.errors).toEqual([{ field: 'actions.0.props.tag', message: 'Step "t" (core.add_tag): tag is required' }]);
  });

  it('are rewritten to crm.* in saved drafts and published versions by the migration, leaving other steps alone', async () => {
    const user = await signedInUser(soshogle);
    const old = [
      ...oldKeys.map((name, i) => ({ id: `s${i}`, type: 'action', action: `core.${name}`, props: { keep: name }, next: `s${i + 1}` })),
      { id: `s${oldKeys.length}`, type: 'action', action: 'core.notify', props: { title: 'core.add_tag' }, next: 'w' },
      { id: 'w', type: 'wait', wait: { mode: 'event', event: 'core.tag_added', filter: {}, timeout: { amount: 1, unit: 'days' } } },
    ];
    const renamed = old.map((s) => (oldKeys.some((k) => s.action === `core.${k}`) ? { ...s, action: s.action!.replace('core.', 'crm.') } : s));
    const workflow = await db.workflow.create({ data: { userId: user.userId, name: 'Before', trigger: 'MANUAL', triggerKey: 'core.manual', actions: old, publishedVersion: 1 } });
    const version = await db.workflowVersion.create({ data: { userId: user.userId, workflowId: workflow.id, version: 1, triggerKey: 'core.manual', triggerFilter: {}, actions: old, allowReentry: false } });
    const untouched = await db.workflow.create({ data: { userId: user.userId, name: 'Other', trigger: 'MANUAL', triggerKey: 'core.manual', actions: [{ id: 'n', type: 'action', action: 'core.notify', props: { title: 'x' } }] } });

    const sql = await readFile(new URL('../../../prisma/migrations/20261206090000_crm_action_keys/migration.sql', import.meta.url), 'utf8');
    for (const statement of sql.split(/;\s*$/m).filter((s) => s.replace(/--.*$/gm, '').trim())) await db.$executeRawUnsafe(statement);

    expect((await db.workflow.findUniqueOrThrow({ where: { id: workflow.id } })).actions).toEqual(renamed);
    expect((await db.workflowVersion.findUniqueOrThrow({ where: { id: version.id } })).actions).toEqual(renamed);
    expect((await db.workflow.findUniqueOrThrow({ where: { id: untouched.id } })).actions).toEqual([{ id: 'n', type: 'action', action: 'core.notify', props: { title: 'x' } }]);
  });
});
