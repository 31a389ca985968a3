// Voice agents through the API against the real server, database and worker: sandbox mode
// without a connection, and with one each change pushed to the ElevenLabs fake through the
// official SDK (create, edit, pause, delete), an unknown create outcome going to review
// instead of a second create, and the SDK's strict parsing of the fake's answers.
import { expectJson, eventually, queueSettled, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { elevenlabsClient } from '../elevenlabs.ts';
import { startElevenLabsFake, type ElevenLabsFake } from '../testing/elevenlabs-fake.ts';
import { voicePlugins } from '../testing/plugins.ts';

const fake: ElevenLabsFake = await startElevenLabsFake();
afterAll(() => fake.close());
const soshogle = await startTestSoshogle(voicePlugins(), { VOICE_ELEVENLABS_API_URL: fake.url });

type Agent = {
  id: string;
  name: string;
  status: string;
  sandbox: boolean;
  elevenLabsAgentId: string | null;
  push: { status: string; error: string | null; version: number; pushedVersion: number };
};
type Problem = { errors?: { field: string }[] };

const twilio = { twilioAccountSid: `AC${'1'.repeat(32)}`, twilioAuthToken: 'twilio-auth-token-0123456789' };

async function tenant(connected: boolean, extra: Record<string, string> = {}) {
  const user = await signedInUser(soshogle);
  const apiKey = `sk_${crypto.randomUUID().replaceAll('-', '')}`;
  const webhookSecret = `wsec_${crypto.randomUUID()}`;
  if (connected) {
    fake.accounts.push({ apiKey, webhookSecret, webhookUrl: `${soshogle.url}/webhooks/voice/${user.userId}/elevenlabs` });
    await expectJson(await user.request('PUT', '/api/connections/voice/elevenlabs', { credentials: { apiKey, webhookSecret, ...extra } }), 200);
  }
  return { user, apiKey };
}

const agentOf = (user: TestClient, id: string) => user.request('GET', `/api/voice/agents/${id}`);
const pushIs = (user: TestClient, id: string, status: string) =>
  eventually(async () => {
    const agent = await expectJson<Agent>(await agentOf(user, id), 200);
    return agent.push.status === status ? agent : null;
  });
/** Once ElevenLabs has the agent's latest version. */
const settled = (user: TestClient, id: string) =>
  eventually(async () => {
    const agent = await expectJson<Agent>(await agentOf(user, id), 200);
    return agent.push.status === 'SYNCED' && agent.push.pushedVersion === agent.push.version ? agent : null;
  });

describe('voice agents', () => {
  it('work in sandbox mode without a connection: kept here, never pushed, bad input named', async () => {
    const { user } = await tenant(false);
    const before = fake.requests.length;
    const made = await expectJson<Agent>(await user.request('POST', '/api/voice/agents', { name: 'Front desk', firstMessage: 'Hi!', language: 'en' }), 201);
    expect(made).toMatchObject({ sandbox: true, status: 'ACTIVE', elevenLabsAgentId: null, push: { status: 'SYNCED' } });
    const paused = await expectJson<Agent>(await user.request('POST', `/api/voice/agents/${made.id}/pause`), 200);
    expect(paused.status).toBe('INACTIVE');
    expect((await expectJson<Problem>(await user.request('PATCH', `/api/voice/agents/${made.id}`, { language: 'English' }), 422)).errors![0]!.field).toBe('body.language');
    expect((await expectJson<Problem>(await user.request('POST', '/api/voice/agents', { name: '' }), 422)).errors![0]!.field).toBe('body.name');
    expect((await expectJson<{ items: Agent[] }>(await user.request('GET', '/api/voice/agents'), 200)).items.map((a) => a.id)).toEqual([made.id]);
    expect((await user.request('DELETE', `/api/voice/agents/${made.id}`)).status).toBe(204);
    expect((await agentOf(user, made.id)).status).toBe(404);
    expect(fake.requests.length).toBe(before);
  });

  it('push each change to ElevenLabs through the SDK: create, edit, pause, delete', async () => {
    const { user, apiKey } = await tenant(true);
    const made = await expectJson<Agent>(
      await user.request('POST', '/api/voice/agents', { name: 'Receptionist', firstMessage: 'Bright Dental, hello!', systemPrompt: 'Book cleanings.', language: 'es', voiceId: '21m00Tcm4TlvDq8ikWAM' }),
      201,
    );
    expect(made).toMatchObject({ sandbox: false, push: { status: 'PENDING', version: 1, pushedVersion: 0 } });
    const pushed = await settled(user, made.id);
    const remote = fake.agents.get(pushed.elevenLabsAgentId!)!;
    expect(remote).toMatchObject({ apiKey, name: 'Receptionist', tags: [`soshogle:${made.id}`, 'active'] });
    expect(remote.conversationConfig).toMatchObject({
      agent: { first_message: 'Bright Dental, hello!', language: 'es', prompt: { prompt: 'Book cleanings.' } },
      tts: { voice_id: '21m00Tcm4TlvDq8ikWAM' },
    });
    // Without the calendar the agent has no tools (tools/tools.test.ts has them).
    expect(remote.conversationConfig).toMatchObject({ agent: { prompt: { tools: [] } } });

    await expectJson(await user.request('PATCH', `/api/voice/agents/${made.id}`, { systemPrompt: 'Book cleanings and check-ups.' }), 200);
    await expectJson(await user.request('POST', `/api/voice/agents/${made.id}/pause`), 200);
    const after = await settled(user, made.id);
    expect(after.push.version).toBe(3);
    expect(after.elevenLabsAgentId).toBe(pushed.elevenLabsAgentId);
    expect(remote.tags).toContain('paused');
    expect(remote.conversationConfig).toMatchObject({ agent: { prompt: { prompt: 'Book cleanings and check-ups.' } } });
    expect(fake.requests.filter((r) => r.path === '/v1/convai/agents/create' && r.headers['xi-api-key'] === apiKey)).toHaveLength(1);

    expect((await user.request('DELETE', `/api/voice/agents/${made.id}`)).status).toBe(204);
    expect((await agentOf(user, made.id)).status).toBe(404);
    await eventually(async () => !fake.agents.has(pushed.elevenLabsAgentId!) && !(await soshogle.db.voiceAgent.findUnique({ where: { id: made.id } })));
  });

  it('never creates twice when the create outcome is unknown: the push goes to review', async () => {
    const { user, apiKey } = await tenant(true);
    const creates = () => fake.requests.filter((r) => r.path === '/v1/convai/agents/create' && r.headers['xi-api-key'] === apiKey);
    fake.fail({ method: 'POST', path: '/v1/convai/agents/create', where: (r) => r.headers['xi-api-key'] === apiKey }, { drop: true });
    const made = await expectJson<Agent>(await user.request('POST', '/api/voice/agents', { name: 'Lost' }), 201);
    const review = await pushIs(user, made.id, 'REVIEW');
    expect(review.push.error).toMatch(/never recorded/);
    // An edit while under review is kept, not pushed: a person settles the create first.
    await expectJson(await user.request('PATCH', `/api/voice/agents/${made.id}`, { name: 'Still lost' }), 200);
    await queueSettled(soshogle);
    expect(creates()).toHaveLength(1);
    expect((await expectJson<Agent>(await agentOf(user, made.id), 200)).push.status).toBe('REVIEW');
  });

  it('refused changes show ElevenLabs’ reason on the agent', async () => {
    const { user, apiKey } = await tenant(true);
    fake.fail({ method: 'POST', path: '/v1/convai/agents/create', where: (r) => r.headers['xi-api-key'] === apiKey }, { status: 422, body: { detail: { status: 'validation_error', message: 'Unsupported language' } } });
    const made = await expectJson<Agent>(await user.request('POST', '/api/voice/agents', { name: 'Picky' }), 201);
    const failed = await pushIs(user, made.id, 'FAILED');
    expect(failed.push.error).toBe('422: Unsupported language');
  });
});

describe('agent numbers', () => {
  it('import the Twilio number into ElevenLabs and assign it, find one imported before, and refuse a number another agent has', async () => {
    const { user, apiKey } = await tenant(true, twilio);
    const numberPosts = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/convai/phone-numbers' && r.headers['xi-api-key'] === apiKey);
    const first = await expectJson<Agent>(await user.request('POST', '/api/voice/agents', { name: 'Main line' }), 201);
    await expectJson(await user.request('PUT', `/api/voice/agents/${first.id}/number`, { phoneNumber: '+15125550100' }), 200);
    const pushed = await settled(user, first.id);
    const imported = [...fake.phoneNumbers.values()].find((n) => n.apiKey === apiKey && n.phoneNumber === '+15125550100')!;
    expect(imported).toMatchObject({ agentId: pushed.elevenLabsAgentId, sid: twilio.twilioAccountSid, token: twilio.twilioAuthToken });
    expect(numberPosts()).toHaveLength(1);

    const second = await expectJson<Agent>(await user.request('POST', '/api/voice/agents', { name: 'Second' }), 201);
    expect((await user.request('PUT', `/api/voice/agents/${second.id}/number`, { phoneNumber: '+15125550100' })).status).toBe(409);
    expect((await expectJson<Problem>(await user.request('PUT', `/api/voice/agents/${second.id}/number`, { phoneNumber: '5550100' }), 422)).errors![0]!.field).toBe('body.phoneNumber');

    // A number already in the ElevenLabs account (an earlier try whose answer was lost) is found, not imported again.
    fake.phoneNumbers.set('phnum_earlier', { id: 'phnum_earlier', apiKey, phoneNumber: '+15125550111', label: 'Second', sid: twilio.twilioAccountSid, token: twilio.twilioAuthToken, agentId: null });
    await expectJson(await user.request('PUT', `/api/voice/agents/${second.id}/number`, { phoneNumber: '+15125550111' }), 200);
    const secondPushed = await settled(user, second.id);
    expect(fake.phoneNumbers.get('phnum_earlier')!.agentId).toBe(secondPushed.elevenLabsAgentId);
    expect(numberPosts()).toHaveLength(1);
  });

  it('fail the push with a clear reason when the connection lacks the Twilio credentials', async () => {
    const { user } = await tenant(true);
    const made = await expectJson<Agent>(await user.request('POST', '/api/voice/agents', { name: 'No Twilio' }), 201);
    await expectJson(await user.request('PUT', `/api/voice/agents/${made.id}/number`, { phoneNumber: '+15125550122' }), 200);
    expect((await pushIs(user, made.id, 'FAILED')).push.error).toMatch(/Twilio Account SID and Auth Token/);
  });
});

describe('the ElevenLabs fake', () => {
  it('answers what the SDK strictly parses: number import and assignment, outbound call, conversation', async () => {
    const apiKey = `sk_${crypto.randomUUID().replaceAll('-', '')}`;
    fake.accounts.push({ apiKey, webhookSecret: 'secret-0123456789abcdef', webhookUrl: 'http://127.0.0.1:1/none' });
    const client = elevenlabsClient({ elevenlabsApiUrl: fake.url, webhookToleranceSeconds: 300 }, { apiKey, webhookSecret: 'secret-0123456789abcdef' });
    const { agentId } = await client.conversationalAi.agents.create({ name: 'A', conversationConfig: { agent: { firstMessage: 'Hi' } } });
    const { phoneNumberId } = await client.conversationalAi.phoneNumbers.create({ provider: 'twilio', phoneNumber: '+15125550100', label: 'Main', sid: `AC${'0'.repeat(32)}`, token: 'twilio-token-0123456789' });
    const assigned = await client.conversationalAi.phoneNumbers.update(phoneNumberId, { agentId });
    expect(assigned).toMatchObject({ provider: 'twilio', phoneNumberId, phoneNumber: '+15125550100' });
    const call = await client.conversationalAi.twilio.outboundCall({ agentId, agentPhoneNumberId: phoneNumberId, toNumber: '+15125550199' });
    expect(call).toMatchObject({ success: true, conversationId: expect.stringMatching(/^conv_/), callSid: expect.stringMatching(/^CA/) });
    fake.finishCall(call.conversationId!, { dataCollection: { wants_booking: true } });
    const conversation = await client.conversationalAi.conversations.get(call.conversationId!);
    expect(conversation).toMatchObject({ status: 'done', agentId, hasAudio: true, analysis: { callSuccessful: 'success' } });
    expect(conversation.transcript.length).toBeGreaterThan(0);
    const agent = await client.conversationalAi.agents.get(agentId);
    expect(agent.phoneNumbers).toHaveLength(1);
    await expect(elevenlabsClient({ elevenlabsApiUrl: fake.url, webhookToleranceSeconds: 300 }, { apiKey: 'sk_wrong_key_000000000000', webhookSecret: 'x'.repeat(16) }).conversationalAi.agents.get(agentId)).rejects.toMatchObject({ statusCode: 401 });
  });
});
