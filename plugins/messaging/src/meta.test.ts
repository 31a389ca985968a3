// Facebook Messenger and Instagram end to end: a local fake of Meta's Send API (with the
// 24-hour window), webhooks signed Meta's way, a real server, worker and database.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { applied, eventRecorder, eventually, expectJson, queueSettled, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { messagingPlugins } from './testing/plugins.ts';
import { metaErrors, startMetaFake } from './testing/meta-fake.ts';
import { metaSignature, metaSignatureSha1 } from './testing/signing.ts';

const accountA = { pageAccessToken: 'page-access-token-of-a-0123456789', appSecret: 'app-secret-of-a-0123456789', verifyToken: 'verify-token-of-a' };
const accountB = { pageAccessToken: 'page-access-token-of-b-0123456789', appSecret: 'app-secret-of-b-0123456789', verifyToken: 'verify-token-of-b' };
const pageId = '104857600000001';
// The fake signs its webhooks with A's app secret; B's are signed by hand below.
const fake = await startMetaFake({ tokens: [accountA.pageAccessToken, accountB.pageAccessToken], appSecret: accountA.appSecret });
afterAll(() => fake.close());

const { plugin: recorder, heard } = eventRecorder(['core.message_received']);
const soshogle = await startTestSoshogle(messagingPlugins(recorder), { MESSAGING_META_API_URL: fake.url });
const { db } = soshogle;

type Message = { id: string; status: string; to: string; content: string; metaMid: string | null; error: string | null; needsReview: boolean; conversationId: string };
type MetaObject = 'page' | 'instagram';

/** A signed-in tenant with a Meta connection, and its own webhook URL. */
async function tenant(account = accountA) {
  const user = await signedInUser(soshogle);
  await expectJson(await user.request('PUT', '/api/connections/messaging/meta', { credentials: account }), 200);
  // No quiet hours unless a test sets them: tests run at any hour.
  await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false }), 200);
  return { user, url: `${soshogle.url}/webhooks/messaging/${user.userId}/meta` };
}

/** A page-scoped id, as Meta gives each person per Page. */
const newPsid = () => `${randomInt(1e7, 1e8)}${randomInt(1e7, 1e8)}`;
const newMid = () => `m_${randomBytes(24).toString('base64url')}`;

/** A webhook delivery: events from (or about) `psid`, in one entry of the Page. */
const delivery = (object: MetaObject, events: Record<string, unknown>[]) => ({ object, entry: [{ id: pageId, time: Date.now(), messaging: events }] });
const about = (psid: string, event: Record<string, unknown>) => ({ sender: { id: psid }, recipient: { id: pageId }, timestamp: Date.now(), ...event });
const messageEvent = (psid: string, mid: string, text: string) => about(psid, { message: { mid, text } });

/** POSTs a raw body with the given X-Hub-Signature-256 (or none). */
const post = (url: string, body: string, signature: string | null, headers: Record<string, string> = {}) =>
  applied(soshogle, fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }), ...headers }, body }));
const signedPost = (url: string, payload: unknown, appSecret: string) => {
  const body = JSON.stringify(payload);
  return post(url, body, metaSignature(appSecret, body));
};

const reply = (user: TestClient, conversationId: string, body: string) => user.request('POST', `/api/messaging/conversations/${conversationId}/messages`, { body });
const messageOf = (id: string) => db.message.findUniqueOrThrow({ where: { id } });
const settled = (id: string) => eventually(async () => ((await messageOf(id)).status !== 'QUEUED' || (await messageOf(id)).needsReview ? messageOf(id) : null));
const conversationOf = (tenantId: string, channel: 'FACEBOOK' | 'INSTAGRAM', address: string) =>
  db.conversation.findFirstOrThrow({ where: { userId: tenantId, channel, address }, include: { contact: true } });
/** Delivery jobs still waiting for a message (a retry scheduled later); a finished job leaves none. */
const pendingJobs = async (messageId: string) =>
  (await db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker._private_jobs where payload::text like ${`%${messageId}%`}`)[0]!.n;

/** A person writes to the tenant's Page (opening the 24-hour window); returns their conversation. */
async function personWrites(tenantId: string, url: string, psid = newPsid(), object: MetaObject = 'page') {
  expect((await fake.postMessage(url, { object, pageId, senderId: psid, text: 'Hello there' })).status).toBe(200);
  return { psid, conversation: await conversationOf(tenantId, object === 'page' ? 'FACEBOOK' : 'INSTAGRAM', psid) };
}

/** A reply from the inbox, sent through the fake. */
async function sentReply(user: TestClient, conversationId: string, body: string) {
  const queued = await expectJson<Message>(await reply(user, conversationId, body), 202);
  const sent = await settled(queued.id);
  expect(sent).toMatchObject({ status: 'SENT', error: null });
  return sent;
}

describe('the subscription handshake', () => {
  it("answers the challenge for the tenant's verify token, 403 for any other (or no connection), 404 for an unknown tenant", async () => {
    const { url } = await tenant();
    const ok = await fake.verifyHandshake(url, accountA.verifyToken);
    expect(ok).toMatchObject({ status: 200, body: ok.challenge });
    expect((await fake.verifyHandshake(url, 'not-the-verify-token')).status).toBe(403);
    expect((await fake.verifyHandshake(url, accountB.verifyToken)).status).toBe(403);
    expect((await fake.verifyHandshake(url, `${accountA.verifyToken}x`)).status).toBe(403);
    const unsubscribe = new URL(url);
    unsubscribe.search = new URLSearchParams({ 'hub.mode': 'unsubscribe', 'hub.verify_token': accountA.verifyToken, 'hub.challenge': '42' }).toString();
    expect((await fetch(unsubscribe)).status).toBe(403);

    const unconnected = await signedInUser(soshogle);
    expect((await fake.verifyHandshake(`${soshogle.url}/webhooks/messaging/${unconnected.userId}/meta`, accountA.verifyToken)).status).toBe(403);
    expect((await fake.verifyHandshake(`${soshogle.url}/webhooks/messaging/no-such-tenant/meta`, accountA.verifyToken)).status).toBe(404);
  });
});

describe('inbound messages', () => {
  it('creates a "Facebook user" for a new PSID with a FACEBOOK conversation, raises message_received, and keeps the next message in that conversation', async () => {
    const { user, url } = await tenant();
    const psid = newPsid();
    expect((await fake.postMessage(url, { object: 'page', pageId, senderId: psid, text: 'Are you open on Sunday?' })).status).toBe(200);
    const conversation = await conversationOf(user.userId, 'FACEBOOK', psid);
    expect(conversation.contact).toMatchObject({ firstName: 'Facebook user', source: 'inbound', phone: null, email: null });
    const first = await db.message.findFirstOrThrow({ where: { conversationId: conversation.id } });
    expect(first).toMatchObject({ direction: 'INBOUND', channel: 'FACEBOOK', content: 'Are you open on Sunday?', from: psid, to: pageId });
    expect(first.metaMid).toMatch(/^m_/);
    const event = await eventually(async () => heard.find((e) => e.payload.messageId === first.id));
    expect(event).toMatchObject({ type: 'core.message_received', payload: { contactId: conversation.contactId, channel: 'FACEBOOK', body: 'Are you open on Sunday?' } });

    expect((await fake.postMessage(url, { object: 'page', pageId, senderId: psid, text: 'And on Monday?' })).status).toBe(200);
    expect(await db.message.count({ where: { conversationId: conversation.id, direction: 'INBOUND' } })).toBe(2);
    expect(await db.contact.count({ where: { userId: user.userId } })).toBe(1);
    expect(await db.conversation.count({ where: { userId: user.userId } })).toBe(1);
  });

  it('does the same for Instagram (an "Instagram user", an INSTAGRAM conversation), and records an attachment without text as such', async () => {
    const { user, url } = await tenant();
    const igsid = newPsid();
    expect((await fake.postMessage(url, { object: 'instagram', pageId, senderId: igsid, text: 'Do you ship to Canada?' })).status).toBe(200);
    const conversation = await conversationOf(user.userId, 'INSTAGRAM', igsid);
    expect(conversation.contact).toMatchObject({ firstName: 'Instagram user', source: 'inbound' });
    const first = await db.message.findFirstOrThrow({ where: { conversationId: conversation.id } });
    await eventually(async () => heard.find((e) => e.payload.messageId === first.id && e.payload.channel === 'INSTAGRAM'));

    const photo = about(igsid, { message: { mid: newMid(), attachments: [{ type: 'image', payload: { url: 'https://example.test/p.jpg' } }] } });
    expect((await fake.postWebhook(url, delivery('instagram', [photo]))).status).toBe(200);
    const contents = (await db.message.findMany({ where: { conversationId: conversation.id }, orderBy: { createdAt: 'asc' } })).map((m) => m.content);
    expect(contents).toEqual(['Do you ship to Canada?', '[attachment]']);
    expect(await db.contact.count({ where: { userId: user.userId } })).toBe(1);
  });

  it("ignores echoes of the Page's own messages", async () => {
    const { user, url } = await tenant();
    const { psid, conversation } = await personWrites(user.userId, url);
    const echoMid = newMid();
    // An echo comes from the Page to the person: handled as inbound, it would make the Page a contact.
    const echo = { sender: { id: pageId }, recipient: { id: psid }, timestamp: Date.now(), message: { mid: echoMid, text: 'Sent from the Meta inbox', is_echo: true, app_id: 1517 } };
    expect((await fake.postWebhook(url, delivery('page', [echo]))).status).toBe(200);
    expect(await db.message.count({ where: { userId: user.userId, metaMid: echoMid } })).toBe(0);
    expect(await db.message.count({ where: { conversationId: conversation.id } })).toBe(1);
    expect(await db.contact.count({ where: { userId: user.userId } })).toBe(1);
  });
});

describe('replies', () => {
  it('sends a reply from the conversation to the PSID within the window, then follows delivery and read receipts', async () => {
    const { user, url } = await tenant();
    const { psid, conversation } = await personWrites(user.userId, url);
    const sent = await sentReply(user, conversation.id, 'Yes, 10 to 4');
    expect(sent).toMatchObject({ to: psid, content: 'Yes, 10 to 4' });
    const atMeta = fake.sent.filter((s) => s.recipientId === psid);
    expect(atMeta).toEqual([expect.objectContaining({ text: 'Yes, 10 to 4', messageId: sent.metaMid, token: accountA.pageAccessToken, messagingType: 'RESPONSE' })]);

    const delivered = delivery('page', [about(psid, { delivery: { mids: [sent.metaMid], watermark: Date.now() } })]);
    expect((await fake.postWebhook(url, delivered)).status).toBe(200);
    expect((await messageOf(sent.id)).status).toBe('DELIVERED');
    expect((await fake.postWebhook(url, delivery('page', [about(psid, { read: { watermark: Date.now() } })]))).status).toBe(200);
    expect((await messageOf(sent.id)).status).toBe('READ');
    // A late delivery receipt does not move it back.
    expect((await fake.postWebhook(url, delivered)).status).toBe(200);
    expect((await messageOf(sent.id)).status).toBe('READ');
    const detail = await expectJson<{ events: { type: string }[] }>(await user.request('GET', `/api/messaging/messages/${sent.id}`), 200);
    expect(detail.events.map((e) => e.type)).toEqual(['delivered', 'read']);
  });

  it('an Instagram read receipt naming the message seen marks it and those before it READ', async () => {
    const { user, url } = await tenant();
    const { psid, conversation } = await personWrites(user.userId, url, newPsid(), 'instagram');
    const first = await sentReply(user, conversation.id, 'First');
    const second = await sentReply(user, conversation.id, 'Second');
    const later = await sentReply(user, conversation.id, 'Later');
    expect((await fake.postWebhook(url, delivery('instagram', [about(psid, { read: { mid: second.metaMid } })]))).status).toBe(200);
    expect((await messageOf(first.id)).status).toBe('READ');
    expect((await messageOf(second.id)).status).toBe('READ');
    expect((await messageOf(later.id)).status).toBe('SENT');
  });

  it("fails a reply outside the 24-hour window for good, with Meta's reason, and never retries it", async () => {
    const { user, url } = await tenant();
    const { psid, conversation } = await personWrites(user.userId, url);
    fake.closeWindow(psid);
    const queued = await expectJson<Message>(await reply(user, conversation.id, 'Still interested?'), 202);
    const failed = await settled(queued.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toContain('outside of allowed window');
    expect(failed.error).toContain('meta error 10');
    await queueSettled(soshogle);
    expect(fake.requests.filter((r) => r.raw.includes(psid))).toHaveLength(1);
    expect(await pendingJobs(queued.id)).toBe(0n);
  });

  it('retries a reply Meta throttled (code 613) later, and sends it once', async () => {
    const { user, url } = await tenant();
    const { psid, conversation } = await personWrites(user.userId, url);
    fake.failNext(1, metaErrors.rateLimit);
    const queued = await expectJson<Message>(await reply(user, conversation.id, 'After the rush'), 202);
    const sent = await settled(queued.id);
    expect(sent).toMatchObject({ status: 'SENT', error: null, needsReview: false });
    expect(fake.requests.filter((r) => r.raw.includes(psid)).map((r) => r.status)).toEqual([400, 200]);
    expect(fake.sent.filter((s) => s.recipientId === psid)).toHaveLength(1);
  });
});

describe('webhook security', () => {
  it('refuses missing, forged, tampered and malformed signatures; answers a signed malformed body 400; a replay changes nothing', async () => {
    const { user, url } = await tenant();
    const mid = newMid();
    const body = JSON.stringify(delivery('page', [messageEvent(newPsid(), mid, 'matrix')]));
    const good = metaSignature(accountA.appSecret, body);
    expect((await post(url, body, null)).status).toBe(401);
    // Only the SHA-1 header Meta also sends: not enough.
    expect((await post(url, body, null, { 'x-hub-signature': metaSignatureSha1(accountA.appSecret, body) })).status).toBe(401);
    expect((await post(url, body, metaSignature('another-app-secret-0123', body))).status).toBe(401);
    expect((await post(url, body.replace('matrix', 'tampered'), good)).status).toBe(401);
    expect((await post(url, body, 'sha256=zz')).status).toBe(401);
    expect((await post(url, body, good.slice(0, -2))).status).toBe(401);
    expect((await post(url, body, `${good}zz`)).status).toBe(401);
    expect((await post(url, body, `md5=${createHash('md5').update(body).digest('hex')}`)).status).toBe(401);
    expect((await post(url, body, good.replace('sha256=', ''))).status).toBe(401);
    expect(await db.message.count({ where: { userId: user.userId } })).toBe(0);

    const signed = (raw: string) => post(url, raw, metaSignature(accountA.appSecret, raw));
    expect((await signed('{"object":"page","entry":[')).status).toBe(400);
    expect((await signed(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: pageId, changes: [] }] }))).status).toBe(400);
    expect((await signed(JSON.stringify(delivery('page', [about(newPsid(), { message: { text: 'no mid' } })])))).status).toBe(400);

    expect(await expectJson(await post(url, body, good), 200)).toEqual({ received: true });
    expect(await expectJson(await post(url, body, good), 200)).toEqual({ received: true, duplicate: true });
    expect(await db.message.count({ where: { userId: user.userId, metaMid: mid } })).toBe(1);
  });

  it('a delivery replayed later, re-batched into another payload, creates nothing new ("expired": Meta signs no timestamp)', async () => {
    const { user, url } = await tenant();
    const psid = newPsid();
    const mid = newMid();
    expect((await fake.postWebhook(url, delivery('page', [messageEvent(psid, mid, 'once')]))).status).toBe(200);
    // The same message in a new envelope (new times): the same delivery.
    const later = { object: 'page', entry: [{ time: Date.now() + 60_000, id: pageId, messaging: [{ ...messageEvent(psid, mid, 'once'), timestamp: Date.now() + 60_000 }] }] };
    expect(await expectJson(await fake.postWebhook(url, later), 200)).toEqual({ received: true, duplicate: true });
    // Batched with a new message: a new delivery, but the message already held is not stored again.
    const newer = newMid();
    const rebatched = delivery('page', [messageEvent(psid, newer, 'new one'), messageEvent(psid, mid, 'once')]);
    expect(await expectJson(await fake.postWebhook(url, rebatched), 200)).toEqual({ received: true });
    expect(await db.message.count({ where: { userId: user.userId, metaMid: mid } })).toBe(1);
    expect(await db.message.count({ where: { userId: user.userId, metaMid: newer } })).toBe(1);
    const stored = await db.message.findMany({ where: { userId: user.userId }, select: { id: true } });
    expect(stored).toHaveLength(2);
    await queueSettled(soshogle);
    const ids = new Set(stored.map((m) => m.id));
    expect(heard.filter((e) => ids.has(e.payload.messageId))).toHaveLength(2);
  });

  it("keeps tenants apart: receipts naming another tenant's message change nothing, and one tenant's signature is refused on another's URL", async () => {
    const a = await tenant(accountA);
    const b = await tenant(accountB);
    const { psid, conversation } = await personWrites(a.user.userId, a.url);
    const sent = await sentReply(a.user, conversation.id, 'for A only');

    // B, signing correctly for its own URL, reports A's message delivered and read.
    expect((await signedPost(b.url, delivery('page', [about(psid, { delivery: { mids: [sent.metaMid], watermark: Date.now() } })]), accountB.appSecret)).status).toBe(200);
    expect((await signedPost(b.url, delivery('page', [about(psid, { read: { watermark: Date.now() } })]), accountB.appSecret)).status).toBe(200);
    expect((await signedPost(b.url, delivery('instagram', [about(psid, { read: { mid: sent.metaMid } })]), accountB.appSecret)).status).toBe(200);
    expect(await messageOf(sent.id)).toMatchObject({ status: 'SENT' });
    expect(await db.messageEvent.count({ where: { messageId: sent.id } })).toBe(0);
    expect(await db.conversation.count({ where: { userId: b.user.userId } })).toBe(0);

    // A's own receipt for the same mid still counts: B could not use up its delivery id.
    expect(await expectJson(await fake.postWebhook(a.url, delivery('page', [about(psid, { delivery: { mids: [sent.metaMid] } })])), 200)).toEqual({ received: true });
    expect((await messageOf(sent.id)).status).toBe('DELIVERED');

    // A message to B's URL signed with A's app secret is refused.
    expect((await signedPost(b.url, delivery('page', [messageEvent(newPsid(), newMid(), 'to B as A')]), accountA.appSecret)).status).toBe(401);
    expect(await db.message.count({ where: { userId: b.user.userId } })).toBe(0);
  });
});
