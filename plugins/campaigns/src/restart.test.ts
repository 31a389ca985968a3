// Exactly once across workers, failures and restarts. The API runs without a worker; the
// jobs run in two other Soshogle processes on the same database (as a deployment with
// several servers runs them), which the last test stops and replaces. A worker dying in
// the middle of a fan-out page is a transaction that never commits: it is made to fail
// at the page's last statement, and the job's retry must send each message once.
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, expectJson, queueSettled, type TestClient } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { base, startCampaignKit, type Campaign, type Contact } from './testing/kit.ts';

const kit = await startCampaignKit({ WORKER_ENABLED: 'false' });
const { soshogle, db, tenant, contact, createCampaign, campaignOf, recipientsOf, reaches, smsFrom, expectOneSmsEach } = kit;
const workers = [await kit.startAnother(), await kit.startAnother()];

/** A tenant with `n` contacts tagged `tag`, and a campaign to them. */
async function audience(tag: string, n: number) {
  const t = await tenant();
  const contacts: Contact[] = [];
  for (let i = 0; i < n; i++) contacts.push(await contact(t.user, { firstName: `${tag}${i}`, tags: [tag] }));
  const campaign = await createCampaign(t.user, { targetTags: [tag], message: 'Once, {{ contact.firstName }}' });
  return { ...t, contacts, campaign };
}

/** One recipient record and one message per contact, each sent once, and the campaign COMPLETED with those counts. */
async function sentExactlyOnce(user: TestClient, number: string, campaign: Campaign, contacts: Contact[]) {
  const done = await reaches(user, campaign.id, 'COMPLETED');
  expect(done).toMatchObject({ recipientCount: contacts.length, sentCount: contacts.length });
  await queueSettled(soshogle);
  expectOneSmsEach(number, contacts, (c) => `Once, ${contacts.find((x) => x.phone === c.phone)!.firstName}`);
  const records = await db.campaignRecipient.findMany({ where: { campaignId: campaign.id } });
  expect(records.map((r) => r.contactId).sort()).toEqual(contacts.map((c) => c.id).sort());
  expect(await db.message.count({ where: { sendGroup: `campaign:${campaign.id}` } })).toBe(contacts.length);
  expect((await recipientsOf(user, campaign.id)).every((r) => r.status === 'SENT')).toBe(true);
}

const enqueueFanOut = (tenantId: string, campaignId: string, times: number) =>
  db.$transaction(async (tx) => {
    for (let i = 0; i < times; i++) await soshogle.tenantContext('campaigns', tenantId).jobs.enqueue(tx, 'campaigns.fan_out', { campaignId }, { tenantId });
  });

describe('exactly once', () => {
  it('sends each contact one message when the fan-out runs three times at once on two workers', async () => {
    const { user, number, contacts, campaign } = await audience('twice', 12);
    await expectJson(await user.request('POST', `${base}/${campaign.id}/send`), 202);
    await enqueueFanOut(user.userId, campaign.id, 2);
    await sentExactlyOnce(user, number, campaign, contacts);

    // And once more from the very start, as a retry that lost its cursor would: nothing new.
    await db.campaign.update({ where: { id: campaign.id }, data: { status: 'ACTIVE', fanOutDone: false, fanOutCursor: null, completedAt: null } });
    await enqueueFanOut(user.userId, campaign.id, 2);
    await sentExactlyOnce(user, number, campaign, contacts);
  });

  it('a worker dying mid-page leaves nothing of the page; the retry sends each message once', async () => {
    const { user, number, contacts, campaign } = await audience('crash', 6);
    const name = `crash_${campaign.id}`;
    // Fails the page's last statement (the cursor update) the first time only: a sequence
    // is not rolled back with the transaction.
    await db.$executeRawUnsafe(`create sequence "${name}"`);
    await db.$executeRawUnsafe(`create function "${name}"() returns trigger language plpgsql as $$
      begin
        if new.id = '${campaign.id}' and new."fanOutDone" and not old."fanOutDone" and nextval('"${name}"') = 1 then
          raise exception 'the worker died mid-page';
        end if;
        return new;
      end $$`);
    await db.$executeRawUnsafe(`create trigger "${name}" before update on "Campaign" for each row execute function "${name}"()`);
    try {
      await expectJson(await user.request('POST', `${base}/${campaign.id}/send`), 202);
      const [failed] = await eventually(async () => {
        const jobs = await db.$queryRaw<{ last_error: string | null; attempts: number }[]>`
          select last_error, attempts from graphile_worker._private_jobs where payload::text like ${`%fan_out%${campaign.id}%`} and last_error is not null`;
        return jobs.length ? jobs : null;
      });
      expect(failed!.last_error).toContain('the worker died mid-page');
      // Before the retry (about 2.7 s later): no recipient, no message, nothing at Twilio.
      expect(await db.campaignRecipient.count({ where: { campaignId: campaign.id } })).toBe(0);
      expect(await db.message.count({ where: { sendGroup: `campaign:${campaign.id}` } })).toBe(0);
      expect(smsFrom(number).all).toHaveLength(0);
      expect((await campaignOf(user, campaign.id)).status).toBe('ACTIVE');
      await sentExactlyOnce(user, number, campaign, contacts);
    } finally {
      await db.$executeRawUnsafe(`drop trigger "${name}" on "Campaign"`);
      await db.$executeRawUnsafe(`drop function "${name}"()`);
      await db.$executeRawUnsafe(`drop sequence "${name}"`);
    }
  });

  it('work queued while no worker runs (a send, a schedule that comes due) is done once by the next worker process', async () => {
    await Promise.all(workers.map((w) => w.stop()));
    const now = await audience('restart-now', 4);
    const scheduled = await audience('restart-later', 3);
    await expectJson(await now.user.request('POST', `${base}/${now.campaign.id}/send`), 202);
    await expectJson(await scheduled.user.request('POST', `${base}/${scheduled.campaign.id}/schedule`, { at: new Date(Date.now() + 1000).toISOString() }), 200);
    await sleep(2000);
    expect((await campaignOf(scheduled.user, scheduled.campaign.id)).status).toBe('SCHEDULED');
    expect(await db.campaignRecipient.count({ where: { campaignId: now.campaign.id } })).toBe(0);

    await kit.startAnother();
    await sentExactlyOnce(now.user, now.number, now.campaign, now.contacts);
    await sentExactlyOnce(scheduled.user, scheduled.number, scheduled.campaign, scheduled.contacts);
  });
});
