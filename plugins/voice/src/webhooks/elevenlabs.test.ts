// ElevenLabs' post-call webhook against the real server and database: the signature
// matrix (forged, tampered, expired, from the future, unsigned, unknown tenant), replays
// and reordering deduplicated and converging, an outbound call completed with its
// transcript and collected data, a busy one failed, an unknown conversation logged as an
// inbound call with its caller matched or made a contact, each call in the contact's
// conversation (messaging.record_call), and the triggers' filters.
import { eventRecorder, eventually, expectJson, queueSettled, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { audioOf, startElevenLabsFake, type ElevenLabsFake } from '../testing/elevenlabs-fake.ts';
import { voicePlugins } from '../testing/plugins.ts';
import { callCompleted, callFailed } from '../triggers.ts';

const fake: ElevenLabsFake = await startElevenLabsFake();
afterAll(() => fake.close());
const recorder = eventRecorder(['voice.call_completed', 'voice.call_failed']);
const soshogle = await startTestSoshogle(voicePlugins(recorder.plugin), { VOICE_ELEVENLABS_API_URL: fake.url });
const { db } = soshogle;

type Call = { id: string; status: string; direction: string; contactId: string | null; agentId: string | null; conversationId: string | null; summary: string | null; outcome: string | null; duration: number | null; collectedData: Record<string, unknown>; error: string | null; transcript: unknown[] };

const twilio = { twilioAccountSid: `AC${'2'.repeat(32)}`, twilioAuthToken: 'twilio-auth-token-0123456789' };
let nextPhone = 0;

async function tenant() {
  const user = await signedInUser(soshogle);
  const apiKey = `sk_${crypto.randomUUID().replaceAll('-', '')}`;
  const webhookSecret = `wsec_${crypto.randomUUID()}`;
  const webhookUrl = `${soshogle.url}/webhooks/voice/${user.userId}/elevenlabs`;
  fake.accounts.push({ apiKey, webhookSecret, webhookUrl });
  await expectJson(await user.request('PUT', '/api/connections/voice/elevenlabs', { credentials: { apiKey, webhookSecret, ...twilio } }), 200);
  await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false }), 200);
  const agent = await expectJson<{ id: string }>(await user.request('POST', '/api/voice/agents', { name: 'Desk' }), 201);
  await expectJson(await user.request('PUT', `/api/voice/agents/${agent.id}/number`, { phoneNumber: `+1512666${String(1000 + nextPhone++)}` }), 200);
  const pushed = await eventually(async () => {
    const a = await expectJson<{ push: { status: string; version: number; pushedVersion: number }; elevenLabsAgentId: string }>(await user.request('GET', `/api/voice/agents/${agent.id}`), 200);
    return a.push.status === 'SYNCED' && a.push.pushedVersion === a.push.version ? a : null;
  });
  const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Lead', phone: `+1737666${String(1000 + nextPhone++)}` } });
  return { user, webhookSecret, webhookUrl, agentId: agent.id, elevenLabsAgentId: pushed.elevenLabsAgentId, contact };
}

const callOf = async (user: TestClient, id: string) => expectJson<Call>(await user.request('GET', `/api/voice/calls/${id}`), 200);

/** An outbound call placed through the API and dialled at the fake; its conversation id. */
async function dialled(t: Awaited<ReturnType<typeof tenant>>) {
  const made = await expectJson<{ id: string }>(await t.user.request('POST', '/api/voice/calls', { agentId: t.agentId, contactId: t.contact.id }), 201);
  const call = await eventually(async () => {
    const c = await callOf(t.user, made.id);
    return c.conversationId ? c : null;
  });
  return { callId: made.id, conversationId: call.conversationId! };
}

const heardFor = (callId: string) => recorder.heard.filter((e) => e.payload.callId === callId);

describe('the post-call webhook', () => {
  it('refuses forged, tampered, expired, future-dated and unsigned deliveries, and an unknown tenant; changes nothing', async () => {
    const t = await tenant();
    const { callId, conversationId } = await dialled(t);
    const delivery = fake.finishCall(conversationId);
    const raw = JSON.stringify(delivery.body);
    const now = Math.floor(Date.now() / 1000);
    const signedAt = (secret: string, at: number, body = raw) => ({ body, sign: () => ({ 'ElevenLabs-Signature': fake.signature(secret, body, at) }) });
    expect((await fake.deliver(t.webhookUrl, signedAt('another-secret-0123456789', now))).status).toBe(401);
    expect((await fake.deliver(t.webhookUrl, { ...signedAt(t.webhookSecret, now), body: raw.replace('"success"', '"failure"') })).status).toBe(401);
    expect((await fake.deliver(t.webhookUrl, signedAt(t.webhookSecret, now - 3600))).status).toBe(401);
    expect((await fake.deliver(t.webhookUrl, signedAt(t.webhookSecret, now + 3600))).status).toBe(401);
    expect((await fake.deliver(t.webhookUrl, { body: raw, sign: false })).status).toBe(401);
    expect((await fake.deliver(t.webhookUrl, { body: raw, sign: () => ({ 'ElevenLabs-Signature': `t=${now},v0=${'0'.repeat(64)}` }) })).status).toBe(401);
    const stranger = `${soshogle.url}/webhooks/voice/c${'x'.repeat(24)}/elevenlabs`;
    expect((await fake.deliver(stranger, signedAt(t.webhookSecret, now))).status).toBe(404);
    expect((await callOf(t.user, callId)).status).toBe('QUEUED');
    // Within the window both ways (a clock a little behind or ahead) it is taken.
    expect((await fake.deliver(t.webhookUrl, signedAt(t.webhookSecret, now + 120))).status).toBe(200);
    expect((await callOf(t.user, callId)).status).toBe('COMPLETED');
  });

  it('completes an outbound call with its transcript, summary and collected data; a replay and a late failure change nothing', async () => {
    const t = await tenant();
    const { callId, conversationId } = await dialled(t);
    const delivery = fake.finishCall(conversationId, { dataCollection: { wants_booking: true, service: 'cleaning' }, summary: 'Wants a cleaning.', durationSecs: 75 });
    expect((await fake.deliver(delivery.url, { ...delivery, duplicate: 2 })).status).toBe(200);
    const call = await callOf(t.user, callId);
    expect(call).toMatchObject({ status: 'COMPLETED', summary: 'Wants a cleaning.', outcome: 'success', duration: 75, collectedData: { wants_booking: true, service: 'cleaning' } });
    expect(call.transcript).toHaveLength(2);
    // A failure report arriving after the transcript (reordered) does not undo the outcome.
    const late = { url: t.webhookUrl, body: { type: 'call_initiation_failure', event_timestamp: 1, data: { agent_id: t.elevenLabsAgentId, conversation_id: conversationId, failure_reason: 'busy', metadata: {} } } };
    expect((await fake.deliver(late.url, late)).status).toBe(200);
    expect((await callOf(t.user, callId)).status).toBe('COMPLETED');
    await eventually(async () => heardFor(callId).length > 0);
    await queueSettled(soshogle);
    expect(heardFor(callId)).toMatchObject([{ type: 'voice.call_completed', payload: { status: 'COMPLETED', outcome: 'success', collectedData: { wants_booking: true } } }]);

    // The call is in the contact's conversation, beside their texts: one entry, linked to the
    // call, with its outcome, the transcript turn by turn and where its recording plays.
    const recordingUrl = `/api/voice/calls/${callId}/recording`;
    expect(call).toMatchObject({ recordingUrl });
    const threads = await expectJson<{ items: { id: string; channel: string }[] }>(await t.user.request('GET', `/api/messaging/conversations?contactId=${t.contact.id}&channel=VOICE`), 200);
    expect(threads.items).toHaveLength(1);
    const entries = await expectJson<{ items: { content: string; direction: string; status: string; providerMessageId: string | null; sandbox: boolean; call: unknown }[] }>(
      await t.user.request('GET', `/api/messaging/conversations/${threads.items[0]!.id}/messages`),
      200,
    );
    expect(entries.items).toEqual([expect.objectContaining({ direction: 'OUTBOUND', status: 'DELIVERED', providerMessageId: callId, sandbox: false, content: 'Outgoing call, answered (1 min 15 s): Wants a cleaning.' })]);
    expect(entries.items[0]!.call).toEqual({
      callId,
      status: 'COMPLETED',
      duration: 75,
      outcome: 'success',
      summary: 'Wants a cleaning.',
      transcript: [
        { role: 'agent', text: 'Hello, this is the front desk. How can I help?', atSecond: 0 },
        { role: 'user', text: 'I would like to book a cleaning.', atSecond: 4 },
      ],
      recordingUrl,
    });
    // The recording needs ElevenLabs' key: our route fetches it through the SDK and streams it on.
    const audio = await t.user.request('GET', recordingUrl);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await audio.arrayBuffer())).toEqual(audioOf(conversationId));
    // Gone from ElevenLabs: a 404 in our words; with no connection left, a 409 saying why.
    fake.conversations.delete(conversationId);
    expect((await t.user.request('GET', recordingUrl)).status).toBe(404);
    expect((await t.user.request('DELETE', '/api/connections/voice/elevenlabs')).status).toBe(204);
    const disconnected = await t.user.request('GET', `/api/voice/calls/${callId}/recording`);
    expect(disconnected.status).toBe(409);
    expect(await disconnected.json()).toMatchObject({ detail: 'ElevenLabs is not connected any more: its recordings cannot be fetched' });
    expect((await t.user.request('POST', `/api/messaging/conversations/${threads.items[0]!.id}/messages`, { body: 'Hi' })).status).toBe(409);
  });

  it('finds the call by the id it carries when the webhook comes before the dial’s answer was recorded', async () => {
    const t = await tenant();
    const { callId, conversationId } = await dialled(t);
    await db.call.update({ where: { id: callId }, data: { conversationId: null, callSid: null } });
    const voicemail = fake.finishCall(conversationId, { result: 'voicemail' });
    expect((await fake.deliver(voicemail.url, voicemail)).status).toBe(200);
    expect(await callOf(t.user, callId)).toMatchObject({ status: 'VOICEMAIL', conversationId });
    await eventually(async () => heardFor(callId).length > 0);
    expect(heardFor(callId)).toMatchObject([{ type: 'voice.call_completed', payload: { status: 'VOICEMAIL' } }]);
  });

  it('fails a call the line was busy for, with the reason, and raises call_failed', async () => {
    const t = await tenant();
    const { callId, conversationId } = await dialled(t);
    const busy = fake.finishCall(conversationId, { result: 'busy' });
    expect((await fake.deliver(busy.url, busy)).status).toBe(200);
    expect(await callOf(t.user, callId)).toMatchObject({ status: 'BUSY', error: 'The call did not connect: busy', recordingUrl: null });
    // Nothing was said, nothing recorded: no recording to play.
    expect((await t.user.request('GET', `/api/voice/calls/${callId}/recording`)).status).toBe(404);
    await eventually(async () => heardFor(callId).length > 0);
    expect(heardFor(callId)).toMatchObject([{ type: 'voice.call_failed', payload: { status: 'BUSY', reason: 'The call did not connect: busy' } }]);
  });

  it('logs a call to an agent’s number as inbound, with the caller matched to their contact or made one', async () => {
    const t = await tenant();
    const number = [...fake.phoneNumbers.values()].find((n) => n.agentId === t.elevenLabsAgentId)!;
    const known = fake.inboundCall(number.id, t.contact.phone!);
    expect((await fake.deliver(t.webhookUrl, fake.finishCall(known.id))).status).toBe(200);
    const stranger = fake.inboundCall(number.id, '+17375550999');
    expect((await fake.deliver(t.webhookUrl, fake.finishCall(stranger.id))).status).toBe(200);
    const calls = await db.call.findMany({ where: { userId: t.user.userId, direction: 'INBOUND' }, orderBy: { createdAt: 'asc' } });
    expect(calls.map((c) => [c.from, c.voiceAgentId, c.status])).toEqual([
      [t.contact.phone, t.agentId, 'COMPLETED'],
      ['+17375550999', t.agentId, 'COMPLETED'],
    ]);
    expect(calls[0]!.contactId).toBe(t.contact.id);
    expect(await db.contact.findUnique({ where: { id: calls[1]!.contactId! } })).toMatchObject({ phone: '+17375550999', userId: t.user.userId });
  });
});

describe('the call triggers', () => {
  const payload = { callId: 'c1', agentId: 'a1', contactId: 'p1', direction: 'OUTBOUND' as const, status: 'COMPLETED' as const, outcome: 'success', duration: 30, summary: null, collectedData: { wants_booking: true, service: 'cleaning' }, reason: null };
  it('filter completed calls by agent, outcome and a collected field (and its value), failed ones by agent and status', () => {
    expect(callCompleted.matches({}, payload)).toBe(true);
    expect(callCompleted.matches({ agentId: 'a1', outcome: 'success', dataField: 'service', dataValue: 'cleaning' }, payload)).toBe(true);
    expect(callCompleted.matches({ agentId: 'a2' }, payload)).toBe(false);
    expect(callCompleted.matches({ outcome: 'failure' }, payload)).toBe(false);
    expect(callCompleted.matches({ dataField: 'budget' }, payload)).toBe(false);
    expect(callCompleted.matches({ dataField: 'wants_booking', dataValue: 'true' }, payload)).toBe(true);
    expect(callCompleted.matches({ dataField: 'service', dataValue: 'whitening' }, payload)).toBe(false);
    expect(callFailed.matches({ status: 'BUSY' }, { ...payload, status: 'BUSY' })).toBe(true);
    expect(callFailed.matches({ status: 'NO_ANSWER' }, { ...payload, status: 'BUSY' })).toBe(false);
  });
});
