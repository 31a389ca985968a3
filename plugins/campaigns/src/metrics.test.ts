// A campaign's sending and counting end to end: cancelling mid-send at a low rate, and
// exact metrics from the providers' webhooks (Twilio status callbacks, SendGrid's signed
// Event Webhook) however they repeat, re-batch or arrive out of order.
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, expectJson, queueSettled, type TestClient } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { base, newEmail, startCampaignKit, type Campaign, type Contact, type Metrics } from './testing/kit.ts';

const kit = await startCampaignKit();
const { soshogle, db, twilio, sendgrid, tenant, contact, createCampaign, campaignOf, metricsOf, recipientsOf, reaches, smsFrom, expectOneSmsEach } = kit;

const messagesOf = (campaignId: string) => db.message.findMany({ where: { sendGroup: `campaign:${campaignId}` } });
type Activity = { bucket: string; points: ({ at: string } & Record<string, number>)[] };
/** The activity's counts of each kind, summed over its buckets. */
async function activityTotals(user: TestClient, id: string, bucket: string) {
  const activity = await expectJson<Activity>(await user.request('GET', `${base}/${id}/activity?bucket=${bucket}`), 200);
  expect(activity.bucket).toBe(bucket);
  const kinds = ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'failed', 'unsubscribed'];
  return Object.fromEntries(kinds.map((k) => [k, activity.points.reduce((sum, p) => sum + p[k]!, 0)]));
}
/** The Campaign's counters as GET /metrics counts them (after the debounced refresh). */
const countersOf = (m: Metrics) => ({
  recipientCount: m.recipients,
  skippedCount: m.skipped,
  sentCount: m.sent,
  deliveredCount: m.delivered,
  openCount: m.opened,
  clickCount: m.clicked,
  bounceCount: m.bounced,
  failedCount: m.failed,
  unsubscribeCount: m.unsubscribed,
});
async function countersAgree(user: TestClient, id: string, expected: Partial<Metrics>) {
  const metrics = await metricsOf(user, id);
  expect(metrics).toMatchObject(expected);
  await eventually(async () => {
    const c = await campaignOf(user, id);
    return Object.entries(countersOf(metrics)).every(([k, v]) => c[k as keyof Campaign] === v);
  });
  return metrics;
}

describe('cancelling mid-send', () => {
  it('stops the unsent rest: CANCELLED, never at Twilio, and sent + cancelled + skipped = recipients', async () => {
    const { user, number } = await tenant({ smsPerSecond: 2 });
    const contacts: Contact[] = [];
    for (let i = 0; i < 20; i++) contacts.push(await contact(user, { firstName: `C${i}`, tags: ['bulk'] }));
    const campaign = await createCampaign(user, { targetTags: ['bulk'] });
    await expectJson(await user.request('POST', `${base}/${campaign.id}/send`), 202);
    await eventually(async () => smsFrom(number).all.length >= 3);
    const cancelled = await expectJson<Campaign>(await user.request('POST', `${base}/${campaign.id}/cancel`), 200);
    expect(cancelled).toMatchObject({ status: 'CANCELLED' });
    expect(cancelled.cancelledAt).toBeTruthy();
    const atCancel = smsFrom(number).all.length;

    // Long enough for the rest to have gone at 2/s, had they not been stopped.
    await sleep(4000);
    await queueSettled(soshogle);
    const recipients = await recipientsOf(user, campaign.id);
    expect(recipients).toHaveLength(20);
    const sent = recipients.filter((r) => r.status === 'SENT');
    const stopped = recipients.filter((r) => r.status === 'CANCELLED');
    expect(sent.length + stopped.length).toBe(20);
    // Only a send already handed to Twilio when the cancel came may have gone after it.
    expect(sent.length).toBeLessThanOrEqual(atCancel + 1);
    expect(stopped.length).toBeGreaterThanOrEqual(10);
    // Exactly the SENT recipients got one message each; the cancelled ones none.
    expectOneSmsEach(number, sent.map((r) => r.contact!));
    expect((await db.message.findMany({ where: { id: { in: stopped.map((r) => r.messageId!) } } })).every((m) => m.status === 'CANCELLED')).toBe(true);
    for (const r of stopped) expect(r.reason).toMatch(/cancelled/);

    const metrics = await countersAgree(user, campaign.id, { recipients: 20, sent: sent.length, cancelled: stopped.length, skipped: 0, queued: 0 });
    expect(metrics.sent + metrics.cancelled + metrics.skipped).toBe(metrics.recipients);
    expect((await campaignOf(user, campaign.id)).status).toBe('CANCELLED');
  });
});

describe('a contact deleted while its message waits', () => {
  it('cancels that recipient (its message went with the contact) and the campaign still completes', async () => {
    const { user, number } = await tenant({ smsPerSecond: 2 });
    const contacts: Contact[] = [];
    for (let i = 0; i < 5; i++) contacts.push(await contact(user, { firstName: `D${i}`, tags: ['deleted'] }));
    const campaign = await createCampaign(user, { targetTags: ['deleted'] });
    await expectJson(await user.request('POST', `${base}/${campaign.id}/send`), 202);
    await eventually(async () => smsFrom(number).all.length >= 1);
    // The audience is sent in contact id order: the last one is still waiting for its slot.
    const last = [...contacts].sort((a, b) => (a.id < b.id ? -1 : 1)).at(-1)!;
    await expectJson(await user.request('DELETE', `/api/crm/contacts/${last.id}`), 204);
    const done = await reaches(user, campaign.id, 'COMPLETED', 20_000);
    expect(done.metrics).toMatchObject({ recipients: 5, sent: 4, cancelled: 1, queued: 0 });
    const recipients = await recipientsOf(user, campaign.id);
    expect(recipients.find((r) => r.contactId === last.id)).toMatchObject({ status: 'CANCELLED', contact: null, reason: expect.stringMatching(/deleted/) });
    await queueSettled(soshogle);
    expectOneSmsEach(number, contacts.filter((c) => c !== last));
  });
});

describe('metrics from Twilio status callbacks', () => {
  it('counts each delivered recipient once, however callbacks repeat or come out of order; a failure after delivery does not count as failed', async () => {
    const { user, number } = await tenant();
    const people: Contact[] = [];
    for (const name of ['Ada', 'Bob', 'Cy', 'Dee', 'Eve']) people.push(await contact(user, { firstName: name, tags: ['sms-metrics'] }));
    // A number Twilio refuses (21211): failed, never sent.
    const invalid = await db.contact.create({ data: { userId: user.userId, firstName: 'Fay', phone: '+15005550001', tags: ['sms-metrics'] } });
    const campaign = await createCampaign(user, { targetTags: ['sms-metrics'] });
    await expectJson(await user.request('POST', `${base}/${campaign.id}/send`), 202);
    await reaches(user, campaign.id, 'COMPLETED');
    await queueSettled(soshogle);
    expectOneSmsEach(number, people);
    expect(twilio.requests.filter((r) => r.body?.To === invalid.phone).map((r) => r.status)).toEqual([400]);
    const messages = await messagesOf(campaign.id);
    const sid = (name: string) => messages.find((m) => m.contactId === people.find((p) => p.firstName === name)!.id)!.twilioSid!;

    const status = async (name: string, s: string, options?: { errorCode?: number }) => expect((await twilio.sendStatus(sid(name), s, options)).status).toBe(200);
    // Ada: delivered, and the same callback again (a new delivery id from Twilio each time).
    await status('Ada', 'delivered');
    await status('Ada', 'delivered');
    // Bob: delivered, then a late "sent".
    await status('Bob', 'delivered');
    await status('Bob', 'sent');
    // Cy: sent, then three "delivered" at once.
    await status('Cy', 'sent');
    await Promise.all([status('Cy', 'delivered'), status('Cy', 'delivered'), status('Cy', 'delivered')]);
    // Dee: undelivered.
    await status('Dee', 'undelivered', { errorCode: 30003 });
    // Eve: delivered, then a late failure (ignored by messaging, so by the campaign too).
    await status('Eve', 'delivered');
    await status('Eve', 'failed', { errorCode: 30008 });

    const metrics = await countersAgree(user, campaign.id, { recipients: 6, sent: 5, delivered: 4, failed: 2, queued: 0, skipped: 0, deliveryRate: 0.8 });
    expect(metrics.delivered + metrics.failed).toBe(metrics.recipients);
    const recipients = await recipientsOf(user, campaign.id);
    expect(Object.fromEntries(recipients.map((r) => [r.contact!.firstName, r.status]))).toEqual({ Ada: 'DELIVERED', Bob: 'DELIVERED', Cy: 'DELIVERED', Dee: 'FAILED', Eve: 'DELIVERED', Fay: 'FAILED' });
    expect(recipients.find((r) => r.contact!.firstName === 'Dee')!.reason).toContain('30003');
    expect(recipients.find((r) => r.contact!.firstName === 'Fay')).toMatchObject({ sentAt: null, reason: expect.stringContaining('21211') });
    expect((await expectJson<{ items: unknown[] }>(await user.request('GET', `${base}/${campaign.id}/recipients?status=DELIVERED`), 200)).items).toHaveLength(4);
    type Recipients = { items: { id: string }[]; nextCursor: string | null };
    const first = await expectJson<Recipients>(await user.request('GET', `${base}/${campaign.id}/recipients?limit=4`), 200);
    const rest = await expectJson<Recipients>(await user.request('GET', `${base}/${campaign.id}/recipients?limit=4&cursor=${first.nextCursor}`), 200);
    expect([first.items.length, rest.items.length, rest.nextCursor]).toEqual([4, 2, null]);
    expect([...first.items, ...rest.items].map((r) => r.id)).toEqual(recipients.map((r) => r.id));
    expect(await activityTotals(user, campaign.id, 'minute')).toMatchObject({ sent: 5, delivered: 4, failed: 2 });
    expect((await campaignOf(user, campaign.id)).status).toBe('COMPLETED');
  });
});

describe('metrics from SendGrid events', () => {
  it('counts opens and clicks once per recipient, bounces and unsubscribes, however the signed batches repeat; activity agrees', async () => {
    const { user, fromEmail, eventsUrl } = await tenant();
    const people: Contact[] = [];
    for (const name of ['Ada', 'Bob', 'Cy', 'Dee']) people.push(await contact(user, { firstName: name, tags: ['news'], phone: null, email: newEmail(name) }));
    const campaign = await createCampaign(user, {
      type: 'EMAIL',
      targetTags: ['news'],
      subject: 'News for {{ contact.firstName }}',
      message: 'Hello {{ contact.firstName }}',
      html: '<p>Hello <b>{{ contact.firstName }}</b></p>',
    });
    await expectJson(await user.request('POST', `${base}/${campaign.id}/send`), 202);
    await reaches(user, campaign.id, 'COMPLETED');
    await queueSettled(soshogle);
    const mails = sendgrid.mails.filter((m) => m.from.email === fromEmail);
    expect(mails.map((m) => [m.personalizations[0]!.to[0]!.email, m.subject]).sort()).toEqual(people.map((p) => [p.email, `News for ${p.firstName}`]).sort());
    expect(mails.find((m) => m.subject === 'News for Ada')!.content!.find((c) => c.type === 'text/html')!.value).toContain('<p>Hello <b>Ada</b></p>');
    const messages = await messagesOf(campaign.id);
    const id = (name: string) => messages.find((m) => m.contactId === people.find((p) => p.firstName === name)!.id)!.sendgridId!;

    const batch = [
      sendgrid.event(id('Ada'), 'delivered'),
      sendgrid.event(id('Bob'), 'delivered'),
      sendgrid.event(id('Cy'), 'delivered'),
      sendgrid.event(id('Ada'), 'open'),
      sendgrid.event(id('Ada'), 'open'),
      sendgrid.event(id('Ada'), 'click', { url: 'https://shop.example.com/sale' }),
      sendgrid.event(id('Ada'), 'click', { url: 'https://shop.example.com/sale' }),
      sendgrid.event(id('Bob'), 'open'),
      sendgrid.event(id('Dee'), 'bounce'),
      sendgrid.event(id('Cy'), 'unsubscribe'),
    ];
    expect((await sendgrid.postEvents(eventsUrl, batch)).status).toBe(200);
    // The same batch again, the same events re-batched, and more opens and clicks by the same people.
    expect((await sendgrid.postEvents(eventsUrl, batch)).status).toBe(200);
    expect((await sendgrid.postEvents(eventsUrl, [...batch].reverse().slice(0, 6))).status).toBe(200);
    expect((await sendgrid.postEvents(eventsUrl, [sendgrid.event(id('Bob'), 'open'), sendgrid.event(id('Ada'), 'click'), sendgrid.event(id('Ada'), 'open')])).status).toBe(200);

    const metrics = await countersAgree(user, campaign.id, { recipients: 4, sent: 4, delivered: 3, opened: 2, clicked: 1, bounced: 1, unsubscribed: 1, failed: 0 });
    expect(metrics).toMatchObject({ deliveryRate: 0.75, openRate: 0.6667, clickRate: 0.3333, bounceRate: 0.25, unsubscribeRate: 0.25 });
    const recipients = await recipientsOf(user, campaign.id);
    expect(Object.fromEntries(recipients.map((r) => [r.contact!.firstName, r.status]))).toEqual({ Ada: 'CLICKED', Bob: 'OPENED', Cy: 'DELIVERED', Dee: 'BOUNCED' });
    expect(recipients.find((r) => r.contact!.firstName === 'Dee')!.reason).toMatch(/Bounced/);
    for (const bucket of ['minute', 'hour', 'day']) {
      expect(await activityTotals(user, campaign.id, bucket), bucket).toEqual({ sent: 4, delivered: 3, opened: 2, clicked: 1, bounced: 1, failed: 0, unsubscribed: 1 });
    }
    expect((await user.request('GET', `${base}/${campaign.id}/activity?bucket=week`)).status).toBe(422);
  });
});
