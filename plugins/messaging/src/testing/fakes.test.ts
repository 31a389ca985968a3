// The provider fakes' webhooks through the kit's delivery: duplicated and reordered, each
// copy still signed the provider's way (checked with the providers' own verifiers).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventWebhook } from '@sendgrid/eventwebhook';
import twilio from 'twilio';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startMetaFake } from './meta-fake.ts';
import { startSendgridFake } from './sendgrid-fake.ts';
import { metaSignature } from './signing.ts';
import { startTwilioFake } from './twilio-fake.ts';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}
const received: Received[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) });
    res.writeHead(200).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
});

const form = (raw: Buffer) => Object.fromEntries(new URLSearchParams(raw.toString('utf8')));

describe('twilio fake', () => {
  const account = { accountSid: 'AC' + 'f'.repeat(32), authToken: 'fakes-test-token' };
  const statusUrl = `${base}/twilio/status`;

  it('delivers status callbacks out of order and duplicated, each copy validating with twilio.validateRequest', async () => {
    const fake = await startTwilioFake({ accounts: [account] });
    try {
      const res = await fetch(`${fake.url}/2010-04-01/Accounts/${account.accountSid}/Messages.json`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}` },
        body: new URLSearchParams({ To: '+14155550100', From: '+15005550006', Body: 'Hi', StatusCallback: statusUrl }),
      });
      const { sid } = (await res.json()) as { sid: string };
      expect(fake.requests[0]).toMatchObject({ params: { account: account.accountSid }, body: { To: '+14155550100' }, status: 201 });

      await fake.deliverAll([fake.statusCallback(sid, 'sent'), fake.statusCallback(sid, 'delivered')], { order: 'reverse' });
      await fake.sendStatus(sid, 'read', { duplicate: 1 });
      expect(received.map((r) => form(r.raw).MessageStatus)).toEqual(['delivered', 'sent', 'read', 'read']);
      for (const r of received) {
        expect(twilio.validateRequest(account.authToken, String(r.headers['x-twilio-signature']), statusUrl, form(r.raw))).toBe(true);
      }
      // A retry carries the event's idempotency token again; another event has its own.
      const tokens = received.map((r) => r.headers['i-twilio-idempotency-token']);
      expect(tokens[2]).toBe(tokens[3]);
      expect(new Set(tokens).size).toBe(3);
    } finally {
      await fake.close();
    }
  });
});

describe('sendgrid fake', () => {
  it('delivers a duplicated event batch, each copy verifying with @sendgrid/eventwebhook', async () => {
    const fake = await startSendgridFake({ apiKeys: ['SG.fakes'] });
    try {
      const res = await fetch(`${fake.url}/v3/mail/send`, {
        method: 'POST',
        headers: { authorization: 'Bearer SG.fakes', 'content-type': 'application/json' },
        body: JSON.stringify({ personalizations: [{ to: [{ email: 'ana@example.com' }] }], from: { email: 'hi@bistro.example' }, subject: 'Hi', content: [{ type: 'text/plain', value: 'Hi' }] }),
      });
      expect(res.status).toBe(202);
      const messageId = res.headers.get('x-message-id')!;
      await fake.postEvents(`${base}/sendgrid/events`, [fake.event(messageId, 'delivered')], { duplicate: 1 });
      expect(received).toHaveLength(2);
      const verifier = new EventWebhook();
      const key = verifier.convertPublicKeyToECDSA(fake.eventWebhookPublicKey);
      for (const r of received) {
        const signature = String(r.headers['x-twilio-email-event-webhook-signature']);
        const timestamp = String(r.headers['x-twilio-email-event-webhook-timestamp']);
        expect(verifier.verifySignature(key, r.raw, signature, timestamp)).toBe(true);
      }
      expect(received[0]!.raw.equals(received[1]!.raw)).toBe(true);
    } finally {
      await fake.close();
    }
  });
});

describe('meta fake', () => {
  it('delivers webhooks reordered, each signed with X-Hub-Signature-256 over its bytes', async () => {
    const fake = await startMetaFake({ tokens: ['EAAG-fakes'], appSecret: 'meta-app-secret' });
    try {
      const url = `${base}/meta`;
      const first = fake.messageWebhook(url, { object: 'page', pageId: 'page-1', senderId: 'psid-1', text: 'first' });
      const second = fake.messageWebhook(url, { object: 'page', pageId: 'page-1', senderId: 'psid-1', text: 'second' });
      await fake.deliverAll([first, second], { order: [1, 0] });
      const texts = received.map((r) => (JSON.parse(r.raw.toString('utf8')) as { entry: { messaging: { message: { text: string } }[] }[] }).entry[0]!.messaging[0]!.message.text);
      expect(texts).toEqual(['second', 'first']);
      for (const r of received) expect(r.headers['x-hub-signature-256']).toBe(metaSignature('meta-app-secret', r.raw));
    } finally {
      await fake.close();
    }
  });
});
