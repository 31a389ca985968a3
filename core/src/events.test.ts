// A domain change and the event it raises commit together, through the real data layer.
import { createPrismaClient } from '@soshogle/db';
import { createTestDatabase } from '@soshogle/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEvents } from './events.ts';
import { definePlugin, defineSubscriber, defineTrigger } from './plugin.ts';
import { buildRegistry } from './plugin-host.ts';

const renamed = defineTrigger({ name: 'renamed', displayName: '', description: '', payload: z.object({ name: z.string() }), filter: z.object({}), matches: () => true });
declare module './plugin.ts' {
  interface Plugins { accounts: { triggers: [typeof renamed] } }
}

const registry = buildRegistry([
  definePlugin({
    name: 'accounts',
    displayName: '',
    description: '',
    triggers: [renamed],
    subscribers: [defineSubscriber({ name: 'audit', event: 'accounts.renamed', run: async () => {} })],
  }),
]);
const events = createEvents(registry);
const db = createPrismaClient(await createTestDatabase(), { max: 2 });
afterAll(() => db.$disconnect());
const jobs = () => db.$queryRaw<{ task_identifier: string; payload: { event: { type: string; payload: unknown } } }[]>`
  select t.identifier as task_identifier, j.payload
  from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id`;

describe('events.raise', () => {
  it('commits the event with the change', async () => {
    const user = await db.$transaction(async (tx) => {
      const u = await tx.user.create({ data: { email: 'a@example.test', name: 'Ann' } });
      await events.raise(tx, 'accounts.renamed', { name: 'Ann' }, { tenantId: u.id });
      return u;
    });
    expect(await db.user.count({ where: { id: user.id } })).toBe(1);
    expect(await jobs()).toEqual([
      { task_identifier: 'deliver_event', payload: expect.objectContaining({ subscriber: 'accounts.audit', event: expect.objectContaining({ type: 'accounts.renamed', payload: { name: 'Ann' } }) }) },
    ]);
  });

  it('raises nothing when the change rolls back', async () => {
    await db.$executeRaw`delete from graphile_worker._private_jobs`;
    await expect(
      db.$transaction(async (tx) => {
        const u = await tx.user.create({ data: { email: 'b@example.test' } });
        await events.raise(tx, 'accounts.renamed', { name: 'Bea' }, { tenantId: u.id });
        throw new Error('validation failed later in the change');
      }),
    ).rejects.toThrow('validation failed');
    expect(await db.user.count({ where: { email: 'b@example.test' } })).toBe(0);
    expect(await jobs()).toEqual([]);
  });

  it('refuses an event type no plugin declares, and a payload that does not fit', async () => {
    // Both fail the typecheck too; the run-time checks are for events raised from stored data.
    // @ts-expect-error no plugin declares accounts.deleted
    await expect(events.raise(db, 'accounts.deleted', {}, { tenantId: 'x' })).rejects.toThrow(/no enabled plugin declares/);
    // @ts-expect-error name is a string
    await expect(events.raise(db, 'accounts.renamed', { name: 5 }, { tenantId: 'x' })).rejects.toThrow();
  });
});
