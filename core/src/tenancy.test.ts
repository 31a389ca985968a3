import { createPrismaClient, Prisma } from '@soshogle/db';
import { createTestDatabase } from '@soshogle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actingAs, scopeToTenant, TenancyError, writesOnly, type ModelOwnership } from './tenancy.ts';

const db = createPrismaClient(await createTestDatabase(), { max: 4 });
afterAll(() => db.$disconnect());

let a: string, b: string, bContact: string, bDeal: string;
beforeAll(async () => {
  a = (await db.user.create({ data: { email: 'a@example.test' } })).id;
  b = (await db.user.create({ data: { email: 'b@example.test' } })).id;
  bContact = (await db.contact.create({ data: { userId: b, firstName: 'Bob' } })).id;
  bDeal = (await db.deal.create({ data: { userId: b, title: 'B deal' } })).id;
  await db.dealContact.create({ data: { userId: b, dealId: bDeal, contactId: bContact, isPrimary: true } });
});

const notFound = { code: 'P2025' };
/** The database's composite foreign key (fk, userId) refused a reference to another tenant's row. */
const foreignKey = { code: 'P2003' };

describe('a tenant-scoped client', () => {
  it('reads only its own rows; another tenant id looks missing', async () => {
    const asA = scopeToTenant(db, a);
    await asA.contact.create({ data: { userId: a, firstName: 'Ann' } });
    expect((await asA.contact.findMany()).map((c) => c.firstName)).toEqual(['Ann']);
    expect(await asA.contact.findUnique({ where: { id: bContact } })).toBeNull();
    expect(await asA.contact.findFirst({ where: { OR: [{ userId: b }, { id: bContact }] } })).toBeNull();
    expect(await asA.contact.count({ where: { userId: b } })).toBe(0);
    expect(await asA.dealContact.findMany()).toEqual([]);
    expect(await asA.user.findUnique({ where: { id: b } })).toBeNull();
    expect((await asA.user.findUnique({ where: { id: a } }))?.email).toBe('a@example.test');
  });

  it('stamps the tenant on create, whatever userId is given', async () => {
    const asA = scopeToTenant(db, a);
    const tag = await asA.tag.create({ data: { name: 'VIP', userId: b } as never });
    expect(tag.userId).toBe(a);
    const many = await asA.tag.createManyAndReturn({ data: [{ name: 'Lead', userId: b } as never] });
    expect(many[0]!.userId).toBe(a);
  });

  it('cannot update or delete another tenant row', async () => {
    const asA = scopeToTenant(db, a);
    await expect(asA.contact.update({ where: { id: bContact }, data: { firstName: 'Hacked' } })).rejects.toMatchObject(notFound);
    await expect(asA.contact.delete({ where: { id: bContact } })).rejects.toMatchObject(notFound);
    expect((await asA.contact.updateMany({ where: { id: bContact }, data: { firstName: 'Hacked' } })).count).toBe(0);
    expect((await asA.contact.deleteMany({ where: { id: bContact } })).count).toBe(0);
    expect((await db.contact.findUnique({ where: { id: bContact } }))?.firstName).toBe('Bob');
  });

  it('writes a reference to another tenant row nowhere: the database refuses it, also in createMany and upsert', async () => {
    const asA = scopeToTenant(db, a);
    await expect(asA.note.create({ data: { userId: a, content: 'x', contactId: bContact } })).rejects.toMatchObject(foreignKey);
    const aDeal = await asA.deal.create({ data: { userId: a, title: 'A deal' } });
    await expect(asA.dealContact.create({ data: { userId: a, dealId: aDeal.id, contactId: bContact } })).rejects.toMatchObject(foreignKey);
    await expect(asA.message.createMany({ data: [{ userId: a, contactId: bContact, content: 'hi', direction: 'OUTBOUND', from: '1', to: '2' }] })).rejects.toMatchObject(foreignKey);
    await expect(
      asA.conversation.upsert({ where: { contactId_channel: { contactId: bContact, channel: 'SMS' } }, create: { userId: a, contactId: bContact, channel: 'SMS' }, update: {} }),
    ).rejects.toMatchObject(foreignKey);
    const mine = await asA.contact.create({ data: { userId: a, firstName: 'Own' } });
    const note = await asA.note.create({ data: { userId: a, content: 'ok', contactId: mine.id } });
    await expect(asA.note.update({ where: { id: note.id }, data: { contactId: bContact } })).rejects.toMatchObject(foreignKey);
    await expect(asA.note.updateMany({ where: { id: note.id }, data: { contactId: bContact } })).rejects.toMatchObject(foreignKey);
    expect(await db.note.count({ where: { contactId: bContact } })).toBe(0);
  });

  it('cannot move a row to another tenant, and takes foreign keys as columns, not nested writes', async () => {
    const asA = scopeToTenant(db, a);
    const contact = await asA.contact.create({ data: { userId: a, firstName: 'Stay' } });
    expect((await asA.contact.update({ where: { id: contact.id }, data: { userId: b } as never })).userId).toBe(a);
    await expect(asA.note.create({ data: { content: 'x', user: { connect: { id: a } }, contact: { connect: { id: bContact } } } })).rejects.toBeInstanceOf(TenancyError);
    await expect(asA.deal.create({ data: { userId: a, title: 'mine', contacts: { create: [{ userId: a, contactId: contact.id }] } } as never })).rejects.toBeInstanceOf(TenancyError);
  });

  it('refuses a cross-tenant reference in raw SQL too: the foreign key includes the tenant', async () => {
    // A note of tenant A pointing at tenant B's contact, bypassing every client-side check.
    await expect(db.$executeRaw`insert into "Note" (id, "userId", content, "contactId", "updatedAt") values ('raw-note', ${a}, 'x', ${bContact}, now())`).rejects.toMatchObject({
      code: 'P2010',
      meta: { driverAdapterError: { cause: { kind: 'ForeignKeyConstraintViolation', originalCode: '23503' } } },
    });
    // Pointing an existing row at another tenant's row fails the same way.
    const own = await db.note.create({ data: { userId: a, content: 'own' } });
    await expect(db.$executeRaw`update "Note" set "dealId" = ${bDeal} where id = ${own.id}`).rejects.toMatchObject({ meta: { driverAdapterError: { cause: { originalCode: '23503' } } } });
    expect(await db.note.count({ where: { contactId: bContact } })).toBe(0);
  });

  it('deletes a contact with its conversations and their messages (no SET NULL through the composite key)', async () => {
    const asA = scopeToTenant(db, a);
    const contact = await asA.contact.create({ data: { userId: a, firstName: 'Gone' } });
    const conversation = await asA.conversation.create({ data: { userId: a, contactId: contact.id, channel: 'SMS' } });
    await asA.message.create({ data: { userId: a, contactId: contact.id, conversationId: conversation.id, content: 'hi', direction: 'INBOUND', from: '1', to: '2' } });
    await asA.contact.delete({ where: { id: contact.id } });
    expect(await asA.message.count({ where: { conversationId: conversation.id } })).toBe(0);
  });

  it('works inside a transaction, seeing rows created earlier in it', async () => {
    const asA = scopeToTenant(db, a);
    const note = await asA.$transaction(async (tx) => {
      const contact = await tx.contact.create({ data: { userId: a, firstName: 'Tx' } });
      return tx.note.create({ data: { userId: a, content: 'in tx', contactId: contact.id } });
    });
    expect(note.userId).toBe(a);
    const links = await asA.$transaction(async (tx) => {
      const deal = await tx.deal.create({ data: { userId: a, title: 'with contact' } });
      return tx.dealContact.createManyAndReturn({ data: [{ userId: a, dealId: deal.id, contactId: note.contactId!, isPrimary: true }] });
    });
    expect(links).toMatchObject([{ userId: a, isPrimary: true }]);
  });

  it('refuses data that is not the tenant to touch', async () => {
    const asA = scopeToTenant(db, a) as unknown as Record<string, { findMany(): Promise<unknown> }>;
    for (const model of ['session', 'account', 'webhookInbox', 'rateLimit', 'systemEmail', 'verificationToken']) {
      await expect(asA[model]!.findMany()).rejects.toBeInstanceOf(TenancyError);
    }
    await expect(scopeToTenant(db, a).user.update({ where: { id: a }, data: { role: 'ADMIN' } })).rejects.toBeInstanceOf(TenancyError);
    expect(Prisma.ModelName.Contact).toBe('Contact');
  });
});

describe("a plugin's client", () => {
  const ownership: ModelOwnership = {
    owners: new Map([
      ['Contact', 'crm'],
      ['Note', 'crm'],
      ['Message', 'messaging'],
    ]),
  };

  it('writes only the models its plugin owns; reads of the others work', async () => {
    const asMessaging = writesOnly(scopeToTenant(db, a), 'messaging', ownership);
    await expect(asMessaging.contact.create({ data: { userId: a, firstName: 'Nope' } })).rejects.toThrow(
      new TenancyError('messaging may not write Contact, owned by crm: call a crm action'),
    );
    await expect(asMessaging.contact.updateMany({ data: { firstName: 'Nope' } })).rejects.toBeInstanceOf(TenancyError);
    await expect(asMessaging.contact.deleteMany({})).rejects.toBeInstanceOf(TenancyError);
    // A model no enabled plugin owns stays open until one declares it.
    await expect(asMessaging.voiceAgent.create({ data: { userId: a, name: 'x' } })).resolves.toMatchObject({ userId: a });
    expect((await asMessaging.contact.findMany()).length).toBeGreaterThan(0);
    expect(await db.contact.count({ where: { firstName: 'Nope' } })).toBe(0);

    const asCrm = writesOnly(scopeToTenant(db, a), 'crm', ownership);
    await expect(asCrm.contact.create({ data: { userId: a, firstName: 'Mine' } })).resolves.toMatchObject({ userId: a });
  });

  it("keeps its ownership inside its transactions; a transaction handed to another plugin takes that plugin's", async () => {
    const asCrm = writesOnly(scopeToTenant(db, a), 'crm', ownership);
    await asCrm.$transaction(async (tx) => {
      const contact = await tx.contact.create({ data: { userId: a, firstName: 'In tx' } });
      const message = { userId: a, contactId: contact.id, content: 'ok', direction: 'OUTBOUND', from: '1', to: '2' } as const;
      await expect(tx.message.create({ data: message })).rejects.toThrow('crm may not write Message, owned by messaging');
      const asMessaging = actingAs(tx, 'messaging');
      await asMessaging.message.create({ data: message });
      await expect(asMessaging.contact.update({ where: { id: contact.id }, data: { firstName: 'x' } })).rejects.toBeInstanceOf(TenancyError);
    });
    expect(await db.message.count({ where: { userId: a, content: 'ok' } })).toBe(1);
  });
});
