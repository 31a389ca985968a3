// The webhook inbox: the POST appends and answers, the apply_webhooks job applies. The
// worker is off here, so each test runs the job itself and sees exactly which deliveries
// one run took together.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, defineWebhook, type WebhookRequest } from '../plugin.ts';
import { Problem, refuse } from './problem.ts';
import { appendDeliveries, inboxAppender, type InboxDelivery } from './webhook-inbox.ts';
import { expectJson, startTestSoshogle } from '../testing/index.ts';

const secret = 'inbox-test-secret';
const sign = (body: string) => createHmac('sha256', secret).update(body).digest('hex');
const delivery = z.object({ id: z.string(), tenant: z.string(), name: z.string() });
const read = (request: WebhookRequest) => delivery.parse(JSON.parse(request.rawBody.toString('utf8')));
const batches: string[][] = [];

const common = {
  verify: ({ rawBody, headers }: WebhookRequest) => headers['x-signature'] === sign(rawBody.toString('utf8')),
  deliveryId: (request: WebhookRequest) => read(request).id,
  tenant: async (request: WebhookRequest) => read(request).tenant,
};
// Each delivery writes a contact, then fails if its name says so: its contact must go with it.
const events = defineWebhook({
  ...common,
  path: '/events',
  async handle(request, { tx, tenantId }) {
    const { name } = read(request);
    await tx.contact.create({ data: { userId: tenantId, firstName: name } });
    if (name.startsWith('bad')) throw new Error(`cannot apply ${name}`);
    if (name.startsWith('refused')) throw refuse(422, `${name} is not a name`);
  },
});
const batched = defineWebhook({
  ...common,
  path: '/batched',
  handle: events.handle,
  async handleMany(requests, { tx, tenantId }) {
    const names = requests.map((r) => read(r).name);
    batches.push(names);
    await tx.contact.createMany({ data: names.map((firstName) => ({ userId: tenantId, firstName })) });
    if (names.some((n) => n.startsWith('bad'))) throw new Error('one of the batch is bad');
  },
});
const plugin = definePlugin({ name: 'inbox', displayName: 'Inbox', description: 'Webhooks for the inbox test', webhooks: [events, batched] });

const soshogle = await startTestSoshogle([plugin], { WORKER_ENABLED: 'false' });
const tenant = await soshogle.db.user.create({ data: { email: 'inbox-a@example.test' } });
const other = await soshogle.db.user.create({ data: { email: 'inbox-b@example.test' } });

const deliver = (path: string, body: { id: string; tenant: string; name: string }) => {
  const raw = JSON.stringify(body);
  return fetch(`${soshogle.url}/webhooks/inbox${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': sign(raw) }, body: raw });
};
/** One run of the job, as the worker would run it. */
const apply = (path: string, tenantId = tenant.id) => {
  const { job } = soshogle.registry.jobs.get('core.apply_webhooks')!;
  return job.run({ ...soshogle.tenantContext('core', tenantId), attempt: 1, maxAttempts: 25 }, { plugin: 'inbox', path });
};
const contacts = async (tenantId = tenant.id) => (await soshogle.db.contact.findMany({ where: { userId: tenantId }, orderBy: { firstName: 'asc' } })).map((c) => c.firstName);
const inbox = (deliveryId: string, tenantId = tenant.id) => soshogle.db.webhookInbox.findFirstOrThrow({ where: { tenantId, deliveryId } });
const jobs = async (tenantId = tenant.id) => {
  const [row] = await soshogle.db.$queryRaw<{ n: bigint; due: Date | null }[]>`
    select count(*) as n, max(run_at) as due from graphile_worker._private_jobs where key like ${`${tenantId}:core.apply_webhooks:%`}`;
  return { n: Number(row!.n), due: row!.due };
};
const clean = async () => {
  await soshogle.db.contact.deleteMany({});
  await soshogle.db.webhookInbox.deleteMany({});
  await soshogle.db.$executeRaw`delete from graphile_worker._private_jobs`;
  batches.length = 0;
};

describe('the webhook inbox', () => {
  it('appends a verified delivery and answers before applying it; a duplicate stops at the key and queues nothing', async () => {
    await clean();
    expect(await expectJson(await deliver('/events', { id: 'd-1', tenant: tenant.id, name: 'Ada' }), 200)).toEqual({ received: true });
    expect(await expectJson(await deliver('/events', { id: 'd-1', tenant: tenant.id, name: 'Ada' }), 200)).toEqual({ received: true, duplicate: true });
    // A second delivery finds the key's job waiting and writes nothing to it.
    await expectJson(await deliver('/events', { id: 'd-2', tenant: tenant.id, name: 'Bea' }), 200);
    expect(await contacts()).toEqual([]);
    expect((await jobs()).n).toBe(1);
    expect(await soshogle.db.webhookInbox.count({ where: { tenantId: tenant.id } })).toBe(2);

    await apply('/events');
    expect(await contacts()).toEqual(['Ada', 'Bea']);
    // Applied: only the key is kept (the dedupe), the payload is gone.
    expect(await inbox('d-1')).toMatchObject({ appliedAt: expect.any(Date), body: null, headers: null, url: null, attempts: 0, failedAt: null });
    expect(await expectJson(await deliver('/events', { id: 'd-1', tenant: tenant.id, name: 'Ada' }), 200)).toEqual({ received: true, duplicate: true });
    await apply('/events');
    expect(await contacts()).toEqual(['Ada', 'Bea']);
  });

  it("keeps each tenant's delivery ids apart: one tenant cannot use up another's", async () => {
    await clean();
    await expectJson(await deliver('/events', { id: 'shared-1', tenant: tenant.id, name: 'Ada' }), 200);
    expect(await expectJson(await deliver('/events', { id: 'shared-1', tenant: other.id, name: 'Bo' }), 200)).toEqual({ received: true });
    await apply('/events');
    expect([await contacts(), await contacts(other.id)]).toEqual([['Ada'], []]);
    await apply('/events', other.id);
    expect(await contacts(other.id)).toEqual(['Bo']);
  });

  it('a failing delivery does not fail its batch-mates; it is tried again with backoff, then marked failed with its error', async () => {
    await clean();
    for (const [id, name] of [['f-1', 'Cy'], ['f-2', 'bad Dee'], ['f-3', 'Eve']]) await expectJson(await deliver('/events', { id: id!, tenant: tenant.id, name: name! }), 200);
    // As the worker would: the queued job is taken (so it no longer waits) while it runs.
    await soshogle.db.$executeRaw`delete from graphile_worker._private_jobs`;
    await apply('/events');
    expect(await contacts()).toEqual(['Cy', 'Eve']);
    const failed = await inbox('f-2');
    expect(failed).toMatchObject({ appliedAt: null, failedAt: null, attempts: 1, error: 'cannot apply bad Dee' });
    expect(failed.dueAt.getTime()).toBeGreaterThan(Date.now());
    // Its next try is queued for when it is due.
    expect(Math.abs((await jobs()).due!.getTime() - failed.dueAt.getTime())).toBeLessThan(2);
    // Not due yet: a run leaves it alone.
    await apply('/events');
    expect(await inbox('f-2')).toMatchObject({ attempts: 1 });

    await soshogle.db.webhookInbox.update({ where: { id: failed.id }, data: { attempts: 9, dueAt: new Date() } });
    await apply('/events');
    const given = await inbox('f-2');
    expect(given).toMatchObject({ attempts: 10, failedAt: expect.any(Date), appliedAt: null, error: 'cannot apply bad Dee' });
    // Kept as it came, for whoever looks into it.
    expect(read({ rawBody: Buffer.from(given.body!), headers: {}, url: '' }).name).toBe('bad Dee');
    expect(await contacts()).toEqual(['Cy', 'Eve']);
  });

  it('fails a delivery its handler refuses (a 4xx) at once: a retry would read it no better', async () => {
    await clean();
    await expectJson(await deliver('/events', { id: 'r-1', tenant: tenant.id, name: 'refused Nan' }), 200);
    await apply('/events');
    expect(await inbox('r-1')).toMatchObject({ attempts: 1, failedAt: expect.any(Date), error: 'refused Nan is not a name' });
    expect(await contacts()).toEqual([]);
  });

  it("prefers the webhook's handleMany for a batch, in arrival order, and applies one by one when it throws", async () => {
    await clean();
    for (const name of ['Gus', 'Hal', 'Ivy']) await expectJson(await deliver('/batched', { id: name, tenant: tenant.id, name }), 200);
    await apply('/batched');
    expect(batches).toEqual([['Gus', 'Hal', 'Ivy']]);
    expect(await contacts()).toEqual(['Gus', 'Hal', 'Ivy']);

    for (const name of ['Jo', 'bad Kim', 'Lu']) await expectJson(await deliver('/batched', { id: name, tenant: tenant.id, name }), 200);
    await apply('/batched');
    // The batch's writes are undone with it; each delivery is then applied on its own.
    expect(batches).toEqual([['Gus', 'Hal', 'Ivy'], ['Jo', 'bad Kim', 'Lu']]);
    expect(await contacts()).toEqual(['Gus', 'Hal', 'Ivy', 'Jo', 'Lu']);
    expect(await inbox('bad Kim')).toMatchObject({ attempts: 1, error: 'cannot apply bad Kim', appliedAt: null });
  });

  it('refuses a bad signature with 401 and appends nothing', async () => {
    await clean();
    const raw = JSON.stringify({ id: 'x-1', tenant: tenant.id, name: 'Mo' });
    const res = await fetch(`${soshogle.url}/webhooks/inbox/events`, { method: 'POST', headers: { 'x-signature': sign('other') }, body: raw });
    expect(res.status).toBe(401);
    expect(await soshogle.db.webhookInbox.count()).toBe(0);
    expect((await jobs()).n).toBe(0);
  });

  describe('the gathered append', () => {
    const given = (deliveryId: string, name = deliveryId): InboxDelivery => {
      const raw = JSON.stringify({ id: deliveryId, tenant: tenant.id, name });
      return { plugin: 'inbox', path: '/events', tenantId: tenant.id, deliveryId, request: { rawBody: Buffer.from(raw), headers: { 'x-signature': sign(raw) }, url: 'http://test/webhooks/inbox/events' } };
    };
    /** Blocks appends to the inbox until the returned function is called (a lock the INSERT waits for). */
    const blockAppends = async () => {
      let release!: () => void;
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const held = soshogle.db.$transaction(async (tx) => {
        await tx.$executeRaw`lock table "WebhookInbox" in exclusive mode`;
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await isLocked;
      return async () => {
        release();
        await held;
      };
    };
    const waitingOnLock = async () => {
      for (;;) {
        const [row] = await soshogle.db.$queryRaw<{ n: bigint }[]>`select count(*) as n from pg_locks where relation = '"WebhookInbox"'::regclass and not granted`;
        if (Number(row!.n) > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    it('two copies of one delivery in one append make one row: the first is new, the second a duplicate', async () => {
      await clean();
      const others = { ...given('g-1'), tenantId: other.id };
      expect(await appendDeliveries(soshogle.db, soshogle.contextFor('core').jobs, [given('g-1'), given('g-2'), others, given('g-1')])).toEqual([true, true, true, false]);
      expect((await soshogle.db.webhookInbox.findMany({ where: { tenantId: tenant.id }, orderBy: { deliveryId: 'asc' } })).map((r) => r.deliveryId)).toEqual(['g-1', 'g-2']);
      // Each tenant's job, once.
      expect([(await jobs()).n, (await jobs(other.id)).n]).toEqual([1, 1]);
      await apply('/events', other.id);
      expect(await contacts(other.id)).toEqual(['g-1']);
      // Both copies again, with the first already stored: duplicates both, and no job queued.
      await soshogle.db.$executeRaw`delete from graphile_worker._private_jobs`;
      expect(await appendDeliveries(soshogle.db, soshogle.contextFor('core').jobs, [given('g-1'), given('g-1')])).toEqual([false, false]);
      expect((await jobs()).n).toBe(0);
    });

    it('answers concurrent POSTs from one append; two copies among them: one row, both 200, one a duplicate', async () => {
      await clean();
      const release = await blockAppends();
      // The first POST's append waits on the lock; the copies that come meanwhile gather for the next.
      const first = deliver('/events', { id: 'p-0', tenant: tenant.id, name: 'Pat' });
      await waitingOnLock();
      const copies = [deliver('/events', { id: 'p-1', tenant: tenant.id, name: 'Quin' }), deliver('/events', { id: 'p-1', tenant: tenant.id, name: 'Quin' })];
      await new Promise((resolve) => setTimeout(resolve, 300));
      await release();
      expect(await expectJson(await first, 200)).toEqual({ received: true });
      const answers = await Promise.all(copies.map((res) => res.then((r) => expectJson(r, 200))));
      expect(answers).toContainEqual({ received: true });
      expect(answers).toContainEqual({ received: true, duplicate: true });
      expect(await soshogle.db.webhookInbox.count({ where: { tenantId: tenant.id, deliveryId: 'p-1' } })).toBe(1);
      await apply('/events');
      expect(await contacts()).toEqual(['Pat', 'Quin']);
    });

    describe('when the append fails', () => {
      // A delivery the database refuses (here by a trigger) fails the statement it is in.
      const poison = async <T>(work: () => Promise<T>): Promise<T> => {
        await soshogle.db.$executeRawUnsafe(`create function refuse_poison() returns trigger language plpgsql as $$ begin if new."deliveryId" like 'poison%' then raise exception 'poisoned'; end if; return new; end $$`);
        await soshogle.db.$executeRawUnsafe(`create trigger refuse_poison before insert on "WebhookInbox" for each row execute function refuse_poison()`);
        try {
          return await work();
        } finally {
          await soshogle.db.$executeRawUnsafe('drop trigger refuse_poison on "WebhookInbox"');
          await soshogle.db.$executeRawUnsafe('drop function refuse_poison()');
        }
      };

      it('fails every delivery gathered with it with a 503 and writes none of them', async () => {
        await clean();
        const append = inboxAppender(soshogle);
        const answers = await poison(() => Promise.allSettled([append(given('ok-1')), append(given('poison-1')), append(given('ok-2'))]));
        expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected']);
        for (const answer of answers) expect((answer as PromiseRejectedResult).reason).toMatchObject({ status: 503 });
        expect((answers[0] as PromiseRejectedResult).reason).toBeInstanceOf(Problem);
        expect(await soshogle.db.webhookInbox.count()).toBe(0);
        expect((await jobs()).n).toBe(0);
        // The same deliveries sent again, the poison gone: each stored once.
        expect(await Promise.all([append(given('ok-1')), append(given('ok-2'))])).toEqual([true, true]);
      });

      it('answers each POST of it 503, for the provider to send it again, never a 200', async () => {
        await clean();
        const answers = await poison(async () => {
          const release = await blockAppends();
          const first = deliver('/events', { id: 'q-0', tenant: tenant.id, name: 'Ray' });
          await waitingOnLock();
          const gathered = [deliver('/events', { id: 'poison-2', tenant: tenant.id, name: 'Sal' }), deliver('/events', { id: 'q-1', tenant: tenant.id, name: 'Tam' })];
          await new Promise((resolve) => setTimeout(resolve, 300));
          await release();
          return [await first, ...(await Promise.all(gathered))];
        });
        expect(answers.map((r) => r.status)).toEqual([200, 503, 503]);
        expect(answers[1]!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(answers[1]!.headers.get('retry-after')).toBe('1');
        expect((await soshogle.db.webhookInbox.findMany({ where: { tenantId: tenant.id } })).map((r) => r.deliveryId)).toEqual(['q-0']);
      });
    });
  });
});
