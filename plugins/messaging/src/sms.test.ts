// SMS end to end: the twilio SDK against a local fake of Twilio's API, webhooks signed
// Twilio's way, a real server, worker and database.
import { applied, eventRecorder, eventually, expectJson, publishWorkflow, queueSettled, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { TenancyError } from '@soshogle/core';
import { afterAll, describe, expect, it } from 'vitest';
import { messagingPlugins } from './testing/plugins.ts';
import { twilioSignature } from './testing/signing.ts';
import { startTwilioFake } from './testing/twilio-fake.ts';

const accountA = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'token-of-account-a-0123456789' };
const accountB = { accountSid: `AC${'b'.repeat(32)}`, authToken: 'token-of-account-b-0123456789' };
const fake = await startTwilioFake({ accounts: [accountA, accountB] });
afterAll(() => fake.close());

const { plugin: recorder, heard } = eventRecorder(['core.message_received', 'core.contact_created']);
// With the CRM: the workflows here also tag contacts with crm.add_tag.
const soshogle = await startTestSoshogle(messagingPlugins(recorder), { MESSAGING_TWILIO_API_URL: fake.url });
const { db } = soshogle;

type Message = { id: string; status: string; to: string; from: string; content: string; twilioSid: string | null; sandbox: boolean; error: string | null; needsReview: boolean; sendAfter: string | null; conversationId: string };
type Problem = { errors: { field: string; message: string }[] };

/** A signed-in tenant with a Twilio connection and a contact. */
async function tenant(account = accountA, number = '+15125550100') {
  const user = await signedInUser(soshogle);
  await expectJson(await user.request('PUT', '/api/connections/messaging/twilio', { credentials: { ...account, smsFrom: number } }), 200);
  // No quiet hours unless a test sets them: tests run at any hour.
  await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false }), 200);
  const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Ada', phone: `+1512555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}` } });
  return { user, contact, number, inboundUrl: `${soshogle.url}/webhooks/messaging/${user.userId}/twilio/inbound` };
}

const send = (user: TestClient, contactId: string, body: string) => user.request('POST', '/api/messaging/messages', { contactId, channel: 'SMS', body });
const messageOf = (id: string) => db.message.findUniqueOrThrow({ where: { id } });
const settled = (id: string) => eventually(async () => ((await messageOf(id)).status !== 'QUEUED' || (await messageOf(id)).needsReview ? messageOf(id) : null));

describe('sending', () => {
  it('records the message QUEUED, sends it through Twilio once, and follows its status callbacks in order', async () => {
    const { user, contact, number } = await tenant();
    const queued = await expectJson<Message>(await send(user, contact.id, 'Your table is ready'), 202);
    expect(queued).toMatchObject({ status: 'QUEUED', to: contact.phone, sandbox: false });
    const sent = await settled(queued.id);
    expect(sent).toMatchObject({ status: 'SENT', from: number, error: null });
    const atTwilio = fake.messages.get(sent.twilioSid!)!;
    expect(atTwilio).toMatchObject({ to: contact.phone, from: number, body: 'Your table is ready', statusCallback: `${soshogle.url}/webhooks/messaging/${user.userId}/twilio/status?m=${queued.id}` });
    await queueSettled(soshogle);
    expect([...fake.messages.values()].filter((m) => m.body === 'Your table is ready')).toHaveLength(1);

    expect((await fake.sendStatus(sent.twilioSid!, 'delivered')).status).toBe(200);
    expect((await messageOf(queued.id)).status).toBe('DELIVERED');
    // Late and repeated callbacks change nothing.
    expect((await fake.sendStatus(sent.twilioSid!, 'sent')).status).toBe(200);
    const again = await fake.sendStatus(sent.twilioSid!, 'delivered');
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect((await messageOf(queued.id)).status).toBe('DELIVERED');
    const detail = await expectJson<{ events: { type: string }[] }>(await user.request('GET', `/api/messaging/messages/${queued.id}`), 200);
    expect(detail.events.map((e) => e.type)).toEqual(['delivered', 'sent']);
  });

  it('applies a status callback that arrives before the sid Twilio answered with is stored', async () => {
    const { user, contact } = await tenant();
    const queued = await expectJson<Message>(await send(user, contact.id, 'fast callback'), 202);
    const sent = await settled(queued.id);
    // As if the callback won the race with the write of the sid.
    await db.message.update({ where: { id: queued.id }, data: { twilioSid: null } });
    expect((await fake.sendStatus(sent.twilioSid!, 'delivered')).status).toBe(200);
    expect(await messageOf(queued.id)).toMatchObject({ status: 'DELIVERED', twilioSid: sent.twilioSid });
  });

  it('applies a batch of status callbacks that arrived out of order as one by one: delivered stays delivered, a late failure is only recorded', async () => {
    const { user, contact } = await tenant();
    const ids = [];
    for (const body of ['batch one', 'batch two', 'batch three']) ids.push((await settled((await expectJson<Message>(await send(user, contact.id, body), 202)).id)).id);
    await queueSettled(soshogle);
    const [one, two, three] = await Promise.all(ids.map(messageOf));
    // The third takes its sid from the callback (as when the callback wins the race with the write of the sid).
    await db.message.update({ where: { id: three!.id }, data: { twilioSid: null } });
    const callback = (message: typeof one, status: string, extra: Record<string, string> = {}) => ({
      rawBody: Buffer.from(new URLSearchParams({ MessageSid: message!.twilioSid!, MessageStatus: status, AccountSid: accountA.accountSid, ...extra }).toString()),
      headers: {},
      url: `${soshogle.url}/webhooks/messaging/${user.userId}/twilio/status?m=${message!.id}`,
    });
    const batch = [
      callback(one, 'delivered'),
      callback(one, 'sent'),
      callback(one, 'undelivered', { ErrorCode: '30003' }),
      callback(two, 'undelivered', { ErrorCode: '30005', ErrorMessage: 'Unknown destination handset' }),
      callback(two, 'delivered'),
      callback(three, 'read'),
      callback(three, 'delivered'),
    ];
    const ctx = soshogle.tenantContext('messaging', user.userId);
    const { twilioStatus } = await import('./webhooks/twilio.ts');
    await ctx.db.$transaction((tx) => twilioStatus.handleMany!(batch, { ...ctx, tx }));
    expect(await messageOf(one!.id)).toMatchObject({ status: 'DELIVERED', error: null });
    expect(await messageOf(two!.id)).toMatchObject({ status: 'FAILED', error: 'Twilio error 30005: Unknown destination handset' });
    expect(await messageOf(three!.id)).toMatchObject({ status: 'READ', twilioSid: three!.twilioSid });
    const events = await db.messageEvent.findMany({ where: { messageId: { in: ids } }, orderBy: { id: 'asc' } });
    expect(events.filter((e) => e.messageId === one!.id).map((e) => e.type).sort()).toEqual(['delivered', 'sent', 'undelivered']);
    expect(events.find((e) => e.messageId === two!.id && e.type === 'undelivered')?.data).toEqual({ errorCode: '30005' });
    expect(events.filter((e) => e.messageId === three!.id).map((e) => e.type).sort()).toEqual(['delivered', 'read']);
  });

  it('fails a send Twilio refuses for good (invalid number) with its reason, and never retries it', async () => {
    const { user } = await tenant();
    const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Bad', phone: '+15005550001' } });
    const queued = await expectJson<Message>(await send(user, contact.id, 'hello'), 202);
    const failed = await settled(queued.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toContain('21211');
  });

  it('records an opt-out Twilio reports (21610, unsubscribed recipient), so the next send is refused here', async () => {
    const { user } = await tenant();
    const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Gone', phone: '+15005550004' } });
    const queued = await expectJson<Message>(await send(user, contact.id, 'hello?'), 202);
    const failed = await settled(queued.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toContain('21610');
    const consent = await expectJson<{ history: { source: string; messageId: string }[] }>(await user.request('GET', `/api/messaging/contacts/${contact.id}/consent`), 200);
    expect(consent.history).toMatchObject([{ source: 'unsubscribe', messageId: queued.id }]);
    expect((await send(user, contact.id, 'again')).status).toBe(409);
  });

  it('waits out a 429 (Retry-After) and sends once', async () => {
    const { user, contact } = await tenant();
    fake.failNext(1, { status: 429, retryAfter: 1 });
    const queued = await expectJson<Message>(await send(user, contact.id, 'after the rush'), 202);
    const sent = await settled(queued.id);
    expect(sent.status).toBe('SENT');
    expect([...fake.messages.values()].filter((m) => m.body === 'after the rush')).toHaveLength(1);
    expect(fake.requests.some((r) => r.status === 429)).toBe(true);
  });

  it('flags a message whose provider call never recorded an answer, instead of sending it again', async () => {
    const { user, contact } = await tenant();
    // As a worker that died after calling Twilio leaves it: claimed, no sid.
    const message = await db.$transaction(async (tx) => {
      const m = await tx.message.create({ data: { userId: user.userId, contactId: contact.id, channel: 'SMS', direction: 'OUTBOUND', status: 'QUEUED', content: 'maybe sent', from: '', to: contact.phone!, providerCalled: new Date() } });
      await soshogle.tenantContext('messaging', user.userId).jobs.enqueue(tx, 'messaging.deliver', { messageIds: [m.id] }, { tenantId: user.userId });
      return m;
    });
    const flagged = await settled(message.id);
    expect(flagged).toMatchObject({ status: 'QUEUED', needsReview: true });
    expect([...fake.messages.values()].some((m) => m.body === 'maybe sent')).toBe(false);
  });

  it('runs in a visible sandbox mode without a Twilio connection', async () => {
    const user = await signedInUser(soshogle);
    const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Sam', phone: '+15125550177' } });
    await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false }), 200);
    const { items: channels } = await expectJson<{ items: { channel: string; mode: string }[] }>(await user.request('GET', '/api/messaging/channels'), 200);
    expect(channels.find((c) => c.channel === 'SMS')).toMatchObject({ mode: 'sandbox' });
    const queued = await expectJson<Message>(await send(user, contact.id, 'sandboxed'), 202);
    expect(queued.sandbox).toBe(true);
    expect(await settled(queued.id)).toMatchObject({ status: 'SENT', from: 'sandbox' });
    expect([...fake.messages.values()].some((m) => m.body === 'sandboxed')).toBe(false);
    // A simulated reply lands in the same conversation and raises message_received.
    const reply = await expectJson<Message>(await user.request('POST', '/api/messaging/sandbox/inbound', { channel: 'SMS', from: '+15125550177', body: 'got it' }), 201);
    expect(reply.conversationId).toBe(queued.conversationId);
    await eventually(async () => heard.find((e) => e.type === 'core.message_received' && e.payload.messageId === reply.id));
    const refused = await expectJson<Problem>(await user.request('POST', '/api/messaging/sandbox/inbound', { channel: 'SMS', from: '512', body: 'x' }), 422);
    expect(refused.errors[0]!.field).toBe('body.from');
  });
});

describe('inbound messages and the inbox', () => {
  it('lands a reply in the contact’s conversation, raises message_received, and counts it unread until read', async () => {
    const { user, contact, number, inboundUrl } = await tenant();
    const queued = await expectJson<Message>(await send(user, contact.id, 'Are you coming?'), 202);
    await settled(queued.id);
    const res = await fake.sendInbound(inboundUrl, { from: contact.phone!, to: number, body: 'Yes, 7pm', accountSid: accountA.accountSid });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/xml');
    const event = await eventually(async () => heard.find((e) => e.type === 'core.message_received' && e.payload.body === 'Yes, 7pm'));
    expect(event.payload).toMatchObject({ contactId: contact.id, channel: 'SMS' });
    const inbox = await expectJson<{ items: { id: string; unreadCount: number; lastMessage: { content: string }; contact: { id: string } }[] }>(await user.request('GET', '/api/messaging/conversations'), 200);
    expect(inbox.items).toHaveLength(1);
    expect(inbox.items[0]).toMatchObject({ id: queued.conversationId, unreadCount: 1, lastMessage: { content: 'Yes, 7pm' }, contact: { id: contact.id } });
    // One contact's conversations (the contact page's list).
    const mine = await expectJson<{ items: { id: string }[] }>(await user.request('GET', `/api/messaging/conversations?contactId=${contact.id}`), 200);
    expect(mine.items.map((c) => c.id)).toEqual([queued.conversationId]);
    expect((await expectJson<{ items: unknown[] }>(await user.request('GET', '/api/messaging/conversations?contactId=someone-else'), 200)).items).toEqual([]);
    await expectJson(await user.request('POST', `/api/messaging/conversations/${queued.conversationId}/read`), 200);
    const read = await expectJson<{ items: { unreadCount: number }[] }>(await user.request('GET', '/api/messaging/conversations'), 200);
    expect(read.items[0]!.unreadCount).toBe(0);
    // Replying from the conversation sends on its channel.
    const reply = await expectJson<Message>(await user.request('POST', `/api/messaging/conversations/${queued.conversationId}/messages`, { body: 'See you then' }), 202);
    expect(await settled(reply.id)).toMatchObject({ status: 'SENT', to: contact.phone });
  });

  it('creates a contact for an unknown number (source inbound), named by the WhatsApp profile', async () => {
    const { user, number, inboundUrl } = await tenant();
    await fake.sendInbound(inboundUrl, { from: 'whatsapp:+447911123123', to: `whatsapp:${number}`, body: 'Hi there', accountSid: accountA.accountSid, profileName: 'Grace' });
    const created = await db.contact.findFirstOrThrow({ where: { userId: user.userId, phone: '+447911123123' } });
    expect(created).toMatchObject({ firstName: 'Grace', source: 'inbound' });
    expect(await db.conversation.findFirst({ where: { contactId: created.id, channel: 'WHATSAPP' } })).toBeTruthy();
    await eventually(async () => heard.find((e) => e.type === 'core.contact_created' && e.payload.contactId === created.id));
  });

  it('adds an unknown number through the CRM: its phone as the CRM writes it (E.164), one contact and one core.contact_created for two messages', async () => {
    const { user, number, inboundUrl } = await tenant();
    // The UK trunk 0 after the country code: the CRM's phone rule drops it.
    for (const body of ['first', 'second']) await fake.sendInbound(inboundUrl, { from: '+4407911123124', to: number, body, accountSid: accountA.accountSid });
    const [created, ...others] = await db.contact.findMany({ where: { userId: user.userId, source: 'inbound' } });
    expect(others).toEqual([]);
    expect(created).toMatchObject({ firstName: 'SMS contact', phone: '+447911123124', email: null });
    expect(await db.message.findMany({ where: { userId: user.userId, from: '+4407911123124' }, select: { contactId: true } })).toEqual([{ contactId: created!.id }, { contactId: created!.id }]);
    await queueSettled(soshogle);
    expect(heard.filter((e) => e.type === 'core.contact_created' && e.payload.contactId === created!.id)).toEqual([expect.objectContaining({ payload: expect.objectContaining({ source: 'inbound' }) })]);
  });

  it('keeps a short code the CRM cannot keep as a phone: a contact without one, found again by its conversation', async () => {
    const { user, number, inboundUrl } = await tenant();
    for (const body of ['Your code is 1234', 'Your code is 5678']) await fake.sendInbound(inboundUrl, { from: '22395', to: number, body, accountSid: accountA.accountSid });
    const contacts = await db.contact.findMany({ where: { userId: user.userId, source: 'inbound' } });
    expect(contacts).toMatchObject([{ firstName: 'SMS contact', phone: null }]);
    const [conversation, ...others] = await db.conversation.findMany({ where: { userId: user.userId, address: '22395' } });
    expect(others).toEqual([]);
    expect(conversation!.contactId).toBe(contacts[0]!.id);
    expect(await db.message.count({ where: { conversationId: conversation!.id } })).toBe(2);
  });

  it("gives messaging a client that cannot write the CRM's contacts", async () => {
    const { user } = await tenant();
    const { db: asMessaging } = soshogle.tenantContext('messaging', user.userId);
    await expect(asMessaging.contact.create({ data: { userId: user.userId, firstName: 'Nope' } })).rejects.toThrow(
      new TenancyError('messaging may not write Contact, owned by crm: call a crm action'),
    );
  });
});

describe('consent', () => {
  it('STOP sets do-not-disturb and blocks the next send (API 409, workflow step skipped); START clears it; the ledger keeps both', async () => {
    const { user, contact, number, inboundUrl } = await tenant();
    await fake.sendInbound(inboundUrl, { from: contact.phone!, to: number, body: 'stop', accountSid: accountA.accountSid });
    const refused = await expectJson<Problem>(await send(user, contact.id, 'Last chance!'), 409);
    expect(refused.errors[0]!.field).toBe('body.contactId');
    await fake.sendInbound(inboundUrl, { from: contact.phone!, to: number, body: 'START', accountSid: accountA.accountSid });
    await expectJson(await send(user, contact.id, 'Welcome back'), 202);
    const consent = await expectJson<{ channels: Record<string, { doNotDisturb: boolean }>; history: { doNotDisturb: boolean; source: string; reason: string }[] }>(
      await user.request('GET', `/api/messaging/contacts/${contact.id}/consent`),
      200,
    );
    expect(consent.channels.SMS).toEqual({ doNotDisturb: false });
    expect(consent.history.map((h) => [h.doNotDisturb, h.source, h.reason])).toEqual([
      [false, 'keyword', 'Replied START'],
      [true, 'keyword', 'Replied STOP'],
    ]);
  });

  it('a STOP that arrives while a send waits out quiet hours keeps it from going', async () => {
    const { user, contact, number, inboundUrl } = await tenant();
    const now = new Date();
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    await expectJson(
      await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: true, timezone: 'UTC', quietHoursStart: hhmm(new Date(now.getTime() - 3600_000)), quietHoursEnd: hhmm(new Date(now.getTime() + 7200_000)) }),
      200,
    );
    const queued = await expectJson<Message>(await send(user, contact.id, 'Good morning!'), 202);
    expect(new Date(queued.sendAfter!).getTime()).toBeGreaterThan(now.getTime() + 7000_000);
    const [job] = await db.$queryRaw<{ id: bigint; run_at: Date }[]>`select id, run_at from graphile_worker._private_jobs where payload::text like ${`%${queued.id}%`}`;
    expect(job?.run_at.getTime()).toBe(new Date(queued.sendAfter!).getTime());
    await fake.sendInbound(inboundUrl, { from: contact.phone!, to: number, body: 'STOP', accountSid: accountA.accountSid });
    // Run the deferred job now, as it will run at the end of the quiet hours.
    await db.$executeRaw`update graphile_worker._private_jobs set run_at = now() where id = ${job!.id}`;
    const outcome = await settled(queued.id);
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toContain('asked not to be messaged');
    expect([...fake.messages.values()].some((m) => m.body === 'Good morning!')).toBe(false);
  });
});

describe('webhook security', () => {
  // Answered, then applied: these tests read what a delivery changed.
  const post = (url: string, params: Record<string, string>, signature: string | null) =>
    applied(
      soshogle,
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === null ? {} : { 'x-twilio-signature': signature }) },
        body: new URLSearchParams(params).toString(),
      }),
    );
  const inboundParams = (from: string, to: string, sid = `SM${Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32)}`) => ({
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: accountA.accountSid,
    From: from,
    To: to,
    Body: 'hello',
    NumMedia: '0',
  });

  it('refuses missing, forged and tampered signatures, and a signature meant for another URL; answers a signed malformed body 400; a replay changes nothing', async () => {
    const { user, contact, number, inboundUrl } = await tenant();
    const params = inboundParams(contact.phone!, number);
    const good = twilioSignature(accountA.authToken, inboundUrl, params);
    expect((await post(inboundUrl, params, null)).status).toBe(401);
    expect((await post(inboundUrl, params, twilioSignature(accountB.authToken, inboundUrl, params))).status).toBe(401);
    expect((await post(inboundUrl, { ...params, Body: 'tampered' }, good)).status).toBe(401);
    expect((await post(inboundUrl, params, twilioSignature(accountA.authToken, `${inboundUrl}?x=1`, params))).status).toBe(401);
    const malformed = { AccountSid: accountA.accountSid, From: contact.phone!, To: number };
    expect((await post(inboundUrl, malformed, twilioSignature(accountA.authToken, inboundUrl, malformed))).status).toBe(400);
    expect((await post(inboundUrl, params, good)).status).toBe(200);
    expect((await post(inboundUrl, params, good)).status).toBe(200);
    expect(await db.message.count({ where: { userId: user.userId, twilioSid: params.MessageSid } })).toBe(1);
  });

  it("keeps tenants apart: one tenant's URL refuses another's signature, and a status callback naming another tenant's message changes nothing", async () => {
    const a = await tenant(accountA);
    const b = await tenant(accountB, '+15125550199');
    const queued = await expectJson<Message>(await send(a.user, a.contact.id, 'for A only'), 202);
    const sent = await settled(queued.id);
    // B's account, signing correctly for B's own URL, claims A's message was undelivered.
    const statusUrl = `${soshogle.url}/webhooks/messaging/${b.user.userId}/twilio/status`;
    const forged = { MessageSid: sent.twilioSid!, MessageStatus: 'undelivered', AccountSid: accountB.accountSid, ErrorCode: '30003' };
    expect((await post(statusUrl, forged, twilioSignature(accountB.authToken, statusUrl, forged))).status).toBe(200);
    expect((await messageOf(queued.id)).status).toBe('SENT');
    // A's own callback for the same sid and status still counts: B could not use up its delivery id.
    const real = await fake.sendStatus(sent.twilioSid!, 'undelivered', { errorCode: 30003 });
    expect(await real.json()).toEqual({ received: true });
    expect((await messageOf(queued.id)).status).toBe('FAILED');
    // A's signature on B's URL is refused.
    const params = inboundParams(a.contact.phone!, b.number);
    expect((await post(b.inboundUrl, params, twilioSignature(accountA.authToken, b.inboundUrl, params))).status).toBe(401);
  });
});

describe('workflows', () => {
  const createContact = (tenantId: string, data: { firstName: string; phone: string }) =>
    soshogle.tenantContext('crm', tenantId).db.$transaction(async (tx) => {
      const contact = await tx.contact.create({ data: { userId: tenantId, ...data } });
      await soshogle.events.raise(tx, 'core.contact_created', { contactId: contact.id, source: 'manual' }, { tenantId });
      return contact;
    });

  it('send_sms texts the run’s contact with its template filled in, once; then waits for the reply, which resumes the run', async () => {
    const { user, number } = await tenant();
    const workflowId = await publishWorkflow(user, {
      trigger: 'CONTACT_CREATED',
      actions: [
        { id: 'text', type: 'action', action: 'messaging.send_sms', props: { body: 'Hi {{ contact.firstName }}, reply YES to confirm' }, next: 'wait' },
        { id: 'wait', type: 'wait', wait: { mode: 'event', event: 'core.message_received', timeout: { amount: 1, unit: 'days' } }, next: 'tag' },
        { id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'replied' } },
      ],
    });
    const contact = await createContact(user.userId, { firstName: 'Lin', phone: '+15125550142' });
    const message = await eventually(() => db.message.findFirst({ where: { contactId: contact.id, status: 'SENT' } }));
    expect(message.content).toBe('Hi Lin, reply YES to confirm');
    expect([...fake.messages.values()].filter((m) => m.to === '+15125550142')).toHaveLength(1);
    await fake.sendInbound(`${soshogle.url}/webhooks/messaging/${user.userId}/twilio/inbound`, { from: '+15125550142', to: number, body: 'YES', accountSid: accountA.accountSid });
    await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, contactId: contact.id, status: 'COMPLETED' } }));
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).tags).toEqual(['replied']);
  });

  it('skips a contact who opted out, with the reason, and the run goes on', async () => {
    const { user } = await tenant();
    const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Opted', phone: '+15125550143' } });
    await expectJson(await user.request('PUT', `/api/messaging/contacts/${contact.id}/consent/SMS`, { doNotDisturb: true, reason: 'Asked on the phone' }), 200);
    const workflowId = await publishWorkflow(user, {
      trigger: 'TAG_ADDED',
      actions: [{ id: 'text', type: 'action', action: 'messaging.send_sms', props: { body: 'Sale!' } }],
    });
    await soshogle.tenantContext('crm', user.userId).db.$transaction(async (tx) => {
      await tx.contact.update({ where: { id: contact.id }, data: { tags: ['sale'] } });
      await soshogle.events.raise(tx, 'core.tag_added', { contactId: contact.id, tag: 'sale' }, { tenantId: user.userId });
    });
    const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: 'COMPLETED' } }));
    const step = await db.workflowStepRun.findFirstOrThrow({ where: { executionId: run.id, stepId: 'text' } });
    expect(step.output).toMatchObject({ messageId: null, status: 'skipped', reason: expect.stringContaining('asked not to be messaged') });
    expect(await db.message.count({ where: { contactId: contact.id } })).toBe(0);
  });
});

describe('WhatsApp', () => {
  it('replies free-form inside the 24-hour window and with the approved template outside it', async () => {
    const user = await signedInUser(soshogle);
    const template = `HX${'c'.repeat(32)}`;
    await expectJson(
      await user.request('PUT', '/api/connections/messaging/twilio', { credentials: { ...accountA, smsFrom: '+15125550100', whatsappTemplateSid: template } }),
      200,
    );
    await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false }), 200);
    const inboundUrl = `${soshogle.url}/webhooks/messaging/${user.userId}/twilio/inbound`;
    await fake.sendInbound(inboundUrl, { from: 'whatsapp:+447911123555', to: 'whatsapp:+15125550100', body: 'Hello?', accountSid: accountA.accountSid, profileName: 'Ola' });
    const conversation = await db.conversation.findFirstOrThrow({ where: { userId: user.userId, channel: 'WHATSAPP' } });
    const inWindow = await expectJson<Message>(await user.request('POST', `/api/messaging/conversations/${conversation.id}/messages`, { body: 'Hi Ola!' }), 202);
    const sentInWindow = await settled(inWindow.id);
    expect(fake.messages.get(sentInWindow.twilioSid!)).toMatchObject({ to: 'whatsapp:+447911123555', body: 'Hi Ola!', contentSid: null });
    // A day later the window is closed: only the template goes out.
    await db.conversation.update({ where: { id: conversation.id }, data: { lastInboundAt: new Date(Date.now() - 25 * 3600_000) } });
    const outside = await expectJson<Message>(await user.request('POST', `/api/messaging/conversations/${conversation.id}/messages`, { body: 'Your order shipped' }), 202);
    const sentOutside = await settled(outside.id);
    expect(sentOutside.status).toBe('SENT');
    expect(fake.messages.get(sentOutside.twilioSid!)).toMatchObject({ contentSid: template, contentVariables: JSON.stringify({ 1: 'Your order shipped' }) });
  });
});

describe('rate limits and the timeline', () => {
  it('spaces sends to the tenant’s rate for the provider, across jobs', async () => {
    const { user } = await tenant();
    await expectJson(await user.request('PUT', '/api/messaging/settings', { sendRates: { twilio: 4 } }), 200);
    const contacts = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => db.contact.create({ data: { userId: user.userId, firstName: `R${i}`, phone: `+1512555030${i}` } })),
    );
    const before = Date.now();
    const queued = await Promise.all(contacts.map(async (c) => expectJson<Message>(await send(user, c.id, `rate ${c.firstName}`), 202)));
    const sent = await Promise.all(queued.map((m) => settled(m.id)));
    const called = sent.map((m) => (m as unknown as { providerCalled: Date }).providerCalled.getTime()).sort((a, b) => a - b);
    // 4 per second: the slots are a quarter of a second apart from the first, and no send goes
    // before its slot, so the i-th call is at least i quarters after the queueing. (A busy
    // machine may call late, which brings two calls closer: only "not early" is the rule. Slots
    // come from the database's clock, providerCalled from Node's, and a slot within 20 ms is
    // taken at once.)
    called.forEach((at, i) => expect(at, `call ${i}`).toBeGreaterThanOrEqual(before + i * 250 - 30));
    expect(sent.every((m) => m.status === 'SENT')).toBe(true);
  });

  it('holds every send of the tenant after a 429 for its Retry-After, slots already taken included', async () => {
    const { user } = await tenant();
    await expectJson(await user.request('PUT', '/api/messaging/settings', { sendRates: { twilio: 4 } }), 200);
    const contacts = await Promise.all([0, 1, 2, 3].map((i) => db.contact.create({ data: { userId: user.userId, firstName: `H${i}`, phone: `+1512555031${i}` } })));
    const throttledBefore = fake.requests.filter((r) => r.status === 429).length;
    fake.failNext(1, { status: 429, retryAfter: 2 });
    const started = Date.now();
    const queued = await Promise.all(contacts.map(async (c) => expectJson<Message>(await send(user, c.id, `held ${c.firstName}`), 202)));
    const sent = await Promise.all(queued.map((m) => eventually(async () => ((await messageOf(m.id)).status === 'SENT' ? messageOf(m.id) : null), 30_000)));
    // The first send met the 429 right away; nothing went out in the 2 s after it.
    const calledAt = sent.map((m) => m.providerCalled!.getTime());
    expect(Math.min(...calledAt) - started).toBeGreaterThanOrEqual(1900);
    expect(fake.requests.filter((r) => r.status === 429).length - throttledBefore).toBe(1);
  });

  it('puts sent and received messages on the contact’s timeline', async () => {
    const { user, contact, number, inboundUrl } = await tenant();
    const queued = await expectJson<Message>(await send(user, contact.id, 'Timeline hello'), 202);
    await settled(queued.id);
    await fake.sendInbound(inboundUrl, { from: contact.phone!, to: number, body: 'Timeline reply', accountSid: accountA.accountSid });
    const timeline = await expectJson<{ items: { kind: string; title: string; body: string }[] }>(await user.request('GET', `/api/contacts/${contact.id}/timeline`), 200);
    expect(timeline.items.filter((e) => e.kind === 'message').map((e) => [e.title, e.body])).toEqual([
      ['Received sms', 'Timeline reply'],
      ['Sent sms', 'Timeline hello'],
    ]);
  });
});

describe('WhatsApp without a template', () => {
  it('fails a send outside the 24-hour window at once, saying why, instead of letting WhatsApp drop it', async () => {
    const { user, contact } = await tenant();
    const queued = await expectJson<Message>(await user.request('POST', '/api/messaging/messages', { contactId: contact.id, channel: 'WHATSAPP', body: 'Hello again' }), 202);
    const failed = await settled(queued.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toContain('approved template');
    expect([...fake.messages.values()].some((m) => m.body === 'Hello again')).toBe(false);
  });
});

describe('message_received as a trigger', () => {
  it('starts only the workflows whose channel and keyword filter match the message', async () => {
    const { user, contact, number, inboundUrl } = await tenant();
    const workflowId = await publishWorkflow(user, {
      trigger: 'MESSAGE_RECEIVED',
      triggerFilter: { channel: 'SMS', keyword: 'pricing' },
      actions: [{ id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'asked-pricing' } }],
    });
    await fake.sendInbound(inboundUrl, { from: contact.phone!, to: number, body: 'hello', accountSid: accountA.accountSid });
    await fake.sendInbound(inboundUrl, { from: contact.phone!, to: number, body: 'What is your PRICING?', accountSid: accountA.accountSid });
    await eventually(() => db.workflowExecution.findFirst({ where: { workflowId, status: 'COMPLETED' } }));
    await queueSettled(soshogle);
    expect(await db.workflowExecution.count({ where: { workflowId } })).toBe(1);
    expect((await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).tags).toEqual(['asked-pricing']);
  });
});

describe('what the review found', () => {
  it('flags a send answered 500 (Twilio may have taken it) instead of sending it again; retries a 503', async () => {
    const { user, contact } = await tenant();
    fake.failNext(1, { status: 500 });
    const ambiguous = await expectJson<Message>(await send(user, contact.id, 'maybe twice'), 202);
    expect(await settled(ambiguous.id)).toMatchObject({ status: 'QUEUED', needsReview: true });
    fake.failNext(1, { status: 503 });
    const retried = await expectJson<Message>(await send(user, contact.id, 'after 503'), 202);
    expect(await eventually(async () => ((await messageOf(retried.id)).status === 'SENT' ? messageOf(retried.id) : null), 20_000)).toMatchObject({ status: 'SENT' });
    expect([...fake.messages.values()].filter((m) => m.body === 'maybe twice' || m.body === 'after 503').map((m) => m.body)).toEqual(['after 503']);
  });

  it('ignores an inbound message to a number that is not the tenant’s', async () => {
    const { user, contact, inboundUrl } = await tenant();
    const res = await fake.sendInbound(inboundUrl, { from: contact.phone!, to: '+15125559999', body: 'not for you', accountSid: accountA.accountSid });
    expect(res.status).toBe(200);
    expect(await db.message.count({ where: { userId: user.userId, content: 'not for you' } })).toBe(0);
  });

  it('makes one contact and one conversation of two first messages from a new number arriving at once', async () => {
    const { user, number, inboundUrl } = await tenant();
    await Promise.all(['one', 'two'].map((body) => fake.sendInbound(inboundUrl, { from: '+15125550188', to: number, body, accountSid: accountA.accountSid })));
    expect(await db.contact.count({ where: { userId: user.userId, phone: '+15125550188' } })).toBe(1);
    expect(await db.conversation.count({ where: { userId: user.userId, address: '+15125550188' } })).toBe(1);
    expect(await db.message.count({ where: { userId: user.userId, from: '+15125550188' } })).toBe(2);
  });

  it('answers a cursor it did not make with 422 naming it', async () => {
    const { user } = await tenant();
    for (const cursor of [Buffer.from('["x","y"]').toString('base64url'), 'ab', Buffer.from('{}').toString('base64url')]) {
      const problem = await expectJson<Problem>(await user.request('GET', `/api/messaging/conversations?cursor=${cursor}`), 422);
      expect(problem.errors[0]!.field).toBe('query.cursor');
    }
  });
});

describe('idempotency keys', () => {
  it('answers repeated and simultaneous requests with one key with the one message, sent once', async () => {
    const { user, contact } = await tenant();
    const request = () => user.request('POST', '/api/messaging/messages', { contactId: contact.id, channel: 'SMS', body: 'only once please', idempotencyKey: 'order-1234-confirmation' });
    const answers = await Promise.all([request(), request(), request()]);
    const ids = await Promise.all(answers.map(async (res) => (await expectJson<Message>(res, 202)).id));
    expect(new Set(ids).size).toBe(1);
    await settled(ids[0]!);
    expect((await expectJson<Message>(await request(), 202)).id).toBe(ids[0]);
    await queueSettled(soshogle);
    expect(await db.message.count({ where: { userId: user.userId, content: 'only once please' } })).toBe(1);
    expect([...fake.messages.values()].filter((m) => m.body === 'only once please')).toHaveLength(1);
  });
});
