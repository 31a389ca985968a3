// Outbound calls against the real server, database and worker, and the ElevenLabs fake
// through the official SDK: the contact's consent and quiet hours asked of messaging, one
// call per Idempotency-Key and per step, a sandbox call scripted to its end, and one dial
// per call whatever retries and a second worker do (an unanswered dial goes to review).
import { eventRecorder, eventually, expectJson, queueSettled, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startElevenLabsFake, type ElevenLabsFake } from '../testing/elevenlabs-fake.ts';
import { voicePlugins } from '../testing/plugins.ts';

const fake: ElevenLabsFake = await startElevenLabsFake();
afterAll(() => fake.close());
const recorder = eventRecorder(['voice.call_completed', 'voice.call_failed']);
const soshogle = await startTestSoshogle(voicePlugins(recorder.plugin), { VOICE_ELEVENLABS_API_URL: fake.url });
const { db } = soshogle;

type Call = { id: string; status: string; sandbox: boolean; needsReview: boolean; conversationId: string | null; callSid: string | null; dialAt: string | null; error: string | null; to: string; outcome: string | null; recordingUrl: string | null };
type Problem = { status: number; errors?: { field: string; message: string }[] };

const twilio = { twilioAccountSid: `AC${'1'.repeat(32)}`, twilioAuthToken: 'twilio-auth-token-0123456789' };
let nextPhone = 0;

/** A tenant (connected to the fake, or in sandbox mode) with an agent on a number and a contact to call, quiet hours off. */
async function tenant(connected: boolean) {
  const user = await signedInUser(soshogle);
  const apiKey = `sk_${crypto.randomUUID().replaceAll('-', '')}`;
  if (connected) {
    const webhookSecret = `wsec_${crypto.randomUUID()}`;
    fake.accounts.push({ apiKey, webhookSecret, webhookUrl: `${soshogle.url}/webhooks/voice/${user.userId}/elevenlabs` });
    await expectJson(await user.request('PUT', '/api/connections/voice/elevenlabs', { credentials: { apiKey, webhookSecret, ...twilio } }), 200);
  }
  await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: false }), 200);
  const agent = await expectJson<{ id: string }>(await user.request('POST', '/api/voice/agents', { name: 'Caller', firstMessage: 'Hi!' }), 201);
  await expectJson(await user.request('PUT', `/api/voice/agents/${agent.id}/number`, { phoneNumber: `+1512555${String(1000 + nextPhone++)}` }), 200);
  if (connected) {
    await eventually(async () => {
      const a = await expectJson<{ push: { status: string; version: number; pushedVersion: number } }>(await user.request('GET', `/api/voice/agents/${agent.id}`), 200);
      return a.push.status === 'SYNCED' && a.push.pushedVersion === a.push.version;
    });
  }
  const contact = await db.contact.create({ data: { userId: user.userId, firstName: 'Lead', phone: `+1737555${String(1000 + nextPhone++)}` } });
  return { user, apiKey, agentId: agent.id, contact };
}

const callOf = (user: TestClient, id: string) => user.request('GET', `/api/voice/calls/${id}`);
const place = (user: TestClient, body: object, key?: string) => user.request('POST', '/api/voice/calls', body, key ? { 'Idempotency-Key': key } : undefined);
const dials = (apiKey: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/convai/twilio/outbound-call' && r.headers['xi-api-key'] === apiKey);
const enqueueDial = (tenantId: string, callId: string) =>
  soshogle.tenantContext('voice', tenantId).db.$transaction((tx) => soshogle.tenantContext('voice', tenantId).jobs.enqueue(tx, 'voice.dial_call', { callId }, { tenantId }));

describe('placing a call', () => {
  it('in sandbox mode plays a scripted call to its end, once per Idempotency-Key, and raises call_completed', async () => {
    const { user, agentId, contact } = await tenant(false);
    const made = await expectJson<Call>(await place(user, { agentId, contactId: contact.id }, 'button-1'), 201);
    expect(made).toMatchObject({ status: 'QUEUED', sandbox: true, to: contact.phone });
    expect((await expectJson<Call>(await place(user, { agentId, contactId: contact.id }, 'button-1'), 201)).id).toBe(made.id);
    const done = await eventually(async () => {
      const call = await expectJson<Call & { transcript: unknown[] }>(await callOf(user, made.id), 200);
      return call.status === 'COMPLETED' ? call : null;
    });
    expect(done.transcript.length).toBeGreaterThan(0);
    // It ends as a real call would: judged by the agent, with a recording to play (simulated).
    expect(done).toMatchObject({ outcome: 'success', recordingUrl: `/api/voice/calls/${made.id}/recording` });
    const audio = await user.request('GET', done.recordingUrl!);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await audio.arrayBuffer()).subarray(0, 12).toString('latin1')).toMatch(/^RIFF....WAVE$/s);
    // Its entry in the contact's conversation says it was simulated, as sandbox messages do.
    const threads = await expectJson<{ items: { id: string }[] }>(await user.request('GET', `/api/messaging/conversations?contactId=${contact.id}&channel=VOICE`), 200);
    const entries = await expectJson<{ items: { providerMessageId: string | null; sandbox: boolean }[] }>(await user.request('GET', `/api/messaging/conversations/${threads.items[0]!.id}/messages`), 200);
    expect(entries.items).toEqual([expect.objectContaining({ providerMessageId: made.id, sandbox: true })]);
    await eventually(async () => recorder.heard.some((e) => e.payload.callId === made.id));
    expect(recorder.heard.filter((e) => e.payload.callId === made.id)).toMatchObject([{ type: 'voice.call_completed', payload: { agentId, contactId: contact.id, direction: 'OUTBOUND' } }]);
    expect(await db.call.count({ where: { userId: user.userId } })).toBe(1);
  });

  it('is refused when the contact said no to calls (409), has no phone (422), or is not the tenant’s; nothing is recorded', async () => {
    const { user, agentId, contact } = await tenant(false);
    await expectJson(await user.request('PUT', `/api/messaging/contacts/${contact.id}/consent/VOICE`, { doNotDisturb: true, reason: 'Asked not to be called' }), 200);
    const refused = await expectJson<Problem>(await place(user, { agentId, contactId: contact.id }), 409);
    expect(refused.errors).toEqual([{ field: 'body.contactId', message: 'The contact asked not to be contacted by phone call' }]);
    const silent = await db.contact.create({ data: { userId: user.userId, firstName: 'No phone' } });
    expect((await expectJson<Problem>(await place(user, { agentId, contactId: silent.id }), 422)).errors![0]!.field).toBe('body.contactId');
    const other = await tenant(false);
    expect((await expectJson<Problem>(await place(user, { agentId, contactId: other.contact.id }), 422)).errors![0]!.field).toBe('body.contactId');
    expect((await place(user, { agentId: other.agentId, contactId: contact.id })).status).toBe(404);
    expect((await expectJson<Problem>(await place(user, { agentId }), 422)).errors![0]!.field).toBe('body.contactId');
    expect(await db.call.count({ where: { userId: user.userId } })).toBe(0);

    // The workflow step fails with the reason instead of retrying.
    const step = soshogle.tenantContext('voice', user.userId).db.$transaction((tx) =>
      soshogle.contextFor('crm').actions.run(tx, 'voice.call_contact', { agentId, contactId: contact.id }, { tenantId: user.userId, idempotencyKey: 'step-1' }),
    );
    await expect(step).rejects.toMatchObject({ name: 'PermanentFailure', message: 'The contact asked not to be contacted by phone call' });
  });

  it('in the contact’s quiet hours waits for their end: the dial job is scheduled then, nothing is dialled now', async () => {
    const { user, apiKey, agentId, contact } = await tenant(true);
    const now = Date.now();
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    await expectJson(await user.request('PUT', '/api/messaging/settings', { quietHoursEnabled: true, timezone: 'UTC', quietHoursStart: hhmm(now - 3600_000), quietHoursEnd: hhmm(now + 3 * 3600_000) }), 200);
    const made = await expectJson<Call>(await place(user, { agentId, contactId: contact.id }), 201);
    expect(new Date(made.dialAt!).getTime()).toBeGreaterThan(now + 2 * 3600_000);
    const [job] = await db.$queryRaw<{ run_at: Date }[]>`select run_at from graphile_worker._private_jobs where payload::text like ${`%${made.id}%`}`;
    expect(job!.run_at.toISOString()).toBe(made.dialAt);
    await queueSettled(soshogle);
    expect(dials(apiKey)).toHaveLength(0);
    expect((await expectJson<Call>(await callOf(user, made.id), 200)).status).toBe('QUEUED');
  });
});

describe('dialling through ElevenLabs', () => {
  it('dials once through the SDK and keeps the conversation id and call SID; a workflow step keyed twice makes one call', async () => {
    const { user, apiKey, agentId, contact } = await tenant(true);
    const run = () =>
      soshogle.tenantContext('voice', user.userId).db.$transaction((tx) =>
        soshogle.contextFor('crm').actions.run(tx, 'voice.call_contact', { agentId, contactId: contact.id }, { tenantId: user.userId, idempotencyKey: 'wf-step-7' }),
      );
    const first = await run();
    expect((await run()).callId).toBe(first.callId);
    const dialled = await eventually(async () => {
      const call = await expectJson<Call>(await callOf(user, first.callId), 200);
      return call.conversationId ? call : null;
    });
    expect(dialled.callSid).toMatch(/^CA/);
    expect(dials(apiKey)).toHaveLength(1);
    expect(dials(apiKey)[0]!.body).toMatchObject({ to_number: contact.phone, conversation_initiation_client_data: { dynamic_variables: { soshogle_call_id: first.callId } } });
  });

  it('an answer never received sends the call to review, and a retry never dials it again', async () => {
    const { user, apiKey, agentId, contact } = await tenant(true);
    fake.fail({ method: 'POST', path: '/v1/convai/twilio/outbound-call', where: (r) => r.headers['xi-api-key'] === apiKey }, { drop: true });
    const made = await expectJson<Call>(await place(user, { agentId, contactId: contact.id }), 201);
    const review = await eventually(async () => {
      const call = await expectJson<Call>(await callOf(user, made.id), 200);
      return call.needsReview ? call : null;
    });
    expect(review.error).toMatch(/never recorded/);
    await enqueueDial(user.userId, made.id);
    await queueSettled(soshogle);
    expect(dials(apiKey)).toHaveLength(1);

    // A crash between the claim and the answer leaves the claim: the next run does not dial.
    const crashed = await expectJson<Call>(await place(user, { agentId, contactId: contact.id }, 'after-crash'), 201);
    await queueSettled(soshogle);
    await db.call.update({ where: { id: crashed.id }, data: { conversationId: null, callSid: null, providerCalled: new Date() } });
    await enqueueDial(user.userId, crashed.id);
    await eventually(async () => (await expectJson<Call>(await callOf(user, crashed.id), 200)).needsReview);
    expect(dials(apiKey)).toHaveLength(2);
  });

  it('two workers running the dial of one call dial it once, and neither takes the other’s dial for a lost one', async () => {
    const { user, apiKey, agentId, contact } = await tenant(true);
    fake.fail({ method: 'POST', path: '/v1/convai/twilio/outbound-call', where: (r) => r.headers['xi-api-key'] === apiKey }, { delayMs: 1500 });
    const made = await expectJson<Call>(await place(user, { agentId, contactId: contact.id }), 201);
    await enqueueDial(user.userId, made.id);
    await enqueueDial(user.userId, made.id);
    await queueSettled(soshogle);
    const call = await eventually(async () => {
      const c = await expectJson<Call>(await callOf(user, made.id), 200);
      return c.conversationId ? c : null;
    });
    expect(call.needsReview).toBe(false);
    expect(dials(apiKey)).toHaveLength(1);
  });
});
