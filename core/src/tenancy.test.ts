import { createPrismaClient, Prisma } from '@soshogle/db';
import { createTestDatabase } from '@soshogle/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeToTenant, TenancyError } from './tenancy.ts';

const db = createPrismaClient(await createTestDatabase(), { max: 4 });
afterAll(() => db.$disconnect());

let a: string, b: string, bContact: string, bDeal: string;
beforeAll(async () => {
  a = (await db.user.create({ data: { email: 'a@example.test' } })).id;
  b = (await db.user.create({ data: { email: 'b@example.test' } })).id;
  bContact = (await db.contact.create({ data: { userId: b, firstName: 'Bob' } })).id;
  bDeal = (await db.deal.create({ data: { userId: b, title: 'B deal' } })).id;
  await db.dealContact.create({ data: { dealId: bDeal, contactId: bContact, isPrimary: true } });
});

const notFound = { code: 'P2025' };

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

  it('refuses references to another tenant rows, also nested and in createMany', async () => {
    const asA = scopeToTenant(db, a);
    await expect(asA.note.create({ data: { userId: a, content: 'x', contactId: bContact } })).rejects.toMatchObject(notFound);
    await expect(asA.note.create({ data: { content: 'x', user: { connect: { id: a } }, contact: { connect: { id: bContact } } } })).rejects.toMatchObject(notFound);
    await expect(asA.dealContact.create({ data: { dealId: bDeal, contactId: bContact } })).rejects.toMatchObject(notFound);
    await expect(
      asA.deal.create({ data: { userId: a, title: 'mine', contacts: { create: [{ contactId: bContact, isPrimary: true }] } } }),
    ).rejects.toMatchObject(notFound);
    await expect(asA.message.createMany({ data: [{ userId: a, contactId: bContact, content: 'hi', direction: 'OUTBOUND', from: '1', to: '2' }] })).rejects.toMatchObject(notFound);
    const mine = await asA.contact.create({ data: { userId: a, firstName: 'Own' } });
    await expect(asA.note.update({ where: { id: (await asA.note.create({ data: { userId: a, content: 'ok', contactId: mine.id } })).id }, data: { contactId: bContact } })).rejects.toMatchObject(notFound);
    expect(await db.note.count({ where: { contactId: bContact } })).toBe(0);
  });

  it('works inside a transaction, seeing rows created earlier in it', async () => {
    const asA = scopeToTenant(db, a);
    const note = await asA.$transaction(async (tx) => {
      const contact = await tx.contact.create({ data: { userId: a, firstName: 'Tx' } });
      return tx.note.create({ data: { userId: a, content: 'in tx', contactId: contact.id } });
    });
    expect(note.userId).toBe(a);
    const deal = await asA.deal.create({ data: { userId: a, title: 'with contact', contacts: { create: [{ contactId: note.contactId!, isPrimary: true }] } }, include: { contacts: true } });
    expect(deal.contacts).toHaveLength(1);
  });

  it('refuses data that is not the tenant to touch', async () => {
    const asA = scopeToTenant(db, a) as unknown as Record<string, { findMany(): Promise<unknown> }>;
    for (const model of ['session', 'account', 'webhookDelivery', 'rateLimit', 'systemEmail', 'verificationToken']) {
      await expect(asA[model]!.findMany()).rejects.toBeInstanceOf(TenancyError);
    }
    await expect(scopeToTenant(db, a).user.update({ where: { id: a }, data: { role: 'ADMIN' } })).rejects.toBeInstanceOf(TenancyError);
    expect(Prisma.ModelName.Contact).toBe('Contact');
  });
});
