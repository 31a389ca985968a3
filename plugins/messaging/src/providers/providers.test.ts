// The provider clients against local fakes that speak each provider's HTTP API: ids on
// success, every failure mapped to the right ProviderError (retry or give up), WhatsApp's
// 24 h session, and webhook signatures checked with the official verifiers.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventWebhook } from '@sendgrid/eventwebhook';
import twilio from 'twilio';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startMetaFake, metaErrors } from '../testing/meta-fake.ts';
import { startSendgridFake } from '../testing/sendgrid-fake.ts';
import { metaSignature, sendgridEventKeys, sendgridEventSignature, twilioSignature } from '../testing/signing.ts';
import { startTwilioFake } from '../testing/twilio-fake.ts';
import { isPermanent, isProviderError, parseRetryAfter, type ProviderError } from './errors.ts';
import { metaClient, verifyMetaSignature } from './meta-client.ts';
import { sendEmail, sendgridMail } from './sendgrid-client.ts';
import { sendTwilioMessage, twilioClient } from './twilio-client.ts';

// ---- A stand-in for our own webhook endpoints: records what arrives ----

interface Received {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

async function startReceiver(reply: (req: Received) => { status: number; body?: string } = () => ({ status: 200 })) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: new URL(req.url ?? '/', base), headers: req.headers, raw: Buffer.concat(chunks) };
      received.push(entry);
      const { status, body } = reply(entry);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    received,
    last: () => {
      const entry = received.at(-1);
      if (!entry) throw new Error('nothing received');
      return entry;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const receiver = await startReceiver();
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.received.length = 0;
});

/** Runs `send`, expecting it to fail with a ProviderError, and returns that error. */
async function failure(send: () => Promise<unknown>): Promise<ProviderError> {
  try {
    await send();
  } catch (error) {
    if (isProviderError(error)) return error;
    throw new Error(`expected a ProviderError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the send to fail');
}

/** A port nothing listens on: a fake started and closed. */
async function closedUrl(start: () => Promise<{ url: string; close(): Promise<void> }>): Promise<string> {
  const fake = await start();
  await fake.close();
  return fake.url;
}

function formParams(raw: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
}

// ---- Twilio ----

describe('twilio', async () => {
  const account = { accountSid: 'AC' + '1'.repeat(32), authToken: 'twilio-auth-token-1' };
  const fake = await startTwilioFake({ accounts: [account] });
  afterAll(() => fake.close());
  const client = twilioClient({ ...account, apiBaseUrl: fake.url });
  const statusCallback = `${receiver.url}/webhooks/messaging/t1/twilio/status?source=test`;
  const sms = { from: '+15005550006', to: '+14155550100', body: 'Your table is ready', statusCallback };

  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('sends an SMS through the SDK and returns the Message sid and status', async () => {
    const sent = await sendTwilioMessage(client, sms);
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${account.accountSid}/Messages.json`, status: 201 });
    expect(request!.body).toMatchObject({ To: sms.to, From: sms.from, Body: sms.body, StatusCallback: statusCallback });
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`);
    // The resource reads back through the SDK too.
    const fetched = await client.messages(sent.sid).fetch();
    expect(fetched).toMatchObject({ sid: sent.sid, to: sms.to, from: sms.from, body: sms.body, status: 'queued', accountSid: account.accountSid });
  });

  it('maps an invalid number (21211) and a landline (21614) to permanent 400s', async () => {
    const invalid = await failure(() => sendTwilioMessage(client, { ...sms, to: '+1555' }));
    expect(invalid).toMatchObject({ provider: 'twilio', status: 400, code: '21211', retryable: false });
    expect(invalid.message).toContain("'To' number +1555");
    expect(isPermanent(invalid)).toBe(true);
    const landline = await failure(() => sendTwilioMessage(client, { ...sms, to: '+15005550009' }));
    expect(landline).toMatchObject({ status: 400, code: '21614', retryable: false });
  });

  it('maps an unsubscribed recipient (21610, after STOP) to a permanent error', async () => {
    fake.unsubscribe('+14155550199');
    const error = await failure(() => sendTwilioMessage(client, { ...sms, to: '+14155550199' }));
    expect(error).toMatchObject({ provider: 'twilio', status: 400, code: '21610', retryable: false });
    expect(error.message).toBe('Attempt to send to unsubscribed recipient');
  });

  it('maps wrong credentials to a permanent 401 / 20003', async () => {
    const wrong = twilioClient({ accountSid: account.accountSid, authToken: 'not-the-token', apiBaseUrl: fake.url });
    const before = fake.messages.size;
    const error = await failure(() => sendTwilioMessage(wrong, sms));
    expect(error).toMatchObject({ provider: 'twilio', status: 401, code: '20003', retryable: false });
    expect(error.message).toBe('Authentication Error - invalid username');
    expect(fake.messages.size).toBe(before);
  });

  it('maps 429 / 20429 to a retryable error carrying Retry-After, without the SDK retrying', async () => {
    fake.failNext(1, { status: 429, retryAfter: 7 });
    const error = await failure(() => sendTwilioMessage(client, sms));
    expect(error).toMatchObject({ provider: 'twilio', status: 429, code: '20429', retryable: true, retryAfterSeconds: 7 });
    expect(isPermanent(error)).toBe(false);
    expect(fake.requests).toHaveLength(1);
    // The failure was used up: the next send goes through.
    await expect(sendTwilioMessage(client, sms)).resolves.toMatchObject({ status: 'queued' });
  });

  it('maps a 500 to a retryable error', async () => {
    fake.failNext(1, { status: 500 });
    const error = await failure(() => sendTwilioMessage(client, sms));
    expect(error).toMatchObject({ status: 500, code: '20500', retryable: true });
    expect(error.retryAfterSeconds).toBeUndefined();
  });

  it('maps a refused connection to status null, retryable', async () => {
    const down = twilioClient({ ...account, apiBaseUrl: await closedUrl(() => startTwilioFake({ accounts: [account] })) });
    const error = await failure(() => sendTwilioMessage(down, sms));
    expect(error).toMatchObject({ provider: 'twilio', status: null, code: 'ECONNREFUSED', retryable: true });
  });

  it('posts status callbacks signed like Twilio, which twilio.validateRequest accepts and a tampered one fails', async () => {
    const sent = await sendTwilioMessage(client, sms);
    const response = await fake.sendStatus(sent.sid, 'delivered');
    expect(response.status).toBe(200);
    const callback = receiver.last();
    const params = formParams(callback.raw);
    expect(params).toMatchObject({
      MessageSid: sent.sid,
      SmsSid: sent.sid,
      MessageStatus: 'delivered',
      SmsStatus: 'delivered',
      AccountSid: account.accountSid,
      From: sms.from,
      To: sms.to,
      ApiVersion: '2010-04-01',
    });
    expect(params.ErrorCode).toBeUndefined();
    const signature = String(callback.headers['x-twilio-signature']);
    expect(twilio.validateRequest(account.authToken, signature, statusCallback, params)).toBe(true);
    expect(twilio.validateRequest(account.authToken, signature, statusCallback, { ...params, MessageStatus: 'failed' })).toBe(false);
    expect(twilio.validateRequest('another-token', signature, statusCallback, params)).toBe(false);
    // Twilio signs the full URL: the same params at another URL do not validate.
    expect(twilio.validateRequest(account.authToken, signature, statusCallback.replace('?source=test', ''), params)).toBe(false);
    expect(twilioSignature(account.authToken, statusCallback, params)).toBe(signature);
    // The resource follows the callback.
    expect((await client.messages(sent.sid).fetch()).status).toBe('delivered');
  });

  it('posts signed inbound messages with the real parameters', async () => {
    const inboundUrl = `${receiver.url}/webhooks/messaging/t1/twilio/inbound`;
    const response = await fake.sendInbound(inboundUrl, { from: '+14155550123', to: sms.from, body: 'Hi there', accountSid: account.accountSid });
    expect(response.status).toBe(200);
    const params = formParams(receiver.last().raw);
    expect(params).toMatchObject({ From: '+14155550123', To: sms.from, Body: 'Hi there', AccountSid: account.accountSid, NumMedia: '0', NumSegments: '1', SmsStatus: 'received' });
    expect(params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(params.SmsMessageSid).toBe(params.MessageSid);
    const signature = String(receiver.last().headers['x-twilio-signature']);
    expect(twilio.validateRequest(account.authToken, signature, inboundUrl, params)).toBe(true);
    expect(twilio.validateRequest(account.authToken, signature, inboundUrl, { ...params, Body: 'Hi there!' })).toBe(false);
  });

  describe('whatsapp', () => {
    const wa = { from: 'whatsapp:+15005550006', statusCallback };

    it('accepts a freeform message outside the 24 h session, then fails it with 63016', async () => {
      const sent = await sendTwilioMessage(client, { ...wa, to: 'whatsapp:+14155550111', body: 'Are you still coming?' });
      expect(sent.status).toBe('queued');
      await fake.sendStatus(sent.sid);
      const params = formParams(receiver.last().raw);
      expect(params).toMatchObject({ MessageSid: sent.sid, MessageStatus: 'failed', ErrorCode: '63016', To: 'whatsapp:+14155550111', ChannelPrefix: 'whatsapp' });
      expect(twilio.validateRequest(account.authToken, String(receiver.last().headers['x-twilio-signature']), statusCallback, params)).toBe(true);
      const fetched = await client.messages(sent.sid).fetch();
      expect(fetched).toMatchObject({ status: 'failed', errorCode: 63016 });
    });

    it('delivers an approved template (ContentSid) outside the session', async () => {
      const contentSid = 'HX' + 'a'.repeat(32);
      const sent = await sendTwilioMessage(client, { ...wa, to: 'whatsapp:+14155550112', contentSid, contentVariables: { '1': 'Friday' } });
      expect(fake.requests.at(-1)!.body).toMatchObject({ ContentSid: contentSid, ContentVariables: '{"1":"Friday"}' });
      await fake.sendStatus(sent.sid);
      expect(formParams(receiver.last().raw)).toMatchObject({ MessageStatus: 'delivered' });
      expect(formParams(receiver.last().raw).ErrorCode).toBeUndefined();
    });

    it('delivers freeform text inside a session the user opened, and not once 24 h have passed', async () => {
      const inboundUrl = `${receiver.url}/webhooks/messaging/t1/twilio/inbound`;
      await fake.sendInbound(inboundUrl, { from: 'whatsapp:+14155550113', to: wa.from, body: 'hola', accountSid: account.accountSid, profileName: 'Ana' });
      expect(formParams(receiver.last().raw)).toMatchObject({ ProfileName: 'Ana', WaId: '14155550113', From: 'whatsapp:+14155550113' });
      const inSession = await sendTwilioMessage(client, { ...wa, to: 'whatsapp:+14155550113', body: 'Hola Ana' });
      await fake.sendStatus(inSession.sid);
      expect(formParams(receiver.last().raw)).toMatchObject({ MessageStatus: 'delivered' });

      fake.openWhatsAppSession('+14155550114', new Date(Date.now() - 25 * 60 * 60 * 1000));
      const expired = await sendTwilioMessage(client, { ...wa, to: 'whatsapp:+14155550114', body: 'Too late' });
      await fake.sendStatus(expired.sid);
      expect(formParams(receiver.last().raw)).toMatchObject({ MessageStatus: 'failed', ErrorCode: '63016' });
    });
  });
});

// ---- SendGrid ----

describe('sendgrid', async () => {
  const apiKey = 'SG.test-key.0001';
  const fake = await startSendgridFake({ apiKeys: [apiKey] });
  afterAll(() => fake.close());
  const mail = sendgridMail({ apiKey, apiBaseUrl: fake.url });
  const email = {
    from: { email: 'hello@bistro.example', name: 'Bistro' },
    to: 'ana@example.com',
    subject: 'Your booking',
    text: 'See you Friday',
    html: '<p>See you Friday</p>',
    headers: { 'List-Unsubscribe': '<https://crm.example/u/abc>' },
    customArgs: { soshogle_message_id: 'msg_123' },
    replyTo: 'reply@bistro.example',
  };

  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('sends through the SDK and returns the X-Message-Id', async () => {
    const sent = await sendEmail(mail, email);
    expect(sent.messageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v3/mail/send', status: 202 });
    expect(request!.headers.authorization).toBe(`Bearer ${apiKey}`);
    const recorded = fake.mails.at(-1)!;
    expect(recorded).toMatchObject({
      messageId: sent.messageId,
      from: { email: 'hello@bistro.example', name: 'Bistro' },
      subject: 'Your booking',
      personalizations: [{ to: [{ email: 'ana@example.com' }] }],
      headers: email.headers,
      custom_args: email.customArgs,
      reply_to: { email: 'reply@bistro.example' },
    });
    expect(recorded.content).toEqual([
      { type: 'text/plain', value: 'See you Friday' },
      { type: 'text/html', value: '<p>See you Friday</p>' },
    ]);
  });

  it('maps a missing subject to a permanent 400 naming the field', async () => {
    const error = await failure(() => sendEmail(mail, { ...email, subject: '' }));
    expect(error).toMatchObject({ provider: 'sendgrid', status: 400, code: 'subject', retryable: false });
    expect(error.message).toContain('The subject is required');
  });

  it('maps an invalid recipient address to a permanent 400', async () => {
    const error = await failure(() => sendEmail(mail, { ...email, to: 'not-an-address' }));
    expect(error).toMatchObject({ status: 400, code: 'personalizations.0.to.0.email', retryable: false, message: 'Does not contain a valid address.' });
  });

  it('maps a bad API key to a permanent 401', async () => {
    const wrong = sendgridMail({ apiKey: 'SG.revoked', apiBaseUrl: fake.url });
    const error = await failure(() => sendEmail(wrong, email));
    expect(error).toMatchObject({ provider: 'sendgrid', status: 401, code: null, retryable: false });
    expect(error.message).toBe('The provided authorization grant is invalid, expired, or revoked');
  });

  it('maps 429 to a retryable error, waiting until X-RateLimit-Reset', async () => {
    fake.failNext(1, { status: 429, resetInSeconds: 30 });
    const error = await failure(() => sendEmail(mail, email));
    expect(error).toMatchObject({ status: 429, retryable: true, message: 'too many requests' });
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(29);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(31);
    await expect(sendEmail(mail, email)).resolves.toHaveProperty('messageId');
  });

  it('maps a 500 to a retryable error', async () => {
    fake.failNext(1, { status: 500 });
    expect(await failure(() => sendEmail(mail, email))).toMatchObject({ status: 500, retryable: true });
  });

  it('maps a refused connection to status null, retryable', async () => {
    const down = sendgridMail({ apiKey, apiBaseUrl: await closedUrl(() => startSendgridFake({ apiKeys: [apiKey] })) });
    expect(await failure(() => sendEmail(down, email))).toMatchObject({ provider: 'sendgrid', status: null, code: 'ECONNREFUSED', retryable: true });
  });

  it('signs Event Webhook posts so @sendgrid/eventwebhook verifies them, and a tampered body fails', async () => {
    const sent = await sendEmail(mail, email);
    const events = [fake.event(sent.messageId, 'processed'), fake.event(sent.messageId, 'delivered'), fake.event(sent.messageId, 'bounce', { type: 'blocked' })];
    const response = await fake.postEvents(`${receiver.url}/webhooks/messaging/t1/sendgrid/events`, events);
    expect(response.status).toBe(200);
    const { raw, headers } = receiver.last();
    const posted = JSON.parse(raw.toString('utf8')) as Record<string, unknown>[];
    expect(posted.map((e) => e.event)).toEqual(['processed', 'delivered', 'bounce']);
    for (const event of posted) {
      expect(event).toMatchObject({ email: 'ana@example.com', soshogle_message_id: 'msg_123' });
      expect(String(event.sg_message_id).startsWith(`${sent.messageId}.`)).toBe(true);
      expect(typeof event.sg_event_id).toBe('string');
      expect(typeof event.timestamp).toBe('number');
    }
    expect(posted[2]).toMatchObject({ type: 'blocked', reason: expect.any(String) });
    expect(new Set(posted.map((e) => e.sg_event_id)).size).toBe(3);

    const verifier = new EventWebhook();
    const key = verifier.convertPublicKeyToECDSA(fake.eventWebhookPublicKey);
    const signature = String(headers['x-twilio-email-event-webhook-signature']);
    const timestamp = String(headers['x-twilio-email-event-webhook-timestamp']);
    expect(verifier.verifySignature(key, raw, signature, timestamp)).toBe(true);
    const tampered = raw.toString('utf8').replace('"delivered"', '"open"');
    expect(tampered).not.toBe(raw.toString('utf8'));
    expect(verifier.verifySignature(key, tampered, signature, timestamp)).toBe(false);
    expect(verifier.verifySignature(key, raw, signature, String(Number(timestamp) + 1))).toBe(false);
    // A signature forged with another key does not verify against the account's key.
    const forged = sendgridEventSignature(sendgridEventKeys().privateKey, timestamp, raw);
    expect(verifier.verifySignature(key, raw, forged, timestamp)).toBe(false);
  });

  it('posts Inbound Parse as multipart/form-data with the real fields', async () => {
    const inboundUrl = `${receiver.url}/webhooks/messaging/t1/sendgrid/inbound/secret-abc`;
    const response = await fake.postInboundParse(inboundUrl, {
      from: 'Ana <ana@example.com>',
      to: 'inbox@reply.bistro.example',
      subject: 'Re: Your booking',
      text: 'Can we make it 8pm?',
      headers: { 'In-Reply-To': '<abc@bistro.example>' },
    });
    expect(response.status).toBe(200);
    const { raw, headers } = receiver.last();
    expect(String(headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(raw, { headers: { 'content-type': String(headers['content-type']) } }).formData();
    expect(form.get('from')).toBe('Ana <ana@example.com>');
    expect(form.get('to')).toBe('inbox@reply.bistro.example');
    expect(form.get('subject')).toBe('Re: Your booking');
    expect(form.get('text')).toBe('Can we make it 8pm?');
    expect(form.get('attachments')).toBe('0');
    expect(form.get('SPF')).toBe('pass');
    expect(JSON.parse(String(form.get('envelope')))).toEqual({ to: ['inbox@reply.bistro.example'], from: 'ana@example.com' });
    expect(String(form.get('headers'))).toContain('In-Reply-To: <abc@bistro.example>');
    expect(form.has('dkim') && form.has('charsets') && form.has('sender_ip')).toBe(true);
  });
});

// ---- Meta (Messenger and Instagram) ----

describe('meta', async () => {
  const token = 'EAAG-page-token-1';
  const appSecret = 'meta-app-secret-1';
  const fake = await startMetaFake({ tokens: [token], appSecret });
  afterAll(() => fake.close());
  const client = metaClient({ accessToken: token, apiBaseUrl: fake.url });

  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('sends a reply inside the 24 h window and returns the message id', async () => {
    fake.openWindow('psid-100');
    const sent = await client.sendMessage({ recipientId: 'psid-100', text: 'Thanks for writing!' });
    expect(sent.recipientId).toBe('psid-100');
    expect(sent.messageId).toMatch(/^m_[A-Za-z0-9_-]+$/);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/v21.0/me/messages', status: 200 });
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(fake.sent.at(-1)).toMatchObject({ accountId: 'me', recipientId: 'psid-100', text: 'Thanks for writing!', messagingType: 'RESPONSE', messageId: sent.messageId });
  });

  it('sends as a given Page or Instagram account id', async () => {
    fake.openWindow('igsid-200');
    const ig = metaClient({ accessToken: token, apiBaseUrl: fake.url, version: 'v20.0' });
    await ig.sendMessage({ recipientId: 'igsid-200', text: 'Hi from Instagram', pageOrIgUserId: '17841400000000001' });
    expect(fake.requests[0]!.path).toBe('/v20.0/17841400000000001/messages');
    expect(fake.sent.at(-1)!.accountId).toBe('17841400000000001');
  });

  it('maps a send outside the window to a permanent 10 / 2018278, which a HUMAN_AGENT tag gets past', async () => {
    const error = await failure(() => client.sendMessage({ recipientId: 'psid-never-wrote', text: 'Hello?' }));
    expect(error).toMatchObject({ provider: 'meta', status: 400, code: '10', subcode: '2018278', retryable: false });
    expect(isPermanent(error)).toBe(true);
    fake.openWindow('psid-3-days', new Date(Date.now() - 3 * 24 * 60 * 60 * 1000));
    await expect(client.sendMessage({ recipientId: 'psid-3-days', text: 'Sorry for the wait', tag: 'HUMAN_AGENT' })).resolves.toHaveProperty('messageId');
    expect(fake.sent.at(-1)).toMatchObject({ messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('maps an unavailable recipient to a permanent 551', async () => {
    fake.openWindow('psid-blocked');
    fake.makeUnavailable('psid-blocked');
    const error = await failure(() => client.sendMessage({ recipientId: 'psid-blocked', text: 'Hi' }));
    expect(error).toMatchObject({ status: 400, code: '551', subcode: '1545041', retryable: false });
  });

  it('maps an invalid token to a permanent 190', async () => {
    const wrong = metaClient({ accessToken: 'EAAG-expired', apiBaseUrl: fake.url });
    const error = await failure(() => wrong.sendMessage({ recipientId: 'psid-100', text: 'Hi' }));
    expect(error).toMatchObject({ provider: 'meta', status: 400, code: '190', retryable: false });
    expect(error.message).toContain('Invalid OAuth access token');
  });

  it('maps rate limits to retryable errors, with the wait Meta reports', async () => {
    fake.openWindow('psid-100');
    fake.failNext(1, metaErrors.rateLimit);
    expect(await failure(() => client.sendMessage({ recipientId: 'psid-100', text: 'Hi' }))).toMatchObject({ status: 400, code: '613', retryable: true });
    fake.failNext(1, metaErrors.pageRateLimit);
    const page = await failure(() => client.sendMessage({ recipientId: 'psid-100', text: 'Hi' }));
    expect(page).toMatchObject({ code: '80001', retryable: true, retryAfterSeconds: 300 });
  });

  it('maps a 500 to a retryable error', async () => {
    fake.openWindow('psid-100');
    fake.failNext(1, metaErrors.serverError);
    expect(await failure(() => client.sendMessage({ recipientId: 'psid-100', text: 'Hi' }))).toMatchObject({ status: 500, code: '2', retryable: true });
  });

  it('maps a refused connection to status null, retryable', async () => {
    const down = metaClient({ accessToken: token, apiBaseUrl: await closedUrl(() => startMetaFake({ tokens: [token], appSecret })) });
    expect(await failure(() => down.sendMessage({ recipientId: 'psid-100', text: 'Hi' }))).toMatchObject({ provider: 'meta', status: null, code: 'ECONNREFUSED', retryable: true });
  });

  it('also takes the token as the access_token parameter, as Meta does', async () => {
    fake.openWindow('psid-100');
    const res = await fetch(`${fake.url}/v21.0/me/messages?access_token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ recipient: { id: 'psid-100' }, messaging_type: 'RESPONSE', message: { text: 'Hi' } }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ recipient_id: 'psid-100', message_id: expect.stringMatching(/^m_/) });
  });

  it('signs webhooks with X-Hub-Signature-256, which verifyMetaSignature accepts and a tampered body fails', async () => {
    const url = `${receiver.url}/webhooks/messaging/t1/meta`;
    for (const object of ['page', 'instagram'] as const) {
      const response = await fake.postMessage(url, { object, pageId: 'page-1', senderId: `sender-${object}`, text: 'Is it open today?' });
      expect(response.status).toBe(200);
      const { raw, headers } = receiver.last();
      const payload = JSON.parse(raw.toString('utf8')) as { object: string; entry: { id: string; time: number; messaging: Record<string, unknown>[] }[] };
      expect(payload).toMatchObject({
        object,
        entry: [{ id: 'page-1', messaging: [{ sender: { id: `sender-${object}` }, recipient: { id: 'page-1' }, message: { text: 'Is it open today?' } }] }],
      });
      expect(typeof payload.entry[0]!.messaging[0]!.timestamp).toBe('number');
      const signature = String(headers['x-hub-signature-256']);
      expect(signature).toBe(metaSignature(appSecret, raw));
      expect(verifyMetaSignature(appSecret, raw, signature)).toBe(true);
      expect(verifyMetaSignature(appSecret, Buffer.from(raw.toString('utf8').replace('open', 'shut')), signature)).toBe(false);
      expect(verifyMetaSignature('another-secret', raw, signature)).toBe(false);
    }
    expect(verifyMetaSignature(appSecret, '{}', undefined)).toBe(false);
    expect(verifyMetaSignature(appSecret, '{}', 'sha256=abc')).toBe(false);
    // The user wrote, so a reply now goes through.
    await expect(client.sendMessage({ recipientId: 'sender-page', text: 'Yes, until 10' })).resolves.toHaveProperty('messageId');
  });

  it('runs the verification handshake', async () => {
    const hub = await startReceiver(({ url }) =>
      url.searchParams.get('hub.mode') === 'subscribe' && url.searchParams.get('hub.verify_token') === 'verify-me'
        ? { status: 200, body: url.searchParams.get('hub.challenge') ?? '' }
        : { status: 403 },
    );
    try {
      const ok = await fake.verifyHandshake(`${hub.url}/webhooks/messaging/t1/meta`, 'verify-me');
      expect(ok.status).toBe(200);
      expect(ok.body).toBe(ok.challenge);
      expect((await fake.verifyHandshake(`${hub.url}/webhooks/messaging/t1/meta`, 'wrong')).status).toBe(403);
    } finally {
      await hub.close();
    }
  });
});

describe('errors', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('treats only a non-retryable ProviderError as permanent', () => {
    expect(isPermanent(new Error('boom'))).toBe(false);
    expect(isPermanent({ provider: 'twilio', retryable: false })).toBe(false);
  });
});
