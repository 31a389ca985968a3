// Duplicate detection and merging through the API, against a real server, worker and
// database. Appointments, which the CRM API does not create, are written directly with
// the unscoped client. (Messaging moves conversations on core.contact_merged, the
// calendar appointments: tested there.)
import { definePlugin, defineSubscriber, tenantSql, type TenantTx } from '@soshogle/core';
import { eventRecorder, eventually, expectJson, publishWorkflow, queueSettled, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import type { Contact } from '@soshogle/db';
import { describe, expect, it } from 'vitest';
import crm from '../index.ts';

const { plugin: recorder, heard } = eventRecorder(['core.contact_updated', 'core.tag_added', 'core.tag_removed']);

/**
 * A plugin owning rows that point at contacts, as the calendar owns appointments: it
 * moves them itself on core.contact_merged, in the merge's transaction. How many it moved
 * shows the CRM left them to it and raised the event before deleting the merged contact.
 */
const movedByOwner: number[] = [];
const appointmentOwner = definePlugin({
  name: 'appointment_owner',
  displayName: 'Appointment owner',
  description: 'Moves appointments of merged contacts, as the calendar does',
  subscribers: [
    defineSubscriber({
      name: 'move_appointments',
      event: 'core.contact_merged',
      transactional: true,
      async run({ db, tenantId }, event) {
        const t = tenantSql(tenantId);
        const tx = db as unknown as Pick<TenantTx, '$executeRaw'>;
        movedByOwner.push(await tx.$executeRaw(t`update "Appointment" set "contactId" = ${event.payload.contactId} where "contactId" = ${event.payload.mergedContactId} and ${t.owns()}`));
      },
    }),
  ],
});

const soshogle = await startTestSoshogle([crm, recorder, appointmentOwner], { CRM_DEFAULT_COUNTRY: 'US' });
const { db } = soshogle;


type ContactBody = Pick<Contact, 'id' | 'firstName' | 'lastName' | 'email' | 'phone' | 'company' | 'tags'> & { customFields: Record<string, unknown> };

const newContact = async (client: TestClient, fields: Record<string, unknown>) =>
  expectJson<ContactBody>(await client.request('POST', '/api/crm/contacts', fields), 201);

const eventsOf = (contactId: string) =>
  heard.filter((e) => e.payload.contactId === contactId).map((e) => ({ type: e.type, payload: e.payload }));

describe('duplicates', () => {
  it('groups contacts sharing an email (any case) or a phone, pages the groups, and lists one contact\'s duplicates', async () => {
    const user = await signedInUser(soshogle);
    const a = await newContact(user, { firstName: 'Ann', email: 'ann@example.com', phone: '(512) 555-0101' });
    const b = await newContact(user, { firstName: 'Annie', phone: '+1 512 555 0101' });
    const c = await newContact(user, { firstName: 'Anna', phone: '512 555 0199' });
    // Written directly: older rows and imports may hold mixed-case emails.
    const d = await db.contact.create({ data: { userId: user.userId, firstName: 'A.', email: 'ANN@Example.com', phone: '+15125550199' } });
    await newContact(user, { firstName: 'Solo', email: 'solo@example.com', phone: '+15125550111' });
    // Another tenant's contact with the same email is never a duplicate of ours.
    const other = await signedInUser(soshogle);
    await newContact(other, { firstName: 'Ann elsewhere', email: 'ann@example.com' });

    type Page = { items: { match: string; value: string; size: number; contacts: { id: string }[] }[]; nextCursor: string | null };
    const all = await expectJson<Page>(await user.request('GET', '/api/crm/contacts/duplicates'), 200);
    expect(all.items.map((g) => ({ match: g.match, value: g.value, size: g.size, ids: g.contacts.map((x) => x.id).sort() }))).toEqual([
      { match: 'email', value: 'ann@example.com', size: 2, ids: [a.id, d.id].sort() },
      { match: 'phone', value: '+15125550101', size: 2, ids: [a.id, b.id].sort() },
      { match: 'phone', value: '+15125550199', size: 2, ids: [c.id, d.id].sort() },
    ]);
    expect(all.items[0]!.contacts[0]).toMatchObject({ id: a.id, firstName: 'Ann', email: 'ann@example.com', phone: '+15125550101' });
    expect(all.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await expectJson(await user.request('GET', `/api/crm/contacts/duplicates?limit=2${cursor ? `&cursor=${cursor}` : ''}`), 200);
      seen.push(...page.items.map((g) => g.value));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['ann@example.com', '+15125550101', '+15125550199']);
    expect((await user.request('GET', '/api/crm/contacts/duplicates?cursor=nonsense')).status).toBe(422);

    const ofD = await expectJson<{ items: { id: string; matchedOn: string[] }[] }>(await user.request('GET', `/api/crm/contacts/${d.id}/duplicates`), 200);
    expect(ofD.items.map((x) => [x.id, x.matchedOn])).toEqual([
      [a.id, ['email']],
      [c.id, ['phone']],
    ]);
    expect((await expectJson<{ items: unknown[] }>(await other.request('GET', '/api/crm/contacts/duplicates'), 200)).items).toEqual([]);
    expect((await other.request('GET', `/api/crm/contacts/${d.id}/duplicates`)).status).toBe(404);
  });
});

describe('merge', () => {
  it('moves everything of the merged contact to the kept one, combines fields, tags and custom fields, records the merge and raises the changes', async () => {
    const user = await signedInUser(soshogle);
    const t = user.userId;
    await expectJson(await user.request('POST', '/api/crm/custom-fields', { key: 'plan', label: 'Plan', type: 'SELECT', options: ['free', 'pro'] }), 201);
    await expectJson(await user.request('POST', '/api/crm/custom-fields', { key: 'seats', label: 'Seats', type: 'NUMBER' }), 201);
    const keep = await newContact(user, { firstName: 'Ada', email: 'ada@example.com', phone: '+15125550100', tags: ['vip', 'lead'], customFields: { plan: 'pro' } });
    const merge = await newContact(user, {
      firstName: 'Ada L.',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      phone: '+15125550199',
      company: 'Analytical Engines',
      tags: ['lead', 'customer'],
      customFields: { plan: 'free', seats: 5 },
    });
    // Data from before the one-spelling rule: "LEAD" is the kept contact's "lead" (tags match in any case).
    await db.contact.update({ where: { id: merge.id }, data: { tags: ['LEAD', 'customer'] } });
    // A third record merged into `merge` earlier: that history must follow to the kept contact.
    const older = await newContact(user, { firstName: 'A. Lovelace', email: 'ada@example.com' });
    const earlier = await expectJson<{ merge: { id: string } }>(await user.request('POST', '/api/crm/contacts/merge', { keepId: merge.id, mergeId: older.id }), 200);

    await expectJson(await user.request('POST', `/api/crm/contacts/${keep.id}/notes`, { content: 'kept note' }), 201);
    await expectJson(await user.request('POST', `/api/crm/contacts/${merge.id}/notes`, { content: 'merged note' }), 201);
    const appointment = await db.appointment.create({
      data: {
        userId: t,
        contactId: merge.id,
        title: 'Demo',
        startTime: new Date('2026-05-01T10:00:00Z'),
        endTime: new Date('2026-05-01T11:00:00Z'),
        blockStart: new Date('2026-05-01T10:00:00Z'),
        blockEnd: new Date('2026-05-01T11:00:00Z'),
      },
    });
    // One deal links both (the merged contact primary), another only the merged contact.
    const shared = await expectJson<{ id: string }>(
      await user.request('POST', '/api/crm/deals', { title: 'Shared', contacts: [{ contactId: keep.id }, { contactId: merge.id, isPrimary: true }] }),
      201,
    );
    const own = await expectJson<{ id: string }>(await user.request('POST', '/api/crm/deals', { title: 'Own', contacts: [{ contactId: merge.id }] }), 201);
    // A run of the merged contact paused until it is tagged "replied".
    const workflowId = await publishWorkflow(user, {
      trigger: 'MANUAL',
      actions: [
        { id: 'wait', type: 'wait', wait: { mode: 'event', event: 'core.tag_added', filter: { tag: 'replied' }, timeout: { amount: 1, unit: 'days' } }, next: 'done' },
        { id: 'done', type: 'action', action: 'core.notify', props: { title: 'They replied' } },
      ],
    });
    await expectJson(await user.request('POST', `/api/workflows/${workflowId}/start`, { contactIds: [merge.id] }), 202);
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, contactId: merge.id, status: 'WAITING' } }));
    await queueSettled(soshogle);
    heard.length = 0;
    movedByOwner.length = 0;

    const res = await expectJson<{ contact: ContactBody; merge: { id: string; keptContactId: string; mergedContactId: string; actorId: string; mergedContact: Record<string, unknown> }; moved: Record<string, number> }>(
      await user.request('POST', '/api/crm/contacts/merge', { keepId: keep.id, mergeId: merge.id, fields: { phone: 'merge' } }),
      200,
    );

    // Fields: the kept contact's values win, empty ones are filled, the chosen phone is the merged one's.
    expect(res.contact).toMatchObject({
      id: keep.id,
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      phone: '+15125550199',
      company: 'Analytical Engines',
      tags: ['vip', 'lead', 'customer'],
      customFields: { plan: 'pro', seats: 5 },
    });
    expect(res.moved).toEqual({ notes: 1, appointments: 1, dealLinks: 2 });
    // The merged contact is gone, recorded as it was, by whom.
    expect(await db.contact.findUnique({ where: { id: merge.id } })).toBeNull();
    expect(res.merge).toMatchObject({ keptContactId: keep.id, mergedContactId: merge.id, actorId: t });
    expect(res.merge.mergedContact).toMatchObject({ id: merge.id, firstName: 'Ada L.', phone: '+15125550199', tags: ['LEAD', 'customer'], customFields: { plan: 'free', seats: 5 } });
    const merges = await expectJson<{ items: { id: string; mergedContactId: string }[] }>(await user.request('GET', `/api/crm/contacts/${keep.id}/merges`), 200);
    expect(merges.items.map((m) => m.id)).toEqual([res.merge.id, earlier.merge.id]);

    // Notes: all on the kept contact, none lost.
    expect((await db.note.findMany({ where: { contactId: keep.id }, orderBy: { content: 'asc' } })).map((n) => n.content)).toEqual(['kept note', 'merged note']);
    // Appointments: counted by the CRM, moved by their owner's subscriber, never deleted.
    expect(movedByOwner).toEqual([1]);
    expect((await db.appointment.findUniqueOrThrow({ where: { id: appointment.id } })).contactId).toBe(keep.id);
    // Deals: one link per deal, the shared deal keeps a primary.
    expect(await db.dealContact.findMany({ where: { dealId: shared.id }, select: { contactId: true, isPrimary: true } })).toEqual([{ contactId: keep.id, isPrimary: true }]);
    expect(await db.dealContact.findMany({ where: { dealId: own.id }, select: { contactId: true, isPrimary: true } })).toEqual([{ contactId: keep.id, isPrimary: true }]);
    expect(await db.dealContact.count({ where: { contactId: merge.id } })).toBe(0);

    // Events: what changed on the kept contact, once.
    await queueSettled(soshogle);
    expect(eventsOf(keep.id)).toEqual(
      expect.arrayContaining([
        { type: 'core.contact_updated', payload: { contactId: keep.id, changed: ['lastName', 'phone', 'company', 'customFields.seats'] } },
        { type: 'core.tag_added', payload: { contactId: keep.id, tag: 'customer' } },
      ]),
    );
    expect(eventsOf(keep.id)).toHaveLength(2);
    expect(eventsOf(merge.id)).toEqual([]);

    // The paused run moved with the person: the kept contact's event moves it on.
    expect((await db.workflowExecution.findUniqueOrThrow({ where: { id: run.id } })).contactId).toBe(keep.id);
    await expectJson(await user.request('POST', `/api/crm/contacts/${keep.id}/tags`, { add: ['replied'] }), 200);
    await eventually(() => db.workflowExecution.findFirst({ where: { id: run.id, status: 'COMPLETED' } }));
  });

  it('refuses merging a contact into itself (422) and another tenant\'s contacts (404), changing nothing', async () => {
    const user = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    const mine = await newContact(user, { firstName: 'Mine', tags: ['a'] });
    const second = await newContact(user, { firstName: 'Second', tags: ['b'] });
    const theirs = await newContact(other, { firstName: 'Theirs', tags: ['c'] });
    await expectJson(await user.request('POST', `/api/crm/contacts/${second.id}/notes`, { content: 'stays' }), 201);

    const self = await expectJson<{ errors: { field: string }[] }>(await user.request('POST', '/api/crm/contacts/merge', { keepId: mine.id, mergeId: mine.id }), 422);
    expect(self.errors[0]!.field).toBe('body.mergeId');
    expect((await user.request('POST', '/api/crm/contacts/merge', { keepId: mine.id, mergeId: theirs.id })).status).toBe(404);
    expect((await user.request('POST', '/api/crm/contacts/merge', { keepId: theirs.id, mergeId: mine.id })).status).toBe(404);
    // The other tenant cannot merge our contacts either, even into each other.
    expect((await other.request('POST', '/api/crm/contacts/merge', { keepId: mine.id, mergeId: second.id })).status).toBe(404);
    expect((await other.request('GET', `/api/crm/contacts/${mine.id}/merges`)).status).toBe(404);
    expect((await user.request('POST', '/api/crm/contacts/merge', { keepId: mine.id, mergeId: second.id, fields: { tags: 'merge' } })).status).toBe(422);

    expect(await db.contact.findMany({ where: { id: { in: [mine.id, second.id, theirs.id] } }, orderBy: { firstName: 'asc' }, select: { firstName: true, tags: true } })).toEqual([
      { firstName: 'Mine', tags: ['a'] },
      { firstName: 'Second', tags: ['b'] },
      { firstName: 'Theirs', tags: ['c'] },
    ]);
    expect(await db.note.count({ where: { contactId: second.id } })).toBe(1);
    expect(await db.contactMerge.count({ where: { userId: { in: [user.userId, other.userId] } } })).toBe(0);
  });

  it('lets two merges of the same pair in opposite directions race: one wins, the other finds a contact gone', async () => {
    const user = await signedInUser(soshogle);
    const a = await newContact(user, { firstName: 'A', tags: ['x'] });
    const b = await newContact(user, { firstName: 'B', tags: ['y'] });
    const statuses = await Promise.all([
      user.request('POST', '/api/crm/contacts/merge', { keepId: a.id, mergeId: b.id }).then((r) => r.status),
      user.request('POST', '/api/crm/contacts/merge', { keepId: b.id, mergeId: a.id }).then((r) => r.status),
    ]);
    expect(statuses.sort()).toEqual([200, 404]);
    const left = await db.contact.findMany({ where: { id: { in: [a.id, b.id] } } });
    expect(left).toHaveLength(1);
    expect(left[0]!.tags.sort()).toEqual(['x', 'y']);
    expect(await db.contactMerge.count({ where: { userId: user.userId } })).toBe(1);
  });
});

describe('a merge and scheduled workflow steps', () => {
  it('points steps already scheduled for the merged contact at the kept one', async () => {
    const user = await signedInUser(soshogle);
    const keep = await newContact(user, { firstName: 'Kept' });
    const merge = await newContact(user, { firstName: 'Merged' });
    const workflowId = await publishWorkflow(user, {
      trigger: 'MANUAL',
      actions: [
        { id: 'pause', type: 'wait', wait: { mode: 'duration', amount: 1, unit: 'days' }, next: 'tag' },
        { id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'followed-up' } },
      ],
    });
    await expectJson(await user.request('POST', `/api/workflows/${workflowId}/start`, { contactIds: [merge.id] }), 202);
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: 'WAITING' } }));
    await queueSettled(soshogle);
    await expectJson(await user.request('POST', '/api/crm/contacts/merge', { keepId: keep.id, mergeId: merge.id }), 200);

    const [job] = await db.$queryRaw<{ id: bigint; payload: { contactId: string } }[]>`
      select j.id, j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'workflow_step' and j.payload->>'executionId' = ${run.id}`;
    expect(job!.payload.contactId).toBe(keep.id);
    await db.$executeRaw`update graphile_worker._private_jobs set run_at = now() where id = ${job!.id}`;
    await db.$executeRaw`select pg_notify('jobs:insert', '{"count":1}')`;
    await eventually(() => db.workflowExecution.findFirst({ where: { id: run.id, status: 'COMPLETED' } }));
    expect((await db.contact.findUniqueOrThrow({ where: { id: keep.id } })).tags).toContain('followed-up');
  });
});
