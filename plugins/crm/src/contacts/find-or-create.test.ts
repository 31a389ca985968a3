// crm.find_or_create_contact called the way the calendar's booking page calls it: by key,
// in the caller's transaction, against a real database; events heard as another plugin
// hears them.
import { runAction, type ActionProps } from '@soshogle/core';
import { eventRecorder, queueSettled, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import crm from '../index.ts';

const { plugin: recorder, heard } = eventRecorder(['core.contact_created', 'core.contact_updated']);
const soshogle = await startTestSoshogle([crm, recorder], { CRM_DEFAULT_COUNTRY: 'US' });
const { db } = soshogle;
const user = await signedInUser(soshogle);
const other = await signedInUser(soshogle);

type Props = ActionProps<'crm.find_or_create_contact'>;

/** The action in a transaction of its own, as a booking runs it inside its transaction. */
const findOrCreate = (tenantId: string, props: Props) =>
  soshogle.tenantContext('crm', tenantId).db.$transaction((tx) => runAction(soshogle, { key: 'crm.find_or_create_contact', props, tenantId, idempotencyKey: 'k', tx }));

const eventsOf = (contactId: string) => heard.filter((e) => e.payload.contactId === contactId).map((e) => ({ type: e.type, payload: e.payload }));

const contact = (tenantId: string, data: { firstName: string; lastName?: string; email?: string; phone?: string; createdAt?: Date }) =>
  db.contact.create({ data: { userId: tenantId, source: 'manual', ...data } });

describe('crm.find_or_create_contact', () => {
  it('creates a contact from what the person gave (email in lower case, phone in E.164) and raises contact_created', async () => {
    const out = await findOrCreate(user.userId, { email: ' New.Person@Example.COM ', phone: '(512) 555-0199', firstName: 'New', lastName: 'Person', source: 'booking' });
    expect(out.created).toBe(true);
    expect(await db.contact.findUniqueOrThrow({ where: { id: out.contactId } })).toMatchObject({
      userId: user.userId,
      firstName: 'New',
      lastName: 'Person',
      email: 'new.person@example.com',
      phone: '+15125550199',
      source: 'booking',
    });
    await queueSettled(soshogle);
    expect(eventsOf(out.contactId)).toEqual([{ type: 'core.contact_created', payload: { contactId: out.contactId, source: 'booking' } }]);
  });

  it('finds the oldest contact with the email, in any case, and only fills the fields it lacks', async () => {
    const oldest = await contact(user.userId, { firstName: 'Kept', email: 'same@example.com', createdAt: new Date('2020-01-01') });
    await contact(user.userId, { firstName: 'Newer', email: 'same@example.com', phone: '+15125550111' });
    const out = await findOrCreate(user.userId, { email: 'SAME@example.com', phone: '512-555-0122', firstName: 'Typed', lastName: 'Lastname', source: 'booking' });
    expect(out).toEqual({ contactId: oldest.id, created: false });
    // The name the CRM keeps wins over the form's; empty fields are filled; the source stays.
    expect(await db.contact.findUniqueOrThrow({ where: { id: oldest.id } })).toMatchObject({
      firstName: 'Kept',
      lastName: 'Lastname',
      email: 'same@example.com',
      phone: '+15125550122',
      source: 'manual',
    });
    await queueSettled(soshogle);
    expect(eventsOf(oldest.id)).toEqual([{ type: 'core.contact_updated', payload: { contactId: oldest.id, changed: ['lastName', 'phone'] } }]);

    // Found again with nothing to fill: nothing is written or raised.
    expect(await findOrCreate(user.userId, { email: 'same@example.com', firstName: 'Again', lastName: 'Other' })).toEqual({ contactId: oldest.id, created: false });
    await queueSettled(soshogle);
    expect(eventsOf(oldest.id)).toHaveLength(1);
    expect((await db.contact.findUniqueOrThrow({ where: { id: oldest.id } })).lastName).toBe('Lastname');
  });

  it('falls back to the phone when the email finds nobody, and gives that contact the email', async () => {
    const byPhone = await contact(user.userId, { firstName: 'Caller', phone: '+15125550133' });
    const out = await findOrCreate(user.userId, { email: 'caller@example.com', phone: '+1 512 555 0133', firstName: 'Caller' });
    expect(out).toEqual({ contactId: byPhone.id, created: false });
    expect((await db.contact.findUniqueOrThrow({ where: { id: byPhone.id } })).email).toBe('caller@example.com');
    // A phone alone matches too; a national number is read in the given country.
    const uk = await contact(user.userId, { firstName: 'Brit', phone: '+442079460018' });
    expect(await findOrCreate(user.userId, { phone: '020 7946 0018', country: 'GB', firstName: 'Brit' })).toEqual({ contactId: uk.id, created: false });
  });

  it("never finds another tenant's contact", async () => {
    const theirs = await contact(other.userId, { firstName: 'Theirs', email: 'shared@example.com', phone: '+15125550144' });
    const out = await findOrCreate(user.userId, { email: 'shared@example.com', phone: '+15125550144', firstName: 'Mine' });
    expect(out.created).toBe(true);
    expect(out.contactId).not.toBe(theirs.id);
    expect((await db.contact.findUniqueOrThrow({ where: { id: out.contactId } })).userId).toBe(user.userId);
    expect(await db.contact.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ firstName: 'Theirs', userId: other.userId });
  });

  it('makes one contact for one new person however many callers ask at once', async () => {
    // Every caller's transaction is open before any of them looks: without the lock, each would find nobody.
    const callers = 6;
    let arrived = 0;
    let allThere: () => void;
    const barrier = new Promise<void>((resolve) => (allThere = resolve));
    const outs = await Promise.all(
      Array.from({ length: callers }, (_, i) =>
        soshogle.tenantContext('crm', user.userId).db.$transaction(async (tx) => {
          await tx.$queryRaw`select 1`;
          if (++arrived === callers) allThere();
          await barrier;
          const props = { email: 'rush@example.com', phone: i % 2 ? '+15125550155' : null, firstName: `Rush${i}` };
          return runAction(soshogle, { key: 'crm.find_or_create_contact', props, tenantId: user.userId, idempotencyKey: `k${i}`, tx });
        }),
      ),
    );
    const created = outs.filter((o) => o.created);
    expect(created).toHaveLength(1);
    expect(new Set(outs.map((o) => o.contactId))).toEqual(new Set([created[0]!.contactId]));
    expect(await db.contact.count({ where: { userId: user.userId, email: 'rush@example.com' } })).toBe(1);
  });

  it("writes in the caller's transaction: a caller that rolls back leaves no contact", async () => {
    const failed = await soshogle
      .tenantContext('crm', user.userId)
      .db.$transaction(async (tx) => {
        const out = await runAction(soshogle, { key: 'crm.find_or_create_contact', props: { email: 'gone@example.com', firstName: 'Gone' }, tenantId: user.userId, idempotencyKey: 'k', tx });
        expect(out.created).toBe(true);
        throw new Error('the booking failed');
      })
      .catch((error: Error) => error.message);
    expect(failed).toBe('the booking failed');
    expect(await db.contact.count({ where: { userId: user.userId, email: 'gone@example.com' } })).toBe(0);
  });

  it('creates despite the tenant\'s required custom fields: a form cannot fill them', async () => {
    await db.customField.create({ data: { userId: other.userId, key: 'industry', label: 'Industry', type: 'TEXT', required: true } });
    const out = await findOrCreate(other.userId, { email: 'form@example.com', firstName: 'Form' });
    expect(out.created).toBe(true);
    expect((await db.contact.findUniqueOrThrow({ where: { id: out.contactId } })).customFields).toEqual({});
  });

  it('refuses input it cannot match on with 422 naming the field, writing nothing', async () => {
    const before = await db.contact.count({ where: { userId: user.userId } });
    await expect(findOrCreate(user.userId, { firstName: 'Nobody' })).rejects.toMatchObject({ status: 422, errors: [{ field: 'props.email' }] });
    await expect(findOrCreate(user.userId, { phone: '12', firstName: 'Bad phone' })).rejects.toMatchObject({ status: 422, errors: [{ field: 'props.phone' }] });
    await expect(findOrCreate(user.userId, { email: 'not-an-email', firstName: 'Bad' })).rejects.toMatchObject({ status: 422, errors: [{ field: 'props.email' }] });
    expect(await db.contact.count({ where: { userId: user.userId } })).toBe(before);
  });

  it('names a person given without a first name (a form asking only an email) after the email, and never renames a match with that', async () => {
    const made = await findOrCreate(user.userId, { email: 'Quiet.Reader@example.com', firstName: '  ' });
    expect(await db.contact.findUniqueOrThrow({ where: { id: made.contactId } })).toMatchObject({ firstName: 'Quiet.Reader', email: 'quiet.reader@example.com' });
    await findOrCreate(user.userId, { email: 'quiet.reader@example.com', firstName: '', overwrite: true, lastName: 'Reader', tags: ['Newsletter'] });
    expect(await db.contact.findUniqueOrThrow({ where: { id: made.contactId } })).toMatchObject({ firstName: 'Quiet.Reader', lastName: 'Reader', tags: ['Newsletter'] });
  });
});

/** The batch action in a transaction of its own, as the forms' processing job runs it in its batch's. */
const findOrCreateMany = (tenantId: string, items: Props[], tx?: Parameters<typeof runAction>[1]['tx']) =>
  tx
    ? runAction(soshogle, { key: 'crm.find_or_create_contacts', props: { items }, tenantId, idempotencyKey: 'k', tx })
    : soshogle.tenantContext('crm', tenantId).db.$transaction((own) => runAction(soshogle, { key: 'crm.find_or_create_contacts', props: { items }, tenantId, idempotencyKey: 'k', tx: own }));

describe('crm.find_or_create_contacts', () => {
  it('makes one contact of two people in one batch with one email: the second finds the first and fills its gaps', async () => {
    const { results } = await findOrCreateMany(user.userId, [
      { email: 'Twice@Example.com', firstName: 'Twice', tags: ['Lead'] },
      { email: 'twice@example.com', firstName: 'Other name', lastName: 'Later', phone: '+15125550177', tags: ['lead', 'Webinar'] },
      { email: 'once@example.com', firstName: 'Once' },
    ]);
    const [first, second, third] = results as { contactId: string; created: boolean }[];
    expect(first).toMatchObject({ created: true });
    expect(second).toEqual({ contactId: first!.contactId, created: false });
    expect(third).toMatchObject({ created: true });
    expect(await db.contact.findMany({ where: { userId: user.userId, email: 'twice@example.com' } })).toEqual([
      expect.objectContaining({ id: first!.contactId, firstName: 'Twice', lastName: 'Later', phone: '+15125550177', tags: ['Lead', 'Webinar'] }),
    ]);
    await queueSettled(soshogle);
    expect(eventsOf(first!.contactId).map((e) => e.type)).toEqual(['core.contact_created', 'core.contact_updated']);
  });

  it('fails only the person with a value the CRM refuses, naming the field, and makes the others', async () => {
    const { results } = await findOrCreateMany(user.userId, [
      { phone: '12', firstName: 'Bad phone' },
      { email: 'good.one@example.com', firstName: 'Good', customFields: { no_such_field: 'x' } },
      { email: 'good.two@example.com', firstName: 'Good two' },
    ]);
    expect(results[0]).toMatchObject({ problem: { status: 422, errors: [{ field: 'props.items.0.phone' }] } });
    expect(results[1]).toMatchObject({ problem: { status: 422, errors: [{ field: 'props.items.1.customFields.no_such_field' }] } });
    expect(results[2]).toMatchObject({ created: true });
    expect(await db.contact.count({ where: { userId: user.userId, email: { in: ['good.one@example.com', 'good.two@example.com'] } } })).toBe(1);
  });

  it('makes one contact per new person when two batches with the same people race, whatever their order', async () => {
    let arrived = 0;
    let allThere: () => void;
    const barrier = new Promise<void>((resolve) => (allThere = resolve));
    const people = ['race.a@example.com', 'race.b@example.com', 'race.c@example.com'].map((email) => ({ email, firstName: email.split('@')[0]! }));
    const outs = await Promise.all(
      [people, [...people].reverse()].map((items) =>
        soshogle.tenantContext('crm', user.userId).db.$transaction(async (tx) => {
          await tx.$queryRaw`select 1`;
          if (++arrived === 2) allThere();
          await barrier;
          return findOrCreateMany(user.userId, items, tx);
        }),
      ),
    );
    const created = outs.flatMap((o) => o.results).filter((r) => 'created' in r && r.created);
    expect(created).toHaveLength(3);
    for (const { email } of people) expect(await db.contact.count({ where: { userId: user.userId, email } })).toBe(1);
  });
});
