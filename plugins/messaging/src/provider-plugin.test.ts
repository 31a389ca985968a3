// A provider shipped as its own plugin: "acme_sms" (declared here, as a separate package
// would declare it) serves messaging's SMS capability through a local HTTP API. A tenant
// connects it like any provider, and messaging sends through it without naming it.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildRegistry, definePlugin, defineProvider, PluginError } from '@soshogle/core';
import { eventually, expectJson, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Sent, TextMessage } from './capabilities.ts';
import messaging from './index.ts';
import { messagingPlugins } from './testing/plugins.ts';
import { startTwilioFake } from './testing/twilio-fake.ts';

/** Acme's API: POST /v1/sms with a bearer key, answers the message id. */
const received: { key: string | undefined; body: { from: string; to: string; text: string } }[] = [];
const readJson = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { from: string; to: string; text: string };
};
const acmeApi = createServer((req, res) => {
  void readJson(req).then((body) => {
    received.push({ key: req.headers.authorization?.replace(/^Bearer /, ''), body });
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `acme-${received.length}` }));
  });
});
await new Promise<void>((resolve) => acmeApi.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise((resolve) => acmeApi.close(resolve)));

const acmeConfig = z.object({ apiUrl: z.url() });
const acme = definePlugin({
  name: 'acme_sms',
  displayName: 'Acme SMS',
  description: 'SMS through Acme',
  config: acmeConfig,
  providers: [
    defineProvider({
      config: acmeConfig,
      provider: 'acme',
      displayName: 'Acme',
      description: 'SMS through your Acme account',
      credentials: z.object({ apiKey: z.string().min(10), from: z.string().regex(/^\+\d{8,15}$/) }),
      visible: ['from'],
      serves: {
        'messaging.sms': (ctx, account) => ({
          sendsPerSecond: 20,
          async send(message: TextMessage): Promise<Sent> {
            const res = await fetch(`${ctx.config.apiUrl}/v1/sms`, {
              method: 'POST',
              headers: { authorization: `Bearer ${account.apiKey}`, 'content-type': 'application/json' },
              body: JSON.stringify({ from: account.from, to: message.to, text: message.body }),
            });
            const { id } = (await res.json()) as { id: string };
            return { from: account.from, providerMessageId: id };
          },
        }),
      },
    }),
  ],
});

const twilioAccount = { accountSid: `AC${'c'.repeat(32)}`, authToken: 'token-of-account-c-0123456789' };
const twilioFake = await startTwilioFake({ accounts: [twilioAccount] });
afterAll(() => twilioFake.close());

const soshogle = await startTestSoshogle(messagingPlugins(acme), {
  ACME_SMS_API_URL: `http://127.0.0.1:${(acmeApi.address() as AddressInfo).port}`,
  MESSAGING_TWILIO_API_URL: twilioFake.url,
});
const { db } = soshogle;

type Message = { id: string; status: string; from: string; provider: string | null; providerMessageId: string | null; twilioSid: string | null; sandbox: boolean };
type ChannelMode = { channel: string; provider: string | null; mode: string; providers: string[] };

async function tenant() {
  const user = await signedInUser(soshogle);
  await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false }), 200);
  const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Ada', phone: `+1512555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}` } });
  const sms = async (body: string) => {
    const queued = await expectJson<Message>(await user.request('POST', '/api/messaging/messages', { contactId: contact.id, channel: 'SMS', body }), 202);
    return eventually(async () => {
      const row = await db.message.findUniqueOrThrow({ where: { id: queued.id } });
      return row.status === 'QUEUED' ? null : row;
    });
  };
  const channel = async (name: string) => (await expectJson<{ items: ChannelMode[] }>(await user.request('GET', '/api/messaging/channels'), 200)).items.find((c) => c.channel === name);
  return { user, contact, sms, channel };
}

const acmeCredentials = { apiKey: 'acme-key-0123456789', from: '+15125550199' };

describe('a provider shipped by another plugin', () => {
  it('is listed as a connection that serves the capability, and offered for the channel', async () => {
    const { user, channel } = await tenant();
    const { items } = await expectJson<{ items: { plugin: string; provider: string; serves: string[]; mode: string }[] }>(await user.request('GET', '/api/connections'), 200);
    expect(items).toContainEqual(expect.objectContaining({ plugin: 'acme_sms', provider: 'acme', serves: ['messaging.sms'], mode: 'sandbox' }));
    expect(items).toContainEqual(expect.objectContaining({ plugin: 'messaging', provider: 'twilio', serves: ['messaging.sms', 'messaging.whatsapp'] }));
    expect(await channel('SMS')).toEqual({ channel: 'SMS', provider: 'twilio', mode: 'sandbox', providers: ['twilio', 'acme'] });
    const catalog = await expectJson<{ plugins: { name: string; capabilities: { key: string; providers: { provider: string }[] }[] }[] }>(await fetch(`${soshogle.url}/api/catalog`), 200);
    const sms = catalog.plugins.find((p) => p.name === 'messaging')!.capabilities.find((c) => c.key === 'messaging.sms')!;
    expect(sms.providers.map((p) => p.provider)).toEqual(['twilio', 'acme']);
  });

  it('sends a tenant’s SMS once they connect it, and the message records it', async () => {
    const { user, contact, sms, channel } = await tenant();
    await expectJson(await user.request('PUT', '/api/connections/acme_sms/acme', { credentials: acmeCredentials }), 200);
    expect(await channel('SMS')).toMatchObject({ provider: 'acme', mode: 'live' });
    expect(await channel('WHATSAPP')).toMatchObject({ provider: 'twilio', mode: 'sandbox' });

    const sent = await sms('Your table is ready');
    expect(sent).toMatchObject({ status: 'SENT', sandbox: false, provider: 'acme', from: acmeCredentials.from, twilioSid: null });
    const atAcme = received.find((r) => r.body.text === 'Your table is ready');
    expect(atAcme).toEqual({ key: acmeCredentials.apiKey, body: { from: acmeCredentials.from, to: contact.phone, text: 'Your table is ready' } });
    expect(sent.providerMessageId).toBe(`acme-${received.indexOf(atAcme!) + 1}`);
  });

  it('serves instead of Twilio when connected after it, until its connection is removed', async () => {
    const { user, sms } = await tenant();
    await expectJson(await user.request('PUT', '/api/connections/messaging/twilio', { credentials: { ...twilioAccount, smsFrom: '+15125550100' } }), 200);
    expect(await sms('via twilio')).toMatchObject({ status: 'SENT', provider: 'twilio', twilioSid: expect.stringMatching(/^SM/) });

    await expectJson(await user.request('PUT', '/api/connections/acme_sms/acme', { credentials: acmeCredentials }), 200);
    // Re-saving Twilio's credentials does not make it the newer connection.
    await expectJson(await user.request('PUT', '/api/connections/messaging/twilio', { credentials: { ...twilioAccount, smsFrom: '+15125550100' } }), 200);
    expect(await sms('via acme')).toMatchObject({ status: 'SENT', provider: 'acme', twilioSid: null });

    expect((await user.request('DELETE', '/api/connections/acme_sms/acme')).status).toBe(204);
    expect(await sms('via twilio again')).toMatchObject({ status: 'SENT', provider: 'twilio' });
  });
});

describe('registering providers', () => {
  it('refuses a provider for a capability no enabled plugin declares, naming the plugin to enable', () => {
    expect(() => buildRegistry([acme], { ACME_SMS_API_URL: 'http://127.0.0.1:1' })).toThrowError(
      new PluginError('Provider "acme" of plugin "acme_sms" serves "messaging.sms", which no enabled plugin declares as a capability. Enable "messaging" in PLUGINS or disable "acme_sms".'),
    );
  });

  it('refuses two providers of one name', () => {
    // Messaging's capabilities without the rest of it (its subscribers need the core's events).
    const owner = definePlugin({ name: 'messaging', displayName: 'Messaging', description: '', capabilities: messaging.capabilities });
    const copy = definePlugin({ name: 'other_sms', displayName: 'Other', description: '', providers: acme.providers });
    expect(buildRegistry([owner, acme], { ACME_SMS_API_URL: 'http://127.0.0.1:1' }).providers.get('messaging.sms')).toHaveLength(1);
    expect(() => buildRegistry([owner, acme, copy], { ACME_SMS_API_URL: 'http://127.0.0.1:1' })).toThrowError(
      new PluginError('Provider "acme" is declared by both "acme_sms" and "other_sms": provider names must be unique'),
    );
  });
});
