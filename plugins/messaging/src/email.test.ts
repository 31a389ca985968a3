// Email end to end: @sendgrid/mail against a local fake of SendGrid's API, the Event
// Webhook signed SendGrid's way (ECDSA), Inbound Parse posts, the unsubscribe link, and a
// real server, worker and database.
import { randomBytes } from 'node:crypto';
import { applied, eventRecorder, eventually, expectJson, queueSettled, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { messagingPlugins } from './testing/plugins.ts';
import { startSendgridFake, type SendgridEvent, type SendgridFakeMail } from './testing/sendgrid-fake.ts';
import { sendgridEventKeys, sendgridEventSignature } from './testing/signing.ts';

const apiKey = `SG.${'k'.repeat(22)}.${'s'.repeat(43)}`;
const fake = await startSendgridFake({ apiKeys: [apiKey] });
afterAll(() => fake.close());

const { plugin: recorder, heard } = eventRecorder(['core.message_received', 'core.contact_created']);
const soshogle = await startTestSoshogle(messagingPlugins(recorder), { MESSAGING_SENDGRID_API_URL: fake.url });
const { db } = soshogle;

type Message = { id: string; status: string; to: string; from: string; subject: string | null; sendgridId: string | null; error: string | null; conversationId: string; unsubscribeKey: string | null };
type Problem = { errors: { field: string; message: string }[] };
type Consent = { channels: Record<string, { doNotDisturb: boolean }>; history: { channel: string; doNotDisturb: boolean; source: string; reason: string; messageId: string | null }[] };

const fromEmail = 'hello@shop.example.com';
const randomEmail = (name: string) => `${name}-${randomBytes(4).toString('hex')}@example.com`;

/** A signed-in tenant with a SendGrid connection (verifying events with `eventWebhookKey`) and a contact. */
async function tenant(eventWebhookKey = fake.eventWebhookPublicKey) {
  const user = await signedInUser(soshogle);
  const inboundToken = randomBytes(24).toString('base64url');
  await expectJson(
    await user.request('PUT', '/api/connections/messaging/sendgrid', { credentials: { apiKey, fromEmail, fromName: 'The Shop', eventWebhookKey, inboundToken } }),
    200,
  );
  // No quiet hours: tests run at any hour.
  await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false }), 200);
  const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Ada', email: randomEmail('ada') } });
  const base = `${soshogle.url}/webhooks/messaging/${user.userId}`;
  return { user, contact, inboundToken, eventsUrl: `${base}/sendgrid/events`, inboundUrl: `${base}/sendgrid/inbound?token=${inboundToken}`, unsubscribeBase: `${base}/email/unsubscribe` };
}

const send = (user: TestClient, contactId: string, subject: string, body = 'Hello from the shop', html?: string) =>
  user.request('POST', '/api/messaging/messages', { contactId, channel: 'EMAIL', subject, body, ...(html === undefined ? {} : { html }) });
const messageOf = (id: string) => db.message.findUniqueOrThrow({ where: { id } });
const settled = (id: string) => eventually(async () => ((await messageOf(id)).status !== 'QUEUED' || (await messageOf(id)).needsReview ? messageOf(id) : null));
const consentOf = (user: TestClient, contactId: string) => user.request('GET', `/api/messaging/contacts/${contactId}/consent`).then((res) => expectJson<Consent>(res, 200));
const eventTypes = async (messageId: string) => (await db.messageEvent.findMany({ where: { messageId }, select: { type: true } })).map((e) => e.type).sort();

/** Sends an email to the contact and waits until SendGrid (the fake) took it. */
async function sentMail(user: TestClient, contactId: string, subject = `Your order ${randomBytes(3).toString('hex')}`) {
  const queued = await expectJson<Message>(await send(user, contactId, subject), 202);
  const sent = await settled(queued.id);
  expect(sent.status).toBe('SENT');
  return { message: sent, sendgridId: sent.sendgridId! };
}

/** POSTs a body with the Event Webhook's headers, as given. */
function postEventBody(url: string, body: string, headers: { signature?: string; timestamp?: string }) {
  return applied(soshogle, fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(headers.signature === undefined ? {} : { 'x-twilio-email-event-webhook-signature': headers.signature }),
      ...(headers.timestamp === undefined ? {} : { 'x-twilio-email-event-webhook-timestamp': headers.timestamp }),
    },
    body,
  }));
}

/** Signs with a key pair of our own, for bodies and timestamps the fake would not send. */
function signedBy(keys: ReturnType<typeof sendgridEventKeys>, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const ts = String(timestamp);
  return { signature: sendgridEventSignature(keys.privateKey, ts, body), timestamp: ts };
}

describe('sending', () => {
  it('sends subject, text and HTML through SendGrid with the unsubscribe link in both bodies and the one-click headers; records it SENT', async () => {
    const { user, contact } = await tenant();
    const queued = await expectJson<Message>(await send(user, contact.id, 'Your table is ready', 'See you at 7pm', '<html><body><p>See you at <b>7pm</b></p></body></html>'), 202);
    expect(queued).toMatchObject({ status: 'QUEUED', to: contact.email, subject: 'Your table is ready' });
    const sent = await settled(queued.id);
    expect(sent).toMatchObject({ status: 'SENT', from: fromEmail, error: null });
    expect(sent.sendgridId).toBeTruthy();

    const mail = fake.mails.find((m) => m.messageId === sent.sendgridId)!;
    const link = `${soshogle.url}/webhooks/messaging/${user.userId}/email/unsubscribe?key=${sent.unsubscribeKey}`;
    expect(sent.unsubscribeKey).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(mail.from).toEqual({ email: fromEmail, name: 'The Shop' });
    expect(mail.personalizations[0]!.to).toEqual([{ email: contact.email }]);
    expect(mail.subject).toBe('Your table is ready');
    const text = mail.content!.find((c) => c.type === 'text/plain')!.value;
    const html = mail.content!.find((c) => c.type === 'text/html')!.value;
    expect(text).toBe(`See you at 7pm\n\nUnsubscribe: ${link}`);
    expect(html).toContain('<p>See you at <b>7pm</b></p>');
    // The footer stays inside the body element.
    expect(html.endsWith(`<a href="${link}">Unsubscribe</a></p></body></html>`)).toBe(true);
    expect(mail.headers).toEqual({ 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect({ ...mail.custom_args, ...mail.personalizations[0]!.custom_args }).toMatchObject({ soshogle_message_id: sent.id });
    await queueSettled(soshogle);
    expect(fake.mails.filter((m: SendgridFakeMail) => m.subject === 'Your table is ready' && m.personalizations[0]!.to[0]!.email === contact.email)).toHaveLength(1);
  });

  it('refuses an email without a subject (422 naming body.subject) and sends nothing', async () => {
    const { user, contact } = await tenant();
    const before = fake.mails.length;
    const refused = await expectJson<Problem>(await user.request('POST', '/api/messaging/messages', { contactId: contact.id, channel: 'EMAIL', body: 'no subject' }), 422);
    expect(refused.errors.map((e) => e.field)).toContain('body.subject');
    expect(await db.message.count({ where: { userId: user.userId } })).toBe(0);
    expect(fake.mails.length).toBe(before);
  });
});

describe('the Event Webhook', () => {
  it('moves the message through delivered and open, records a click with its url, and applies each event once however it is repeated or re-batched', async () => {
    const { user, contact, eventsUrl } = await tenant();
    const { message, sendgridId } = await sentMail(user, contact.id);
    const processed = fake.event(sendgridId, 'processed');
    const delivered = fake.event(sendgridId, 'delivered');
    const open = fake.event(sendgridId, 'open');
    const click = fake.event(sendgridId, 'click', { url: 'https://shop.example.com/orders/42' });

    expect((await fake.postEvents(eventsUrl, [processed, delivered])).status).toBe(200);
    expect((await messageOf(message.id)).status).toBe('DELIVERED');
    expect(await (await fake.postEvents(eventsUrl, [delivered, open])).json()).toEqual({ received: true });
    expect((await messageOf(message.id)).status).toBe('READ');
    // The same batch again is a duplicate delivery, in any order.
    expect(await (await fake.postEvents(eventsUrl, [open, delivered])).json()).toEqual({ received: true, duplicate: true });
    // Re-batched with a new event: only the new one counts.
    expect((await fake.postEvents(eventsUrl, [click, open, delivered])).status).toBe(200);
    expect((await fake.postEvents(eventsUrl, [processed, click])).status).toBe(200);

    expect(await eventTypes(message.id)).toEqual(['click', 'delivered', 'open']);
    expect((await messageOf(message.id)).status).toBe('READ');
    const detail = await expectJson<{ events: { type: string; data: Record<string, unknown> }[] }>(await user.request('GET', `/api/messaging/messages/${message.id}`), 200);
    expect(detail.events.find((e) => e.type === 'click')!.data).toMatchObject({ sgEventId: click.sg_event_id, url: 'https://shop.example.com/orders/42' });
  });

  it('finds the message by sg_message_id when the custom arg is missing', async () => {
    const { user, contact, eventsUrl } = await tenant();
    const { message, sendgridId } = await sentMail(user, contact.id);
    const delivered: SendgridEvent = fake.event(sendgridId, 'delivered');
    delete delivered.soshogle_message_id;
    expect((await fake.postEvents(eventsUrl, [delivered])).status).toBe(200);
    expect((await messageOf(message.id)).status).toBe('DELIVERED');
  });

  it('a hard bounce fails the message with its reason and sets email do-not-disturb (the next send is 409); a blocked (soft) bounce changes no consent', async () => {
    const { user, contact, eventsUrl } = await tenant();
    const { message, sendgridId } = await sentMail(user, contact.id);
    expect((await fake.postEvents(eventsUrl, [fake.event(sendgridId, 'bounce')])).status).toBe(200);
    const failed = await messageOf(message.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toContain('550 5.1.1');
    const consent = await consentOf(user, contact.id);
    expect(consent.channels.EMAIL).toEqual({ doNotDisturb: true });
    expect(consent.history).toMatchObject([{ channel: 'EMAIL', doNotDisturb: true, source: 'bounce', messageId: message.id }]);
    expect(consent.history[0]!.reason).toContain('550 5.1.1');
    const refused = await expectJson<Problem>(await send(user, contact.id, 'Another try'), 409);
    expect(refused.errors[0]!.field).toBe('body.contactId');

    const other = await db.contact.create({ data: { userId: user.userId, firstName: 'Bo', email: randomEmail('bo') } });
    const soft = await sentMail(user, other.id);
    const blocked = fake.event(soft.sendgridId, 'bounce', { type: 'blocked', reason: '421 4.7.0 Temporarily rate limited' });
    expect((await fake.postEvents(eventsUrl, [blocked])).status).toBe(200);
    expect(await messageOf(soft.message.id)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('421 4.7.0') });
    expect((await consentOf(user, other.id)).history).toEqual([]);
    await expectJson(await send(user, other.id, 'Still reachable'), 202);
  });

  it('a dropped mail fails with its reason', async () => {
    const { user, contact, eventsUrl } = await tenant();
    const { message, sendgridId } = await sentMail(user, contact.id);
    expect((await fake.postEvents(eventsUrl, [fake.event(sendgridId, 'dropped')])).status).toBe(200);
    expect(await messageOf(message.id)).toMatchObject({ status: 'FAILED', error: 'Dropped: Bounced Address' });
  });

  it('a spam report and an unsubscribe set email do-not-disturb, each with its source in the ledger', async () => {
    const { user, contact, eventsUrl } = await tenant();
    const other = await db.contact.create({ data: { userId: user.userId, firstName: 'Bo', email: randomEmail('bo') } });
    const spam = await sentMail(user, contact.id);
    const unsubscribed = await sentMail(user, other.id);
    await fake.postEvents(eventsUrl, [fake.event(spam.sendgridId, 'delivered'), fake.event(unsubscribed.sendgridId, 'delivered')]);
    expect((await fake.postEvents(eventsUrl, [fake.event(spam.sendgridId, 'spamreport'), fake.event(unsubscribed.sendgridId, 'unsubscribe')])).status).toBe(200);

    const spamConsent = await consentOf(user, contact.id);
    expect(spamConsent.channels.EMAIL).toEqual({ doNotDisturb: true });
    expect(spamConsent.history).toMatchObject([{ doNotDisturb: true, source: 'spam_report', messageId: spam.message.id }]);
    const unsubscribeConsent = await consentOf(user, other.id);
    expect(unsubscribeConsent.channels.EMAIL).toEqual({ doNotDisturb: true });
    expect(unsubscribeConsent.history).toMatchObject([{ doNotDisturb: true, source: 'unsubscribe', messageId: unsubscribed.message.id }]);
    // Consent is per channel; the messages themselves were delivered.
    expect(spamConsent.channels.SMS).toEqual({ doNotDisturb: false });
    expect((await messageOf(spam.message.id)).status).toBe('DELIVERED');
    expect(await eventTypes(spam.message.id)).toEqual(['delivered', 'spamreport']);
  });
});

describe('Inbound Parse', () => {
  it('threads a reply into the EMAIL conversation of the mail sent, and raises message_received', async () => {
    const { user, contact, inboundUrl } = await tenant();
    const { message } = await sentMail(user, contact.id, 'Your booking');
    const res = await fake.postInboundParse(inboundUrl, {
      from: `"Lovelace, Ada" <${contact.email!.toUpperCase()}>`,
      to: `The Shop <${fromEmail}>`,
      subject: 'Re: Your booking',
      text: 'Yes, 7pm works.\n\nOn Tue, The Shop wrote:\n> Your booking',
      html: '<p>Yes, 7pm works.</p>',
    });
    expect(res.status).toBe(200);
    const reply = await db.message.findFirstOrThrow({ where: { userId: user.userId, direction: 'INBOUND' } });
    expect(reply).toMatchObject({
      channel: 'EMAIL',
      conversationId: message.conversationId,
      contactId: contact.id,
      from: contact.email,
      to: fromEmail,
      subject: 'Re: Your booking',
      content: 'Yes, 7pm works.\n\nOn Tue, The Shop wrote:\n> Your booking',
    });
    const event = await eventually(async () => heard.find((e) => e.type === 'core.message_received' && e.payload.messageId === reply.id));
    expect(event.payload).toMatchObject({ contactId: contact.id, channel: 'EMAIL' });
    expect(await db.contact.count({ where: { userId: user.userId } })).toBe(1);
  });

  it('creates a contact for an unknown address (source inbound, named from the From header), reading an HTML-only mail as text', async () => {
    const { user, inboundUrl } = await tenant();
    const address = randomEmail('grace');
    const res = await fake.postInboundParse(inboundUrl, { from: `Grace Hopper <${address}>`, to: fromEmail, subject: 'Question', text: '', html: '<p>Do you open on <b>Sundays</b>?</p>' });
    expect(res.status).toBe(200);
    const created = await db.contact.findFirstOrThrow({ where: { userId: user.userId, email: address } });
    expect(created).toMatchObject({ firstName: 'Grace Hopper', source: 'inbound' });
    const conversation = await db.conversation.findFirstOrThrow({ where: { contactId: created.id, channel: 'EMAIL' } });
    expect(await db.message.findFirstOrThrow({ where: { conversationId: conversation.id } })).toMatchObject({ direction: 'INBOUND', content: 'Do you open on Sundays?' });
    await eventually(async () => heard.find((e) => e.type === 'core.contact_created' && e.payload.contactId === created.id));
  });

  it('keeps a mail from an address the CRM refuses: the contact is made without it and found again by its conversation', async () => {
    const { user, inboundUrl } = await tenant();
    const address = `grace${randomBytes(4).toString('hex')}@localhost`;
    for (const text of ['Hello?', 'Anyone?']) {
      expect((await fake.postInboundParse(inboundUrl, { from: `Grace Hopper <${address}>`, to: fromEmail, subject: 'Question', text })).status).toBe(200);
    }
    const conversation = await db.conversation.findFirstOrThrow({ where: { userId: user.userId, channel: 'EMAIL', address } });
    expect(await db.contact.findUniqueOrThrow({ where: { id: conversation.contactId } })).toMatchObject({ firstName: 'Grace Hopper', email: null, source: 'inbound' });
    expect(await db.message.count({ where: { conversationId: conversation.id } })).toBe(2);
    expect(await db.conversation.count({ where: { userId: user.userId, address } })).toBe(1);
  });

  it('takes the same mail (same Message-ID) once; refuses a wrong or missing token (401) and a body that is not a parse post (400)', async () => {
    const { user, contact, inboundUrl, inboundToken } = await tenant();
    const form = () => {
      const data = new FormData();
      data.append('headers', `From: ${contact.email}\nTo: ${fromEmail}\nSubject: Twice\nMessage-ID: <same-mail-${contact.id}@mail.example.com>\n`);
      data.append('from', contact.email!);
      data.append('to', fromEmail);
      data.append('subject', 'Twice');
      data.append('text', 'sent twice');
      return data;
    };
    expect((await applied(soshogle, fetch(inboundUrl, { method: 'POST', body: form() }))).status).toBe(200);
    expect(await (await fetch(inboundUrl, { method: 'POST', body: form() })).json()).toEqual({ received: true, duplicate: true });
    expect(await db.message.count({ where: { userId: user.userId, content: 'sent twice' } })).toBe(1);

    const wrong = inboundUrl.replace(inboundToken, randomBytes(24).toString('base64url'));
    expect((await fake.postInboundParse(wrong, { from: contact.email!, to: fromEmail, subject: 'x', text: 'forged' })).status).toBe(401);
    expect((await fake.postInboundParse(inboundUrl.replace(/\?.*$/, ''), { from: contact.email!, to: fromEmail, subject: 'x', text: 'forged' })).status).toBe(401);
    expect((await fetch(inboundUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"from":"x"}' })).status).toBe(400);
    expect(await db.message.count({ where: { userId: user.userId, content: 'forged' } })).toBe(0);
    // A form cut off before its closing boundary: readable enough to name its sender, not to parse.
    const cut = `--b\r\nContent-Disposition: form-data; name="from"\r\n\r\n${contact.email}\r\n--b\r\nContent-Disposition: form-data; name="text"\r\n\r\ncut off`;
    expect((await fetch(inboundUrl, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=b' }, body: cut })).status).toBe(400);
  });
});

describe('the unsubscribe link', () => {
  it('GET shows a page and changes nothing; its POST (one-click) sets email do-not-disturb once', async () => {
    const { user, contact, unsubscribeBase } = await tenant();
    const { message, sendgridId } = await sentMail(user, contact.id, 'Spring sale');
    const link = /^<(.+)>$/.exec(fake.mails.find((m) => m.messageId === sendgridId)!.headers!['List-Unsubscribe']!)![1]!;
    expect(link).toBe(`${unsubscribeBase}?key=${message.unsubscribeKey}`);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain(`<form method="post" action="${link}">`);
    expect((await consentOf(user, contact.id)).history).toEqual([]);

    const oneClick = () => applied(soshogle, fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' }));
    const done = await oneClick();
    expect(done.status).toBe(200);
    expect(done.headers.get('content-type')).toContain('text/html');
    const consent = await consentOf(user, contact.id);
    expect(consent.channels.EMAIL).toEqual({ doNotDisturb: true });
    expect(consent.history).toMatchObject([{ channel: 'EMAIL', doNotDisturb: true, source: 'unsubscribe_link', reason: 'Clicked the unsubscribe link in "Spring sale"', messageId: message.id }]);
    expect((await oneClick()).status).toBe(200);
    expect((await consentOf(user, contact.id)).history).toHaveLength(1);
    await expectJson(await send(user, contact.id, 'One more sale'), 409);
  });

  it('refuses a malformed key (GET 403, POST 401) and ignores a well-formed unknown one', async () => {
    const { user, contact, unsubscribeBase } = await tenant();
    expect((await fetch(`${unsubscribeBase}?key=%3Cscript%3E`)).status).toBe(403);
    expect((await fetch(`${unsubscribeBase}?key=short`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(unsubscribeBase, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${unsubscribeBase}?key=${randomBytes(24).toString('base64url')}`, { method: 'POST' })).status).toBe(200);
    expect((await consentOf(user, contact.id)).history).toEqual([]);
  });
});

describe('webhook security', () => {
  it('the Event Webhook: valid 200; missing, forged, tampered, expired and malformed signatures 401; signed malformed JSON 400; a replay changes nothing', async () => {
    const keys = sendgridEventKeys();
    const { user, contact, eventsUrl } = await tenant(keys.publicKey);
    const { message, sendgridId } = await sentMail(user, contact.id);
    const body = JSON.stringify([fake.event(sendgridId, 'delivered')]);
    const good = signedBy(keys, body);
    const now = Math.floor(Date.now() / 1000);

    expect((await postEventBody(eventsUrl, body, {})).status).toBe(401);
    expect((await postEventBody(eventsUrl, body, { timestamp: good.timestamp })).status).toBe(401);
    expect((await postEventBody(eventsUrl, body, { signature: good.signature })).status).toBe(401);
    expect((await postEventBody(eventsUrl, body, signedBy(sendgridEventKeys(), body))).status).toBe(401);
    expect((await postEventBody(eventsUrl, body.replace('delivered', 'bounce'), good)).status).toBe(401);
    expect((await postEventBody(eventsUrl, body, { ...good, timestamp: String(Number(good.timestamp) + 1) })).status).toBe(401);
    expect((await postEventBody(eventsUrl, body, signedBy(keys, body, now - 11 * 60))).status).toBe(401);
    expect((await postEventBody(eventsUrl, body, signedBy(keys, body, now + 6 * 60))).status).toBe(401);
    expect((await postEventBody(eventsUrl, body, { ...good, signature: 'not base64 at all!' })).status).toBe(401);
    expect((await postEventBody(eventsUrl, body, { ...good, signature: Buffer.from('not a DER signature').toString('base64') })).status).toBe(401);
    expect((await postEventBody(eventsUrl, body, { ...good, timestamp: 'yesterday' })).status).toBe(401);
    expect(await eventTypes(message.id)).toEqual([]);
    expect((await messageOf(message.id)).status).toBe('SENT');

    expect((await postEventBody(eventsUrl, '[{"event": "delivered",', signedBy(keys, '[{"event": "delivered",'))).status).toBe(400);
    expect((await postEventBody(eventsUrl, '{"event":"delivered"}', signedBy(keys, '{"event":"delivered"}'))).status).toBe(400);

    expect(await (await postEventBody(eventsUrl, body, good)).json()).toEqual({ received: true });
    expect((await messageOf(message.id)).status).toBe('DELIVERED');
    const replay = await postEventBody(eventsUrl, body, good);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, duplicate: true });
    expect(await eventTypes(message.id)).toEqual(['delivered']);
    // The fake's own (valid) signature is a different key: refused here.
    expect((await fake.postEvents(eventsUrl, [fake.event(sendgridId, 'bounce')])).status).toBe(401);
  });

  it("keeps tenants apart: events on B's own URL naming A's message, or A's unsubscribe key, change nothing of A's; A's own identical events still apply", async () => {
    const a = await tenant();
    const bKeys = sendgridEventKeys();
    const b = await tenant(bKeys.publicKey);
    const { message, sendgridId } = await sentMail(a.user, a.contact.id);
    // Carries A's custom arg and sg_message_id, signed correctly for B's URL with B's key.
    const events = [fake.event(sendgridId, 'bounce'), fake.event(sendgridId, 'spamreport'), fake.event(sendgridId, 'delivered')];
    const body = JSON.stringify(events);
    expect((await postEventBody(b.eventsUrl, body, signedBy(bKeys, body))).status).toBe(200);
    expect(await messageOf(message.id)).toMatchObject({ status: 'SENT', error: null });
    expect(await eventTypes(message.id)).toEqual([]);
    expect((await consentOf(a.user, a.contact.id)).history).toEqual([]);
    // A's unsubscribe key on B's URL finds nothing.
    expect((await fetch(`${b.unsubscribeBase}?key=${message.unsubscribeKey}`, { method: 'POST' })).status).toBe(200);
    expect((await consentOf(a.user, a.contact.id)).history).toEqual([]);
    // B cannot see A's message either.
    expect((await b.user.request('GET', `/api/messaging/messages/${message.id}`)).status).toBe(404);

    // The same events (same ids) on A's URL: B did not use them up.
    expect(await (await fake.postEvents(a.eventsUrl, events)).json()).toEqual({ received: true });
    expect((await messageOf(message.id)).status).toBe('FAILED');
    expect(await eventTypes(message.id)).toEqual(['bounce', 'delivered', 'spamreport']);
    expect((await consentOf(a.user, a.contact.id)).history.map((h) => h.source)).toEqual(['bounce']);
  });
});
