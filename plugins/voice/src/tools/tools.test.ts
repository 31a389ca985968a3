// The voice agent's server tools, played through the ElevenLabs fake against the real server,
// database, worker and calendar: the agent is pushed with its tools, a caller asks for free
// times and books one, a repeat in the same conversation answers the same appointment, a
// second caller cannot take that time (taken, with fresh times), and the endpoints refuse a
// wrong secret, another tenant's agent, bad input and a paused agent. Voice reaches the
// calendar only through its actions; the test sets the calendar up through its API.
import { importPlugins } from '@soshogle/core';
import { eventually, expectJson, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { startElevenLabsFake, type ElevenLabsFake } from '../testing/elevenlabs-fake.ts';
import { voicePlugins } from '../testing/plugins.ts';

const fake: ElevenLabsFake = await startElevenLabsFake();
afterAll(() => fake.close());
const [calendar] = await importPlugins(['@soshogle/plugin-calendar']);
const soshogle = await startTestSoshogle(voicePlugins(calendar!), { VOICE_ELEVENLABS_API_URL: fake.url });

type Agent = { id: string; elevenLabsAgentId: string | null; push: { status: string; version: number; pushedVersion: number } };
type Offered = { start: string; label: string };
type Slots = { typeId: string; typeName: string; timeZone: string; slots: Offered[]; message: string };
type Booking = { status: 'booked' | 'taken'; message: string; appointmentId: string | null; start: string | null; label: string | null; slots: Offered[] };
type Problem = { errors?: { field: string }[] };
type Tool = { name: string; api_schema: { url: string; request_headers: Record<string, string> } };

const twilio = { twilioAccountSid: `AC${'2'.repeat(32)}`, twilioAuthToken: 'twilio-auth-token-0123456789' };
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

const settled = (user: TestClient, id: string) =>
  eventually(async () => {
    const agent = await expectJson<Agent>(await user.request('GET', `/api/voice/agents/${id}`), 200);
    return agent.push.status === 'SYNCED' && agent.push.pushedVersion === agent.push.version ? agent : null;
  });

/** A tenant with ElevenLabs connected, a calendar open 9 to 5 every day (UTC) with a 30-minute cleaning, and an agent on a number. */
async function receptionist(phoneNumber: string) {
  const user = await signedInUser(soshogle);
  const apiKey = `sk_${crypto.randomUUID().replaceAll('-', '')}`;
  const webhookSecret = `wsec_${crypto.randomUUID()}`;
  fake.accounts.push({ apiKey, webhookSecret, webhookUrl: `${soshogle.url}/webhooks/voice/${user.userId}/elevenlabs` });
  await expectJson(await user.request('PUT', '/api/connections/voice/elevenlabs', { credentials: { apiKey, webhookSecret, ...twilio } }), 200);
  const chair = await expectJson<{ id: string }>(await user.request('POST', '/api/calendar/calendars', { name: 'Chair', timeZone: 'UTC' }), 201);
  const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 9 * 60, endMinute: 17 * 60 }));
  await expectJson(await user.request('PUT', `/api/calendar/calendars/${chair.id}/hours`, { hours }), 200);
  await expectJson(await user.request('POST', `/api/calendar/calendars/${chair.id}/types`, { name: 'Cleaning', slug: 'cleaning', durationMin: 30, minNoticeMin: 0 }), 201);
  const made = await expectJson<Agent>(await user.request('POST', '/api/voice/agents', { name: 'Front desk', systemPrompt: 'Book cleanings (typeSlug cleaning).' }), 201);
  await expectJson(await user.request('PUT', `/api/voice/agents/${made.id}/number`, { phoneNumber }), 200);
  const agent = await settled(user, made.id);
  const number = [...fake.phoneNumbers.values()].find((n) => n.apiKey === apiKey && n.phoneNumber === phoneNumber)!;
  return { user, agent, number };
}

const toolsOf = (agent: Agent) => ((fake.agents.get(agent.elevenLabsAgentId!)!.conversationConfig.agent as { prompt: { tools: Tool[] } }).prompt.tools);
const secretOf = (agent: Agent) => toolsOf(agent)[0]!.api_schema.request_headers['X-Voice-Tool-Secret']!;
const post = (path: string, body: unknown, secret?: string, header = 'x-voice-tool-secret') =>
  fetch(`${soshogle.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(secret ? { [header]: secret } : {}) }, body: JSON.stringify(body) });

describe('the voice agent’s tools', () => {
  it('play a call: free times, a booking, the same booking on a repeat, and a second caller told the time is taken', async () => {
    const { user, agent, number } = await receptionist('+15125550170');
    const tools = toolsOf(agent);
    expect(tools.map((t) => t.name)).toEqual(['find_slots', 'book']);
    expect(tools[0]!.api_schema.url).toBe(`${soshogle.url}/api/voice/tools/${user.userId}/${agent.id}/find_slots`);
    expect(secretOf(agent)).toMatch(/^[\w-]{43}$/);

    const first = fake.inboundCall(number.id, '+15125550181');
    const found = await expectJson<Slots>(await fake.callTool(first.id, 'find_slots', { typeSlug: 'cleaning', from: tomorrow, days: 1, typeId: '' }), 200);
    expect(found).toMatchObject({ typeName: 'Cleaning', timeZone: 'UTC' });
    // Nine to five in half hours, cut to a few a person can hear, spread over the day.
    expect(found.slots.map((s) => s.start)).toEqual([`${tomorrow}T09:00:00.000Z`, `${tomorrow}T13:00:00.000Z`, `${tomorrow}T16:30:00.000Z`]);
    expect(found.slots[0]!.label).toMatch(/9:00/);
    expect(found.message).toContain(found.slots[0]!.label);

    const chosen = found.slots[0]!.start;
    const ask = { start: chosen, typeId: found.typeId, name: 'Ada Lovelace', email: 'ada@example.test' };
    const booked = await expectJson<Booking>(await fake.callTool(first.id, 'book', ask), 200);
    expect(booked).toMatchObject({ status: 'booked', start: chosen, slots: [] });
    expect(booked.label).toMatch(/9:00/);
    // The model asks again (it does): the same appointment, not a second one nor "taken".
    const again = await expectJson<Booking>(await fake.callTool(first.id, 'book', ask), 200);
    expect(again).toMatchObject({ status: 'booked', appointmentId: booked.appointmentId });

    const appointments = await soshogle.db.appointment.findMany({ where: { userId: user.userId }, include: { contact: true } });
    expect(appointments).toHaveLength(1);
    expect(appointments[0]).toMatchObject({ id: booked.appointmentId, source: 'WORKFLOW', startTime: new Date(chosen) });
    expect(appointments[0]!.contact).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', phone: '+15125550181', email: 'ada@example.test' });

    // A second caller wants the same time: taken, with fresh times that do not include it.
    const second = fake.inboundCall(number.id, '+15125550182');
    const taken = await expectJson<Booking>(await fake.callTool(second.id, 'book', { ...ask, name: 'Grace Hopper', email: '' }), 200);
    expect(taken).toMatchObject({ status: 'taken', appointmentId: null });
    expect(taken.message).toMatch(/already booked/);
    expect(taken.slots.length).toBeGreaterThan(0);
    expect(taken.slots.map((s) => s.start)).not.toContain(chosen);
    // Two tries of one booking at once (ElevenLabs gave up waiting and the model asked again): one appointment.
    const twice = await Promise.all([1, 2].map(async () => expectJson<Booking>(await fake.callTool(second.id, 'book', { ...ask, start: taken.slots[0]!.start, name: 'Grace Hopper' }), 200)));
    expect(twice.map((b) => b.status)).toEqual(['booked', 'booked']);
    expect(twice[0]!.appointmentId).toBe(twice[1]!.appointmentId);
    expect(await soshogle.db.appointment.count({ where: { userId: user.userId } })).toBe(2);
  });

  it('refuse a wrong or missing secret, another tenant’s agent, bad input (naming the field) and a paused agent', async () => {
    const { user, agent } = await receptionist('+15125550171');
    const other = await signedInUser(soshogle);
    const secret = secretOf(agent);
    const slotsPath = `/api/voice/tools/${user.userId}/${agent.id}/find_slots`;
    const bookPath = `/api/voice/tools/${user.userId}/${agent.id}/book`;
    const asked = { typeSlug: 'cleaning' };

    expect((await post(slotsPath, asked, 'x'.repeat(43))).status).toBe(401);
    expect((await post(slotsPath, asked, `${secret}x`)).status).toBe(401);
    expect((await post(slotsPath, asked)).status).toBe(401);
    expect((await post(slotsPath, asked, secret, 'x-other-header')).status).toBe(401);
    // The agent under another tenant's URL is no agent there, whatever secret comes with it.
    expect((await post(`/api/voice/tools/${other.userId}/${agent.id}/find_slots`, asked, secret)).status).toBe(404);
    expect((await post(`/api/voice/tools/${other.userId}/${agent.id}/book`, { start: `${tomorrow}T10:00:00Z`, typeId: 'x', name: 'A', phone: '+15125550183', conversationId: 'c' }, secret)).status).toBe(404);

    const field = async (res: Response) => (await expectJson<Problem>(res, 422)).errors![0]!.field;
    expect(await field(await post(slotsPath, { typeSlug: 'cleaning', timeZone: 'Mars/Olympus' }, secret))).toBe('body.timeZone');
    expect(await field(await post(slotsPath, { typeSlug: 'root-canal' }, secret))).toBe('body.typeSlug');
    expect(await field(await post(slotsPath, {}, secret))).toBe('body.typeSlug');
    expect(await field(await post(bookPath, { start: 'tomorrow at nine', typeId: 'x', name: 'A', phone: '+15125550183', conversationId: 'c' }, secret))).toBe('body.start');
    expect(await field(await post(bookPath, { start: `${tomorrow}T10:00:00Z`, typeId: 'no-such-type', name: 'A', phone: '+15125550183', conversationId: 'c' }, secret))).toBe('body.typeId');
    expect(await field(await post(bookPath, { start: `${tomorrow}T10:00:00Z`, typeId: 'x', name: 'A', phone: '5550183', conversationId: 'c' }, secret))).toBe('body.phone');
    expect(await soshogle.db.appointment.count({ where: { userId: user.userId } })).toBe(0);

    await expectJson(await user.request('POST', `/api/voice/agents/${agent.id}/pause`), 200);
    expect((await post(slotsPath, asked, secret)).status).toBe(409);
    await expectJson(await user.request('POST', `/api/voice/agents/${agent.id}/resume`), 200);
    expect((await post(slotsPath, asked, secret)).status).toBe(200);
  });

  it('rotate the secret: the old one stops at once, the new one is pushed with the agent', async () => {
    const { user, agent, number } = await receptionist('+15125550172');
    const old = secretOf(agent);
    const slotsPath = `/api/voice/tools/${user.userId}/${agent.id}/find_slots`;
    await expectJson(await user.request('POST', `/api/voice/agents/${agent.id}/tool-secret`), 200);
    expect((await post(slotsPath, { typeSlug: 'cleaning' }, old)).status).toBe(401);
    const pushed = await settled(user, agent.id);
    expect(secretOf(pushed)).not.toBe(old);
    const call = fake.inboundCall(number.id, '+15125550184');
    expect((await fake.callTool(call.id, 'find_slots', { typeSlug: 'cleaning' })).status).toBe(200);
  });
});
