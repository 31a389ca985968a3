// Campaigns end to end, as a signed-in user drives them through the API: create and edit,
// preview and test send, the status machine, scheduling, sending to tags and smart lists,
// do-not-disturb, quiet hours and tenant isolation. The CRM finds the audience and the
// real messaging plugin sends through the Twilio and SendGrid fakes.
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, expectJson, queueSettled, type TestClient } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { base, newPhone, startCampaignKit, twilioAccount, type Campaign, type Problem } from './testing/kit.ts';

const kit = await startCampaignKit();
const { soshogle, db, twilio, sendgrid, tenant, contact, createCampaign, campaignOf, metricsOf, recipientsOf, reaches, smsFrom, expectOneSmsEach } = kit;

const fieldsOf = (problem: Problem) => problem.errors.map((e) => e.field);
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const send = (user: TestClient, id: string) => user.request('POST', `${base}/${id}/send`);

describe('creating and editing', () => {
  it('creates a draft with merge fields; refuses a missing subject, a long SMS, a broken template and an unknown smart list, naming the field', async () => {
    const { user } = await tenant();
    const draft = await createCampaign(user, { name: 'Spring', type: 'SMS', targetTags: ['vip'], message: 'Hi {{ contact.firstName }}, 20% off at {{ contact.company | default: "our shop" }}' });
    expect(draft).toMatchObject({ status: 'DRAFT', type: 'SMS', targetTags: ['vip'], subject: null, html: null, sentAt: null });
    expect((await expectJson<{ items: Campaign[] }>(await user.request('GET', base), 200)).items.map((c) => c.id)).toEqual([draft.id]);

    const refusals: [Record<string, unknown>, string][] = [
      [{ type: 'EMAIL', message: 'Hello' }, 'body.subject'],
      [{ type: 'SMS', message: 'x'.repeat(1601) }, 'body.message'],
      [{ type: 'SMS', message: 'Hi {{ contact.firstName | nope }}' }, 'body.message'],
      [{ type: 'EMAIL', subject: 'Hi {{ contact.firstName | nope }}', message: 'Hello' }, 'body.subject'],
      [{ type: 'SMS', message: 'Hi', smartListId: 'no-such-list' }, 'body.smartListId'],
    ];
    for (const [body, field] of refusals) {
      const problem = await expectJson<Problem>(await user.request('POST', base, { name: 'Bad', targetTags: ['vip'], ...body }), 422);
      expect(fieldsOf(problem), JSON.stringify(body)).toEqual([field]);
    }
    // 1,600 characters is still one SMS campaign.
    await createCampaign(user, { message: 'x'.repeat(1600), targetTags: ['vip'] });
    // Nothing refused was saved; the list pages newest first.
    const all = await expectJson<{ items: Campaign[]; nextCursor: string | null }>(await user.request('GET', base), 200);
    expect(all.items).toHaveLength(2);
    expect(all.items[1]!.id).toBe(draft.id);
    expect(all.nextCursor).toBeNull();
    const first = await expectJson<{ items: Campaign[]; nextCursor: string }>(await user.request('GET', `${base}?limit=1`), 200);
    const second = await expectJson<{ items: Campaign[]; nextCursor: string | null }>(await user.request('GET', `${base}?limit=1&cursor=${first.nextCursor}`), 200);
    expect([...first.items, ...second.items].map((c) => c.id)).toEqual(all.items.map((c) => c.id));
    expect(second.nextCursor).toBeNull();
    expect((await expectJson<{ items: Campaign[] }>(await user.request('GET', `${base}?status=SCHEDULED`), 200)).items).toEqual([]);
  });

  it('edits a draft and a scheduled campaign (changing only what is given), and refuses edits once it is sending or done', async () => {
    const { user, number } = await tenant();
    await contact(user, { firstName: 'Ada', tags: ['edit'] });
    const draft = await createCampaign(user, { targetTags: ['edit'], message: 'Hi {{ contact.firstName }}' });
    // Only the name: the target stays.
    const renamed = await expectJson<Campaign>(await user.request('PATCH', `${base}/${draft.id}`, { name: 'Renamed' }), 200);
    expect(renamed).toMatchObject({ name: 'Renamed', targetTags: ['edit'], message: 'Hi {{ contact.firstName }}', status: 'DRAFT' });
    expect(fieldsOf(await expectJson<Problem>(await user.request('PATCH', `${base}/${draft.id}`, { message: '{{ contact.firstName | nope }}' }), 422))).toEqual(['body.message']);
    // Switching to email needs a subject.
    expect(fieldsOf(await expectJson<Problem>(await user.request('PATCH', `${base}/${draft.id}`, { type: 'EMAIL' }), 422))).toEqual(['body.subject']);

    await expectJson(await user.request('POST', `${base}/${draft.id}/schedule`, { at: inSeconds(3600) }), 200);
    const edited = await expectJson<Campaign>(await user.request('PATCH', `${base}/${draft.id}`, { message: 'Hello {{ contact.firstName }}' }), 200);
    expect(edited).toMatchObject({ status: 'SCHEDULED', name: 'Renamed', targetTags: ['edit'], message: 'Hello {{ contact.firstName }}' });
    // A scheduled campaign must keep an audience.
    expect(fieldsOf(await expectJson<Problem>(await user.request('PATCH', `${base}/${draft.id}`, { targetTags: [] }), 422))).toEqual(['body.targetTags']);

    await expectJson(await send(user, draft.id), 202);
    const done = await reaches(user, draft.id, 'COMPLETED');
    expect(done.sentCount).toBe(1);
    await queueSettled(soshogle);
    expect(smsFrom(number).all.map((m) => m.body)).toEqual(['Hello Ada']);
    const refused = await expectJson<Problem>(await user.request('PATCH', `${base}/${draft.id}`, { name: 'Too late' }), 409);
    expect(refused.errors).toEqual([{ field: 'status', message: 'A completed campaign cannot be changed' }]);
    expect((await campaignOf(user, draft.id)).name).toBe('Renamed');
  });

  it('previews the message for a chosen contact, merge fields filled in', async () => {
    const { user } = await tenant();
    const grace = await contact(user, { firstName: 'Grace', lastName: 'Hopper', company: 'Navy', email: 'grace@example.com' });
    const campaign = await createCampaign(user, {
      type: 'EMAIL',
      targetTags: ['x'],
      subject: 'For {{ contact.firstName }}',
      message: 'Dear {{ contact.firstName }} {{ contact.lastName }} of {{ contact.company | default: "nowhere" }}',
      html: '<p>Dear <b>{{ contact.firstName }}</b></p>',
    });
    const preview = await expectJson(await user.request('POST', `${base}/${campaign.id}/preview`, { contactId: grace.id }), 200);
    expect(preview).toEqual({ subject: 'For Grace', body: 'Dear Grace Hopper of Navy', html: '<p>Dear <b>Grace</b></p>' });
    expect(fieldsOf(await expectJson<Problem>(await user.request('POST', `${base}/${campaign.id}/preview`, { contactId: 'nobody' }), 422))).toEqual(['body.contactId']);

    // The editor previews unsaved text: given fields replace the saved ones, nothing is saved.
    const typed = await expectJson(await user.request('POST', `${base}/${campaign.id}/preview`, { contactId: grace.id, message: 'Yo {{ contact.lastName }}', html: null }), 200);
    expect(typed).toEqual({ subject: 'For Grace', body: 'Yo Hopper', html: null });
    expect(await expectJson(await user.request('POST', `${base}/${campaign.id}/preview`, { contactId: grace.id, type: 'SMS' }), 200)).toMatchObject({ subject: null, html: null });
    const broken = { contactId: grace.id, subject: 'Hi {{ contact.firstName | nope }}', message: 'Hi {{ contact.firstName' };
    expect(fieldsOf(await expectJson<Problem>(await user.request('POST', `${base}/${campaign.id}/preview`, broken), 422)).sort()).toEqual(['body.message', 'body.subject']);
    expect((await campaignOf(user, campaign.id)).message).toBe('Dear {{ contact.firstName }} {{ contact.lastName }} of {{ contact.company | default: "nowhere" }}');
  });

  it('counts the audience of unsaved tags and a smart list', async () => {
    const { user } = await tenant();
    await contact(user, { firstName: 'Ada', tags: ['vip'] });
    await contact(user, { firstName: 'Bob', tags: ['lead'] });
    await contact(user, { firstName: 'Cy' });
    const count = (body: unknown) => user.request('POST', '/api/campaigns/audience', body);
    expect(await expectJson(await count({ targetTags: ['vip', 'lead'] }), 200)).toEqual({ count: 2 });
    // Tags match whatever their case, as everywhere in the CRM.
    expect(await expectJson(await count({ targetTags: ['VIP', 'Lead'] }), 200)).toEqual({ count: 2 });
    expect(await expectJson(await count({ targetTags: [] }), 200)).toEqual({ count: 0 });
    const list = await expectJson<{ id: string }>(await user.request('POST', '/api/crm/smart-lists', { name: 'Named B', filter: { q: 'Bob' } }), 201);
    expect(await expectJson(await count({ smartListId: list.id }), 200)).toEqual({ count: 1 });
    expect(await expectJson(await count({ smartListId: list.id, targetTags: ['vip'] }), 200)).toEqual({ count: 0 });
    expect(fieldsOf(await expectJson<Problem>(await count({ smartListId: 'no-such-list' }), 422))).toEqual(['body.smartListId']);
  });

  it('sends a test SMS to the given number and a test email to the user, filled in for a contact, to nobody else', async () => {
    const { user, number, fromEmail } = await tenant();
    const ada = await contact(user, { firstName: 'Ada', tags: ['t'], email: 'ada@example.com' });
    const sms = await createCampaign(user, { targetTags: ['t'], message: 'Hi {{ contact.firstName }}' });
    const to = newPhone();
    const test = await expectJson<{ to: string; messageId: string; body: string }>(await user.request('POST', `${base}/${sms.id}/test`, { to, contactId: ada.id }), 202);
    expect(test).toMatchObject({ to, body: 'Hi Ada' });
    await eventually(async () => smsFrom(number).all.length === 1);
    expect(smsFrom(number).all.map((m) => [m.to, m.body])).toEqual([[to, 'Hi Ada']]);
    // No phone on the account: the test SMS needs an address.
    expect(fieldsOf(await expectJson<Problem>(await user.request('POST', `${base}/${sms.id}/test`, {}), 422))).toEqual(['body.to']);

    const email = await createCampaign(user, { type: 'EMAIL', targetTags: ['t'], subject: 'News for {{ contact.firstName }}', message: 'Hello {{ contact.firstName }}' });
    await expectJson(await user.request('POST', `${base}/${email.id}/test`, { contactId: ada.id }), 202);
    const mail = await eventually(async () => sendgrid.mails.find((m) => m.from.email === fromEmail));
    expect(mail.personalizations[0]!.to).toEqual([{ email: (await db.user.findUniqueOrThrow({ where: { id: user.userId } })).email }]);
    expect(mail.subject).toBe('[Test] News for Ada');
    await queueSettled(soshogle);
    expect(sendgrid.mails.filter((m) => m.from.email === fromEmail)).toHaveLength(1);
    // The contact got nothing, and the campaigns are still drafts with no recipients.
    expect(smsFrom(number).byTo.has(ada.phone!)).toBe(false);
    expect(await db.message.count({ where: { contactId: ada.id } })).toBe(0);
    expect((await campaignOf(user, sms.id)).status).toBe('DRAFT');
    expect(await recipientsOf(user, sms.id)).toEqual([]);
  });
});

describe('the status machine', () => {
  it('answers 409 naming status for moves the status does not allow, and 422 for a past time or no audience', async () => {
    const { user } = await tenant();
    await contact(user, { firstName: 'Ada', tags: ['sm'] });
    const campaign = await createCampaign(user, { targetTags: ['sm'] });
    const conflict = async (res: Response) => expect(fieldsOf(await expectJson<Problem>(res, 409))).toEqual(['status']);

    await conflict(await user.request('POST', `${base}/${campaign.id}/cancel`));
    await conflict(await user.request('POST', `${base}/${campaign.id}/unschedule`));
    expect(fieldsOf(await expectJson<Problem>(await user.request('POST', `${base}/${campaign.id}/schedule`, { at: inSeconds(-60) }), 422))).toEqual(['body.at']);

    const nobody = await createCampaign(user, {});
    expect(fieldsOf(await expectJson<Problem>(await send(user, nobody.id), 422))).toEqual(['body.targetTags']);
    expect(fieldsOf(await expectJson<Problem>(await user.request('POST', `${base}/${nobody.id}/schedule`, { at: inSeconds(60) }), 422))).toEqual(['body.targetTags']);
    expect((await campaignOf(user, nobody.id)).status).toBe('DRAFT');

    await expectJson(await send(user, campaign.id), 202);
    await reaches(user, campaign.id, 'COMPLETED');
    await conflict(await send(user, campaign.id));
    await conflict(await user.request('POST', `${base}/${campaign.id}/schedule`, { at: inSeconds(60) }));
    await conflict(await user.request('POST', `${base}/${campaign.id}/cancel`));
    expect((await campaignOf(user, campaign.id)).status).toBe('COMPLETED');
    // Deleting: a done campaign may go; a draft too.
    await expectJson(await user.request('DELETE', `${base}/${nobody.id}`), 204);
    expect((await user.request('GET', `${base}/${nobody.id}`)).status).toBe(404);
  });
});

describe('scheduling', () => {
  it('starts a scheduled campaign by itself: ACTIVE, then COMPLETED, one SMS to every targeted contact', async () => {
    const { user, number } = await tenant();
    const targeted = [await contact(user, { firstName: 'Ada', tags: ['sched'] }), await contact(user, { firstName: 'Bob', tags: ['sched', 'x'] }), await contact(user, { firstName: 'Cy', tags: ['sched'] })];
    await contact(user, { firstName: 'Dan', tags: ['other'] });
    const campaign = await createCampaign(user, { targetTags: ['sched'], message: 'Doors open, {{ contact.firstName }}' });
    const at = inSeconds(2);
    const scheduled = await expectJson<Campaign>(await user.request('POST', `${base}/${campaign.id}/schedule`, { at }), 200);
    expect(scheduled).toMatchObject({ status: 'SCHEDULED', scheduledAt: at });
    expect(smsFrom(number).all).toHaveLength(0);
    const active = await eventually(async () => {
      const c = await campaignOf(user, campaign.id);
      return c.status !== 'SCHEDULED' ? c : null;
    });
    expect(['ACTIVE', 'COMPLETED']).toContain(active.status);
    expect(new Date(active.sentAt!).getTime()).toBeGreaterThanOrEqual(new Date(at).getTime());
    const done = await reaches(user, campaign.id, 'COMPLETED');
    expect(done).toMatchObject({ recipientCount: 3, sentCount: 3, skippedCount: 0 });
    expect(done.completedAt).toBeTruthy();
    await queueSettled(soshogle);
    expectOneSmsEach(number, targeted, (c) => `Doors open, ${targeted.find((t) => t.phone === c.phone)!.firstName}`);
  });

  it('a rescheduled campaign starts at the new time only; an unscheduled one goes back to draft and sends nothing', async () => {
    const { user, number } = await tenant();
    const ada = await contact(user, { firstName: 'Ada', tags: ['later'] });
    const moved = await createCampaign(user, { targetTags: ['later'] });
    const dropped = await createCampaign(user, { targetTags: ['later'], message: 'never' });
    await expectJson(await user.request('POST', `${base}/${moved.id}/schedule`, { at: inSeconds(1) }), 200);
    const later = inSeconds(6);
    expect(await expectJson<Campaign>(await user.request('POST', `${base}/${moved.id}/schedule`, { at: later }), 200)).toMatchObject({ status: 'SCHEDULED', scheduledAt: later });
    await expectJson(await user.request('POST', `${base}/${dropped.id}/schedule`, { at: inSeconds(1) }), 200);
    const back = await expectJson<Campaign>(await user.request('POST', `${base}/${dropped.id}/unschedule`), 200);
    expect(back).toMatchObject({ status: 'DRAFT', scheduledAt: null });

    // Past the first time (and a poll of the queue): the old job did nothing.
    await sleep(2500);
    await queueSettled(soshogle);
    expect((await campaignOf(user, moved.id)).status).toBe('SCHEDULED');
    expect(smsFrom(number).all).toHaveLength(0);

    const done = await reaches(user, moved.id, 'COMPLETED');
    expect(new Date(done.sentAt!).getTime()).toBeGreaterThanOrEqual(new Date(later).getTime());
    expectOneSmsEach(number, [ada]);
    expect(smsFrom(number).all[0]!.body).toBe('Hi Ada!');
    expect(await campaignOf(user, dropped.id)).toMatchObject({ status: 'DRAFT', recipientCount: 0 });
    expect(await recipientsOf(user, dropped.id)).toEqual([]);
  });
});

describe('sending now', () => {
  it('sends one message to each contact with any of the tags (in any case, whole names), in their conversations and timelines, and nothing to others', async () => {
    const { user, number } = await tenant();
    const ada = await contact(user, { firstName: 'Ada', tags: ['vip'] });
    const bob = await contact(user, { firstName: 'Bob', tags: ['lead', 'other'] });
    const cy = await contact(user, { firstName: 'Cy', tags: ['vip', 'lead'] });
    // The tenant's "vip", whatever the case it is given in.
    const dee = await contact(user, { firstName: 'Dee', tags: ['VIP'] });
    await contact(user, { firstName: 'Eve', tags: ['vips'] });
    await contact(user, { firstName: 'Fay' });
    const campaign = await createCampaign(user, { targetTags: ['vip', 'lead'], message: 'Sale today, {{ contact.firstName }}!' });
    expect(await expectJson(await user.request('GET', `${base}/${campaign.id}/audience`), 200)).toEqual({ count: 4 });

    const started = await expectJson<Campaign>(await send(user, campaign.id), 202);
    expect(started.status).toBe('ACTIVE');
    const done = await reaches(user, campaign.id, 'COMPLETED');
    expect(done).toMatchObject({ recipientCount: 4, sentCount: 4 });
    await queueSettled(soshogle);
    const targeted = [ada, bob, cy, dee];
    expectOneSmsEach(number, targeted, (c) => `Sale today, ${targeted.find((t) => t.phone === c.phone)!.firstName}!`);

    const recipients = await recipientsOf(user, campaign.id);
    expect(recipients.map((r) => [r.contact!.firstName, r.status]).sort()).toEqual([
      ['Ada', 'SENT'],
      ['Bob', 'SENT'],
      ['Cy', 'SENT'],
      ['Dee', 'SENT'],
    ]);
    // In each contact's SMS conversation, and on their timeline.
    const inbox = await expectJson<{ items: { id: string; contact: { id: string }; lastMessage: { content: string } }[] }>(await user.request('GET', '/api/messaging/conversations'), 200);
    expect(inbox.items.map((c) => [c.contact.id, c.lastMessage.content]).sort()).toEqual(targeted.map((c) => [c.id, `Sale today, ${c.firstName}!`]).sort());
    for (const c of targeted) {
      const conversation = inbox.items.find((i) => i.contact.id === c.id)!;
      const messages = await expectJson<{ items: { id: string; status: string; content: string }[] }>(await user.request('GET', `/api/messaging/conversations/${conversation.id}/messages`), 200);
      expect(messages.items.map((m) => [m.id, m.status, m.content])).toEqual([[recipients.find((r) => r.contactId === c.id)!.messageId, 'SENT', `Sale today, ${c.firstName}!`]]);
      const timeline = await expectJson<{ items: { kind: string; title: string; body: string }[] }>(await user.request('GET', `/api/contacts/${c.id}/timeline`), 200);
      expect(timeline.items.filter((e) => e.kind === 'message')).toMatchObject([{ title: 'Sent sms', body: `Sale today, ${c.firstName}!` }]);
    }
  });

  it('targets a smart list, and a smart list narrowed by tags', async () => {
    const { user, number } = await tenant();
    const list = await expectJson<{ id: string }>(await user.request('POST', '/api/crm/smart-lists', { name: 'Pro plan', filter: { customFields: { plan: 'pro' } } }), 201);
    await expectJson(await user.request('POST', '/api/crm/custom-fields', { key: 'plan', label: 'Plan', type: 'TEXT' }), 201);
    const ada = await contact(user, { firstName: 'Ada', customFields: { plan: 'pro' }, tags: ['vip'] });
    const bob = await contact(user, { firstName: 'Bob', customFields: { plan: 'pro' } });
    await contact(user, { firstName: 'Cy', customFields: { plan: 'free' }, tags: ['vip'] });

    const all = await createCampaign(user, { smartListId: list.id, message: 'Pro news' });
    await expectJson(await send(user, all.id), 202);
    await reaches(user, all.id, 'COMPLETED');
    const narrowed = await createCampaign(user, { smartListId: list.id, targetTags: ['vip'], message: 'Pro VIP news' });
    expect(await expectJson(await user.request('GET', `${base}/${narrowed.id}/audience`), 200)).toEqual({ count: 1 });
    await expectJson(await send(user, narrowed.id), 202);
    await reaches(user, narrowed.id, 'COMPLETED');
    await queueSettled(soshogle);
    const { all: sent, byTo } = smsFrom(number);
    expect(sent.map((m) => [m.to, m.body]).sort()).toEqual(
      [
        [ada.phone, 'Pro news'],
        [bob.phone, 'Pro news'],
        [ada.phone, 'Pro VIP news'],
      ].sort(),
    );
    expect(byTo.size).toBe(2);
  });
});

describe('a smart list deleted after the campaign was saved', () => {
  it('refuses to send or schedule it (422 naming the smart list), and cancels a scheduled start instead of retrying it for days', async () => {
    const { user, number } = await tenant();
    const list = await expectJson<{ id: string }>(await user.request('POST', '/api/crm/smart-lists', { name: 'Soon gone', filter: { tagsAny: ['gone'] } }), 201);
    await contact(user, { firstName: 'Ada', tags: ['gone'] });
    const now = await createCampaign(user, { smartListId: list.id });
    const later = await createCampaign(user, { smartListId: list.id });
    await expectJson(await user.request('POST', `${base}/${later.id}/schedule`, { at: inSeconds(1) }), 200);
    await expectJson(await user.request('DELETE', `/api/crm/smart-lists/${list.id}`), 204);

    expect(fieldsOf(await expectJson<Problem>(await send(user, now.id), 422))).toEqual(['body.smartListId']);
    expect(fieldsOf(await expectJson<Problem>(await user.request('POST', `${base}/${now.id}/schedule`, { at: inSeconds(60) }), 422))).toEqual(['body.smartListId']);
    expect((await campaignOf(user, now.id)).status).toBe('DRAFT');
    const cancelled = await reaches(user, later.id, 'CANCELLED');
    expect(cancelled.cancelledAt).toBeTruthy();
    await queueSettled(soshogle);
    expect(await db.$queryRaw`select id from graphile_worker._private_jobs where last_error is not null and payload::text like ${`%${later.id}%`}`).toEqual([]);
    expect(smsFrom(number).all).toHaveLength(0);
  });
});

describe('do-not-disturb', () => {
  it('skips contacts who opted out (consent API, a STOP reply) or have no phone, with the reason, counts them, and never sends to them', async () => {
    const { user, number, inboundUrl } = await tenant();
    const ok = await contact(user, { firstName: 'Ok', tags: ['dnd'] });
    const byApi = await contact(user, { firstName: 'Api', tags: ['dnd'] });
    const byStop = await contact(user, { firstName: 'Stop', tags: ['dnd'] });
    const noPhone = await contact(user, { firstName: 'None', tags: ['dnd'], phone: null, email: 'none@example.com' });
    await expectJson(await user.request('PUT', `/api/messaging/contacts/${byApi.id}/consent/SMS`, { doNotDisturb: true, reason: 'Asked on the phone' }), 200);
    expect((await twilio.sendInbound(inboundUrl, { from: byStop.phone!, to: number, body: 'STOP', accountSid: twilioAccount.accountSid })).status).toBe(200);
    await eventually(async () => (await db.consentChange.count({ where: { contactId: byStop.id } })) === 1);

    const campaign = await createCampaign(user, { targetTags: ['dnd'] });
    await expectJson(await send(user, campaign.id), 202);
    const done = await reaches(user, campaign.id, 'COMPLETED');
    expect(done).toMatchObject({ recipientCount: 4, skippedCount: 3, sentCount: 1 });
    expect(done.metrics).toMatchObject({ recipients: 4, skipped: 3, sent: 1, queued: 0 });
    expect(await metricsOf(user, campaign.id)).toMatchObject({ recipients: 4, skipped: 3, sent: 1 });
    const recipients = await recipientsOf(user, campaign.id);
    const byName = Object.fromEntries(recipients.map((r) => [r.contact!.firstName, r]));
    expect(byName.Api).toMatchObject({ status: 'SKIPPED', messageId: null, reason: expect.stringContaining('asked not to be messaged by sms') });
    expect(byName.Stop).toMatchObject({ status: 'SKIPPED', messageId: null, reason: expect.stringContaining('asked not to be messaged by sms') });
    expect(byName.None).toMatchObject({ status: 'SKIPPED', messageId: null, reason: expect.stringMatching(/phone number/) });
    expect(byName.Ok!.status).toBe('SENT');
    const skipped = await expectJson<{ items: { contactId: string }[] }>(await user.request('GET', `${base}/${campaign.id}/recipients?status=SKIPPED`), 200);
    expect(skipped.items.map((r) => r.contactId).sort()).toEqual([byApi.id, byStop.id, noPhone.id].sort());
    await queueSettled(soshogle);
    expectOneSmsEach(number, [ok]);
  });
});

describe('quiet hours', () => {
  it('defers every recipient to the end of the quiet hours: queued with sendAfter, nothing at Twilio, the campaign ACTIVE until then; cancel stops them', async () => {
    const { user, number } = await tenant();
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const now = Date.now();
    await expectJson(
      await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: true, timezone: 'UTC', quietHoursStart: hhmm(new Date(now - 3600_000)), quietHoursEnd: hhmm(new Date(now + 2 * 3600_000)) }),
      200,
    );
    await contact(user, { firstName: 'Ada', tags: ['night'] });
    await contact(user, { firstName: 'Bob', tags: ['night'] });
    const campaign = await createCampaign(user, { targetTags: ['night'] });
    await expectJson(await send(user, campaign.id), 202);

    const recipients = await eventually(async () => {
      const items = await recipientsOf(user, campaign.id);
      return items.length === 2 && items.every((r) => r.messageId) ? items : null;
    });
    for (const r of recipients) {
      expect(r.status).toBe('QUEUED');
      expect(new Date(r.sendAfter!).getTime()).toBeGreaterThan(now + 3600_000);
    }
    await queueSettled(soshogle);
    await sleep(2500); // a metrics refresh came and went
    await queueSettled(soshogle);
    expect(smsFrom(number).all).toHaveLength(0);
    const waiting = await campaignOf(user, campaign.id);
    expect(waiting).toMatchObject({ status: 'ACTIVE', completedAt: null });
    expect(waiting.metrics).toMatchObject({ recipients: 2, queued: 2, sent: 0 });
    // While it sends: no edits, no rescheduling, no second start.
    const conflict = async (res: Response) => expect(fieldsOf(await expectJson<Problem>(res, 409))).toEqual(['status']);
    expect((await expectJson<Problem>(await user.request('PATCH', `${base}/${campaign.id}`, { name: 'x' }), 409)).errors).toEqual([{ field: 'status', message: 'An active campaign cannot be changed' }]);
    await conflict(await user.request('POST', `${base}/${campaign.id}/schedule`, { at: inSeconds(60) }));
    await conflict(await send(user, campaign.id));
    await conflict(await user.request('DELETE', `${base}/${campaign.id}`));

    const cancelled = await expectJson<Campaign>(await user.request('POST', `${base}/${campaign.id}/cancel`), 200);
    expect(cancelled.status).toBe('CANCELLED');
    expect((await recipientsOf(user, campaign.id)).map((r) => r.status)).toEqual(['CANCELLED', 'CANCELLED']);
    expect(await db.message.findMany({ where: { id: { in: recipients.map((r) => r.messageId!) } }, select: { status: true } })).toEqual([{ status: 'CANCELLED' }, { status: 'CANCELLED' }]);
    const counted = await eventually(async () => {
      const c = await campaignOf(user, campaign.id);
      return c.recipientCount === 2 ? c : null;
    });
    expect(counted).toMatchObject({ status: 'CANCELLED', sentCount: 0 });
    expect(counted.metrics).toMatchObject({ cancelled: 2, queued: 0 });
  });
});

describe('tenant isolation', () => {
  it("answers 404 for every route with another tenant's campaign id, leaves it untouched, and lists only the tenant's own", async () => {
    const owner = await tenant();
    const ada = await contact(owner.user, { firstName: 'Ada', tags: ['mine'] });
    const campaign = await createCampaign(owner.user, { targetTags: ['mine'] });
    const other = await tenant();
    const theirs = await createCampaign(other.user, { targetTags: ['mine'], name: 'Theirs' });
    const path = `${base}/${campaign.id}`;
    const routes: [string, string, unknown?][] = [
      ['GET', path],
      ['PATCH', path, { name: 'Hijacked' }],
      ['DELETE', path],
      ['GET', `${path}/audience`],
      ['POST', `${path}/preview`, { contactId: ada.id }],
      ['POST', `${path}/test`, { to: newPhone() }],
      ['POST', `${path}/schedule`, { at: inSeconds(3600) }],
      ['POST', `${path}/unschedule`],
      ['POST', `${path}/send`],
      ['POST', `${path}/cancel`],
      ['GET', `${path}/metrics`],
      ['GET', `${path}/activity`],
      ['GET', `${path}/recipients`],
    ];
    for (const [method, url, body] of routes) expect((await other.user.request(method, url, body)).status, `${method} ${url}`).toBe(404);
    const list = await expectJson<{ items: Campaign[] }>(await other.user.request('GET', base), 200);
    expect(list.items.map((c) => c.id)).toEqual([theirs.id]);
    expect((await other.user.request('GET', `${base}?cursor=${campaign.id}`)).status).toBe(422);
    expect(await campaignOf(owner.user, campaign.id)).toMatchObject({ name: 'Spring sale', status: 'DRAFT', recipientCount: 0 });
    // And the other way round: the owner cannot preview with the other tenant's contact.
    const theirContact = await contact(other.user, { firstName: 'Theirs' });
    expect(fieldsOf(await expectJson<Problem>(await owner.user.request('POST', `${path}/preview`, { contactId: theirContact.id }), 422))).toEqual(['body.contactId']);
    await queueSettled(soshogle);
    expect(smsFrom(owner.number).all).toHaveLength(0);
    expect(smsFrom(other.number).all).toHaveLength(0);
  });
});
