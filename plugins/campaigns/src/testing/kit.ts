// What the campaign tests share: a real Soshogle with the CRM, messaging and campaigns
// plugins, the Twilio and SendGrid fakes its messages go to, and signed-in tenants
// connected to both, with contacts made through the CRM's API.
import { randomBytes } from 'node:crypto';
import { createLogger, loadConfig, startSoshogle, type Soshogle } from '@soshogle/core';
import { eventually, expectJson, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import crm from '@soshogle/plugin-crm';
import messaging from '@soshogle/plugin-messaging';
import { startSendgridFake } from '@soshogle/plugin-messaging/testing/sendgrid-fake';
import { startTwilioFake } from '@soshogle/plugin-messaging/testing/twilio-fake';
import { afterAll, expect } from 'vitest';
import campaigns from '../index.ts';
import type { CampaignCounts, ratesOf } from '../metrics.ts';

export const twilioAccount = { accountSid: `AC${'c'.repeat(32)}`, authToken: 'token-of-the-campaigns-tests-0123' };
export const sendgridKey = `SG.${'c'.repeat(22)}.${'k'.repeat(43)}`;

export type Problem = { errors: { field: string; message: string }[] };
export type Campaign = {
  id: string;
  name: string;
  type: 'SMS' | 'EMAIL';
  status: 'DRAFT' | 'SCHEDULED' | 'ACTIVE' | 'COMPLETED' | 'CANCELLED';
  targetTags: string[];
  smartListId: string | null;
  subject: string | null;
  message: string;
  html: string | null;
  scheduledAt: string | null;
  sentAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  recipientCount: number;
  skippedCount: number;
  sentCount: number;
  deliveredCount: number;
  openCount: number;
  clickCount: number;
  bounceCount: number;
  failedCount: number;
  unsubscribeCount: number;
};
/** What GET /metrics answers. */
export type Metrics = CampaignCounts & ReturnType<typeof ratesOf>;
export type Recipient = {
  id: string;
  contactId: string;
  messageId: string | null;
  status: string;
  reason: string | null;
  sendAfter: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  contact: { id: string; firstName: string; phone: string | null; email: string | null } | null;
};
export type Contact = { id: string; firstName: string; phone: string | null; email: string | null; tags: string[] };

let numbers = Math.floor(Math.random() * 5000);
/** A phone number no other contact of the run has (valid for the CRM's checks). */
export const newPhone = () => `+1512555${String(numbers++ % 10_000).padStart(4, '0')}`;
export const newEmail = (name: string) => `${name.toLowerCase()}-${randomBytes(4).toString('hex')}@example.com`;

export const base = '/api/campaigns/campaigns';

/** `env`: more settings for the app (WORKER_ENABLED: 'false' for an API-only process). */
export async function startCampaignKit(extraEnv: Record<string, string> = {}) {
  const twilio = await startTwilioFake({ accounts: [twilioAccount] });
  const sendgrid = await startSendgridFake({ apiKeys: [sendgridKey] });
  // Registered first, so they close after the app (after-hooks run in reverse).
  afterAll(async () => {
    await twilio.close();
    await sendgrid.close();
  });
  const env = { MESSAGING_TWILIO_API_URL: twilio.url, MESSAGING_SENDGRID_API_URL: sendgrid.url };
  const soshogle = await startTestSoshogle([crm, messaging, campaigns], { ...env, ...extraEnv });
  const { db } = soshogle;

  /**
   * Another Soshogle process on the same database (a second server with its own worker),
   * as a deployment runs several; stopped with the test file unless stopped before.
   */
  const others: Soshogle[] = [];
  afterAll(() => Promise.all(others.map((o) => o.stop())));
  async function startAnother(): Promise<Soshogle> {
    const more = { ...env, PUBLIC_URL: soshogle.url };
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATABASE_URL: soshogle.databaseUrl, ...more });
    const another = await startSoshogle(config, [crm, messaging, campaigns], createLogger('silent'), { ...process.env, ...more });
    others.push(another);
    return another;
  }
  let senders = Math.floor(Math.random() * 5000);

  /**
   * A signed-in tenant with Twilio (its own number) and SendGrid connected, no quiet
   * hours and fast send rates unless asked otherwise.
   */
  async function tenant(options: { smsPerSecond?: number } = {}) {
    const user = await signedInUser(soshogle);
    const number = `+1737555${String(senders++ % 10_000).padStart(4, '0')}`;
    const fromEmail = `shop-${randomBytes(3).toString('hex')}@shop.example.com`;
    await expectJson(await user.request('PUT', '/api/connections/messaging/twilio', { credentials: { ...twilioAccount, smsFrom: number } }), 200);
    await expectJson(
      await user.request('PUT', '/api/connections/messaging/sendgrid', {
        credentials: { apiKey: sendgridKey, fromEmail, fromName: 'The Shop', eventWebhookKey: sendgrid.eventWebhookPublicKey, inboundToken: randomBytes(24).toString('base64url') },
      }),
      200,
    );
    await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false, sendRates: { twilio: options.smsPerSecond ?? 1000, sendgrid: 1000 } }), 200);
    const hooks = `${soshogle.url}/webhooks/messaging/${user.userId}`;
    return { user, number, fromEmail, inboundUrl: `${hooks}/twilio/inbound`, eventsUrl: `${hooks}/sendgrid/events` };
  }

  /** A contact made through the CRM's API (a phone unless `phone: null`). */
  async function contact(user: TestClient, fields: { firstName: string; tags?: string[]; phone?: string | null; email?: string | null; [key: string]: unknown }) {
    const { phone = newPhone(), ...rest } = fields;
    return expectJson<Contact>(await user.request('POST', '/api/crm/contacts', { ...rest, ...(phone ? { phone } : {}) }), 201);
  }

  async function createCampaign(user: TestClient, body: Record<string, unknown>) {
    return expectJson<Campaign>(await user.request('POST', base, { name: 'Spring sale', type: 'SMS', message: 'Hi {{ contact.firstName }}!', ...body }), 201);
  }

  const campaignOf = async (user: TestClient, id: string) => expectJson<Campaign & { metrics: Metrics }>(await user.request('GET', `${base}/${id}`), 200);
  const metricsOf = async (user: TestClient, id: string) => expectJson<Metrics>(await user.request('GET', `${base}/${id}/metrics`), 200);
  const recipientsOf = async (user: TestClient, id: string) => (await expectJson<{ items: Recipient[] }>(await user.request('GET', `${base}/${id}/recipients?limit=200`), 200)).items;
  /** Waits for the campaign to reach `status` (its counters refreshed). */
  const reaches = (user: TestClient, id: string, status: Campaign['status'], ms = 15_000) =>
    eventually(async () => {
      const c = await campaignOf(user, id);
      return c.status === status ? c : null;
    }, ms);

  /** What the Twilio fake got from this tenant's number, by recipient. */
  function smsFrom(number: string) {
    const all = [...twilio.messages.values()].filter((m) => m.from === number);
    const byTo = new Map<string, typeof all>();
    for (const m of all) byTo.set(m.to, [...(byTo.get(m.to) ?? []), m]);
    return { all, byTo };
  }

  /** Every contact in `contacts` got exactly one SMS from `number`, and nobody else did. */
  function expectOneSmsEach(number: string, contacts: { phone: string | null }[], body?: (c: { phone: string | null }) => string) {
    const { all, byTo } = smsFrom(number);
    expect([...byTo.keys()].sort()).toEqual(contacts.map((c) => c.phone!).sort());
    for (const c of contacts) {
      expect(byTo.get(c.phone!), `messages to ${c.phone}`).toHaveLength(1);
      if (body) expect(byTo.get(c.phone!)![0]!.body).toBe(body(c));
    }
    expect(all).toHaveLength(contacts.length);
  }

  return { soshogle, startAnother, db, twilio, sendgrid, tenant, contact, createCampaign, campaignOf, metricsOf, recipientsOf, reaches, smsFrom, expectOneSmsEach };
}
