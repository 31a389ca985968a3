// A local stand-in for ElevenLabs' Agents Platform API, for tests: the real paths and
// snake_case JSON the official SDK (@elevenlabs/elevenlabs-js) calls and strictly parses
// (agents CRUD, Twilio phone number import and agent assignment, the outbound call through
// Twilio, conversations and their audio; a number imported twice is refused with 409), `xi-api-key` auth per account, ElevenLabs' error bodies
// {detail: {status, message}}, and the post-call webhooks (post_call_transcription,
// call_initiation_failure) signed ElevenLabs' way:
// `ElevenLabs-Signature: t=<unix>,v0=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
// Webhooks are built and signed, not sent: tests send them duplicated or out of order.
// Mid-call server tools (`callTool`) are sent: a POST to the agent's webhook tool as its
// definition says (URL, static headers, a body from its request_body_schema with system
// variables filled in), as ElevenLabs calls them; tool calls are not signed.
import { createHmac, randomBytes } from 'node:crypto';
import { route, startFakeProvider, type FakeAnswer, type FakeDelivery, type FakeProvider, type FakeRequest } from '@soshogle/core/testing';

type Json = Record<string, unknown>;

export interface ElevenLabsFakeAccount {
  apiKey: string;
  /** The post-call webhook's HMAC secret, and where the account's webhooks go. */
  webhookSecret: string;
  webhookUrl?: string;
}

export interface ElevenLabsFakeAgent {
  id: string;
  apiKey: string;
  name: string;
  tags: string[];
  conversationConfig: Json;
  createdAt: number;
  updatedAt: number;
}

export interface ElevenLabsFakePhoneNumber {
  id: string;
  apiKey: string;
  phoneNumber: string;
  label: string;
  sid: string;
  token: string;
  agentId: string | null;
}

export type ElevenLabsCallResult = 'answered' | 'voicemail' | 'busy' | 'no_answer' | 'failed';

export interface ElevenLabsFakeConversation {
  id: string;
  apiKey: string;
  agentId: string;
  callSid: string;
  direction: 'inbound' | 'outbound';
  agentNumber: string;
  externalNumber: string;
  phoneNumberId: string;
  status: 'initiated' | 'in-progress' | 'processing' | 'done' | 'failed';
  startedAt: number;
  durationSecs: number;
  transcript: { role: 'agent' | 'user'; message: string; time_in_call_secs: number }[];
  summary: string | null;
  callSuccessful: 'success' | 'failure' | 'unknown';
  dataCollection: Record<string, unknown>;
  callResult: ElevenLabsCallResult | null;
  dynamicVariables: Record<string, unknown>;
}

/** How a call ends, for finishCall. */
export interface ElevenLabsCallEnding {
  result?: ElevenLabsCallResult;
  transcript?: ElevenLabsFakeConversation['transcript'];
  summary?: string;
  callSuccessful?: ElevenLabsFakeConversation['callSuccessful'];
  dataCollection?: Record<string, unknown>;
  durationSecs?: number;
}

export interface ElevenLabsFake extends FakeProvider<Json | undefined> {
  accounts: ElevenLabsFakeAccount[];
  agents: Map<string, ElevenLabsFakeAgent>;
  phoneNumbers: Map<string, ElevenLabsFakePhoneNumber>;
  conversations: Map<string, ElevenLabsFakeConversation>;
  /** ElevenLabs' JSON of an agent (GET /v1/convai/agents/:id). */
  agentJson(agent: ElevenLabsFakeAgent): Json;
  /** ElevenLabs' JSON of a conversation (GET /v1/convai/conversations/:id). */
  conversationJson(conversation: ElevenLabsFakeConversation): Json;
  /** Someone dials the number: an inbound conversation with the number's agent. */
  inboundCall(phoneNumberId: string, from: string): ElevenLabsFakeConversation;
  /**
   * The call ends as `ending` says: answered (and voicemail) calls bring
   * post_call_transcription, busy / no_answer / failed bring call_initiation_failure.
   * Returns the webhook, built and signed (at sending), not sent.
   */
  finishCall(conversationId: string, ending?: ElevenLabsCallEnding): FakeDelivery;
  /** Signs `raw` as ElevenLabs does, at `timestamp` (unix seconds; default now). */
  signature(secret: string, raw: string | Buffer, timestamp?: number): string;
  /**
   * The agent of the conversation calls its webhook tool `name`: `args` are what the model
   * fills in; properties taken from a dynamic variable (system__conversation_id,
   * system__caller_id, ...) are filled from the call. Answers our endpoint's response.
   */
  callTool(conversationId: string, name: string, args?: Json): Promise<Response>;
}

/** The bytes the fake answers as a conversation's audio (an MP3's ID3 header, then its id). */
export const audioOf = (conversationId: string): Buffer => Buffer.concat([Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1'), Buffer.from(`audio of ${conversationId}`)]);

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const now = () => Math.floor(Date.now() / 1000);

function problem(status: number, code: string, message: string): FakeAnswer {
  return { status, body: { detail: { status: code, message } } };
}

export async function startElevenLabsFake(accounts: ElevenLabsFakeAccount[] = []): Promise<ElevenLabsFake> {
  const agents = new Map<string, ElevenLabsFakeAgent>();
  const phoneNumbers = new Map<string, ElevenLabsFakePhoneNumber>();
  const conversations = new Map<string, ElevenLabsFakeConversation>();

  const accountOf = (request: FakeRequest<Json | undefined>) => {
    const key = request.headers['xi-api-key'];
    return accounts.find((a) => a.apiKey === key);
  };
  /** Routes behind auth: 401 without a known key, the account's own resources only. */
  const authed = (handler: (request: FakeRequest<Json | undefined>, account: ElevenLabsFakeAccount) => FakeAnswer) => (request: FakeRequest<Json | undefined>) => {
    const account = accountOf(request);
    if (!account) return problem(401, 'invalid_api_key', 'Invalid API key');
    return handler(request, account);
  };
  const ownAgent = (account: ElevenLabsFakeAccount, agentId: string | undefined) => {
    const agent = agentId ? agents.get(agentId) : undefined;
    return agent && agent.apiKey === account.apiKey ? agent : undefined;
  };

  function agentJson(agent: ElevenLabsFakeAgent): Json {
    return {
      agent_id: agent.id,
      name: agent.name,
      conversation_config: agent.conversationConfig,
      metadata: { created_at_unix_secs: agent.createdAt, updated_at_unix_secs: agent.updatedAt },
      tags: agent.tags,
      phone_numbers: [...phoneNumbers.values()]
        .filter((n) => n.agentId === agent.id)
        .map((n) => ({ provider: 'twilio', phone_number: n.phoneNumber, label: n.label, phone_number_id: n.id })),
    };
  }

  function phoneNumberJson(number: ElevenLabsFakePhoneNumber): Json {
    const agent = number.agentId ? agents.get(number.agentId) : undefined;
    return {
      provider: 'twilio',
      phone_number: number.phoneNumber,
      label: number.label,
      phone_number_id: number.id,
      supports_outbound: true,
      supports_inbound: true,
      ...(agent ? { assigned_agent: { agent_id: agent.id, agent_name: agent.name } } : {}),
    };
  }

  function conversationJson(c: ElevenLabsFakeConversation): Json {
    return {
      agent_id: c.agentId,
      conversation_id: c.id,
      status: c.status,
      transcript: c.transcript,
      metadata: {
        start_time_unix_secs: c.startedAt,
        call_duration_secs: c.durationSecs,
        phone_call: {
          type: 'twilio',
          direction: c.direction,
          phone_number_id: c.phoneNumberId,
          agent_number: c.agentNumber,
          external_number: c.externalNumber,
          call_sid: c.callSid,
          stream_sid: `MZ${randomBytes(16).toString('hex')}`,
        },
      },
      analysis: c.summary === null ? null : {
        call_successful: c.callSuccessful,
        transcript_summary: c.summary,
        evaluation_criteria_results: {},
        data_collection_results: Object.fromEntries(
          Object.entries(c.dataCollection).map(([key, value]) => [key, { data_collection_id: key, value, rationale: 'The caller said so.' }]),
        ),
      },
      conversation_initiation_client_data: { dynamic_variables: c.dynamicVariables },
      has_audio: c.status === 'done',
      has_user_audio: c.status === 'done',
      has_response_audio: c.status === 'done',
      has_auxiliary_audio: false,
    };
  }

  /** The agent settings a create or update body carries, merged into what the agent has. */
  function mergeConfig(into: Json, body: Json | undefined): Json {
    const given = (body?.conversation_config ?? {}) as Json;
    const agent = { ...((into.agent ?? {}) as Json), ...((given.agent ?? {}) as Json) };
    const tts = { ...((into.tts ?? {}) as Json), ...((given.tts ?? {}) as Json) };
    return { ...into, ...given, agent, tts };
  }

  const fake = await startFakeProvider<Json | undefined>({
    name: 'ElevenLabs',
    sign: ({ raw, url }) => {
      const account = accounts.find((a) => a.webhookUrl && url.startsWith(a.webhookUrl)) ?? accounts[0];
      return account ? { 'ElevenLabs-Signature': signature(account.webhookSecret, raw) } : ({} as Record<string, string>);
    },
    routes: [
      route('POST', '/v1/convai/agents/create', authed((request, account) => {
        const body = request.body;
        if (!body || typeof body.conversation_config !== 'object') return problem(422, 'validation_error', 'conversation_config is required');
        const agent: ElevenLabsFakeAgent = {
          id: id('agent'),
          apiKey: account.apiKey,
          name: typeof body.name === 'string' ? body.name : 'Agent',
          tags: Array.isArray(body.tags) ? (body.tags as string[]) : [],
          conversationConfig: mergeConfig({}, body),
          createdAt: now(),
          updatedAt: now(),
        };
        agents.set(agent.id, agent);
        return { status: 200, body: { agent_id: agent.id } };
      })),
      route('GET', '/v1/convai/agents/:agentId', authed((request, account) => {
        const agent = ownAgent(account, request.params.agentId);
        return agent ? { status: 200, body: agentJson(agent) } : problem(404, 'agent_not_found', 'Agent not found');
      })),
      route('PATCH', '/v1/convai/agents/:agentId', authed((request, account) => {
        const agent = ownAgent(account, request.params.agentId);
        if (!agent) return problem(404, 'agent_not_found', 'Agent not found');
        if (typeof request.body?.name === 'string') agent.name = request.body.name;
        if (Array.isArray(request.body?.tags)) agent.tags = request.body.tags as string[];
        agent.conversationConfig = mergeConfig(agent.conversationConfig, request.body);
        agent.updatedAt = now();
        return { status: 200, body: agentJson(agent) };
      })),
      route('DELETE', '/v1/convai/agents/:agentId', authed((request, account) => {
        const agent = ownAgent(account, request.params.agentId);
        if (!agent) return problem(404, 'agent_not_found', 'Agent not found');
        agents.delete(agent.id);
        for (const number of phoneNumbers.values()) if (number.agentId === agent.id) number.agentId = null;
        return { status: 200, body: {} };
      })),
      route('POST', '/v1/convai/phone-numbers', authed((request, account) => {
        const body = request.body ?? {};
        if (body.provider !== 'twilio') return problem(422, 'validation_error', 'provider must be twilio');
        for (const field of ['phone_number', 'label', 'sid', 'token']) {
          if (typeof body[field] !== 'string' || !body[field]) return problem(422, 'validation_error', `${field} is required`);
        }
        if ([...phoneNumbers.values()].some((n) => n.apiKey === account.apiKey && n.phoneNumber === body.phone_number)) {
          return problem(409, 'phone_number_exists', 'This phone number is already imported');
        }
        if (body.agent_id !== undefined && !ownAgent(account, body.agent_id as string)) return problem(404, 'agent_not_found', 'Agent not found');
        const number: ElevenLabsFakePhoneNumber = {
          id: id('phnum'),
          apiKey: account.apiKey,
          phoneNumber: body.phone_number as string,
          label: body.label as string,
          sid: body.sid as string,
          token: body.token as string,
          agentId: (body.agent_id as string | undefined) ?? null,
        };
        phoneNumbers.set(number.id, number);
        return { status: 200, body: { phone_number_id: number.id } };
      })),
      route('GET', '/v1/convai/phone-numbers', authed((_request, account) => ({
        status: 200,
        body: [...phoneNumbers.values()].filter((n) => n.apiKey === account.apiKey).map(phoneNumberJson),
      }))),
      route('GET', '/v1/convai/phone-numbers/:numberId', authed((request, account) => {
        const number = phoneNumbers.get(request.params.numberId!);
        return number && number.apiKey === account.apiKey ? { status: 200, body: phoneNumberJson(number) } : problem(404, 'phone_number_not_found', 'Phone number not found');
      })),
      route('PATCH', '/v1/convai/phone-numbers/:numberId', authed((request, account) => {
        const number = phoneNumbers.get(request.params.numberId!);
        if (!number || number.apiKey !== account.apiKey) return problem(404, 'phone_number_not_found', 'Phone number not found');
        const agentId = request.body?.agent_id;
        if (agentId !== undefined && agentId !== null && !ownAgent(account, agentId as string)) return problem(404, 'agent_not_found', 'Agent not found');
        if (agentId !== undefined) number.agentId = (agentId as string | null) ?? null;
        return { status: 200, body: phoneNumberJson(number) };
      })),
      route('POST', '/v1/convai/twilio/outbound-call', authed((request, account) => {
        const body = request.body ?? {};
        const agent = ownAgent(account, body.agent_id as string);
        if (!agent) return problem(404, 'agent_not_found', 'Agent not found');
        const number = phoneNumbers.get(body.agent_phone_number_id as string);
        if (!number || number.apiKey !== account.apiKey) return problem(404, 'phone_number_not_found', 'Phone number not found');
        if (typeof body.to_number !== 'string' || !/^\+[1-9]\d{6,14}$/.test(body.to_number)) return problem(422, 'validation_error', 'to_number must be E.164');
        const initiation = (body.conversation_initiation_client_data ?? {}) as Json;
        const conversation = newConversation({
          apiKey: account.apiKey,
          agentId: agent.id,
          direction: 'outbound',
          agentNumber: number.phoneNumber,
          externalNumber: body.to_number,
          phoneNumberId: number.id,
          status: 'initiated',
          dynamicVariables: (initiation.dynamic_variables ?? {}) as Record<string, unknown>,
        });
        // camelCase callSid: that is how ElevenLabs really sends it.
        return { status: 200, body: { success: true, message: 'Success', conversation_id: conversation.id, callSid: conversation.callSid } };
      })),
      route('GET', '/v1/convai/conversations/:conversationId', authed((request, account) => {
        const conversation = conversations.get(request.params.conversationId!);
        return conversation && conversation.apiKey === account.apiKey
          ? { status: 200, body: conversationJson(conversation) }
          : problem(404, 'conversation_not_found', 'Conversation not found');
      })),
      // Deleting a conversation takes its transcript and audio with it.
      route('DELETE', '/v1/convai/conversations/:conversationId', authed((request, account) => {
        const conversation = conversations.get(request.params.conversationId!);
        if (!conversation || conversation.apiKey !== account.apiKey) return problem(404, 'conversation_not_found', 'Conversation not found');
        conversations.delete(conversation.id);
        return { status: 200, body: {} };
      })),
      // The call's audio, binary, as ElevenLabs answers it (MP3); only once the call is done.
      route('GET', '/v1/convai/conversations/:conversationId/audio', authed((request, account) => {
        const conversation = conversations.get(request.params.conversationId!);
        if (!conversation || conversation.apiKey !== account.apiKey) return problem(404, 'conversation_not_found', 'Conversation not found');
        if (conversation.status !== 'done') return problem(404, 'audio_not_found', 'Audio not found for this conversation');
        return { status: 200, headers: { 'content-type': 'audio/mpeg' }, body: audioOf(conversation.id) };
      })),
    ],
  });

  /** A call just begun: no transcript, outcome or result yet. */
  function newConversation(fields: Pick<ElevenLabsFakeConversation, 'apiKey' | 'agentId' | 'direction' | 'agentNumber' | 'externalNumber' | 'phoneNumberId' | 'status' | 'dynamicVariables'>): ElevenLabsFakeConversation {
    const conversation: ElevenLabsFakeConversation = {
      id: id('conv'),
      callSid: `CA${randomBytes(16).toString('hex')}`,
      startedAt: now(),
      durationSecs: 0,
      transcript: [],
      summary: null,
      callSuccessful: 'unknown',
      dataCollection: {},
      callResult: null,
      ...fields,
    };
    conversations.set(conversation.id, conversation);
    return conversation;
  }

  function signature(secret: string, raw: string | Buffer, timestamp = now()): string {
    const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest('hex');
    return `t=${timestamp},v0=${mac}`;
  }

  function inboundCall(phoneNumberId: string, from: string): ElevenLabsFakeConversation {
    const number = phoneNumbers.get(phoneNumberId);
    if (!number?.agentId) throw new Error(`ElevenLabs fake: number ${phoneNumberId} has no agent`);
    return newConversation({
      apiKey: number.apiKey,
      agentId: number.agentId,
      direction: 'inbound',
      agentNumber: number.phoneNumber,
      externalNumber: from,
      phoneNumberId,
      status: 'in-progress',
      dynamicVariables: {},
    });
  }

  function finishCall(conversationId: string, ending: ElevenLabsCallEnding = {}): FakeDelivery {
    const c = conversations.get(conversationId);
    if (!c) throw new Error(`ElevenLabs fake: no conversation ${conversationId}`);
    const account = accounts.find((a) => a.apiKey === c.apiKey);
    if (!account?.webhookUrl) throw new Error('ElevenLabs fake: the account has no webhook URL');
    const result = ending.result ?? 'answered';
    c.callResult = result;
    if (result === 'answered' || result === 'voicemail') {
      c.status = 'done';
      c.durationSecs = ending.durationSecs ?? 42;
      c.transcript = ending.transcript ?? [
        { role: 'agent', message: 'Hello, this is the front desk. How can I help?', time_in_call_secs: 0 },
        { role: 'user', message: 'I would like to book a cleaning.', time_in_call_secs: 4 },
      ];
      c.summary = ending.summary ?? 'The caller asked to book a cleaning.';
      c.callSuccessful = ending.callSuccessful ?? 'success';
      c.dataCollection = ending.dataCollection ?? {};
      const data = conversationJson(c);
      (data.metadata as { phone_call: Json }).phone_call.call_result = result;
      return { url: account.webhookUrl, body: { type: 'post_call_transcription', event_timestamp: now(), data } };
    }
    c.status = 'failed';
    const failureReason = result === 'no_answer' ? 'no-answer' : result === 'busy' ? 'busy' : 'unknown';
    return {
      url: account.webhookUrl,
      body: {
        type: 'call_initiation_failure',
        event_timestamp: now(),
        data: {
          agent_id: c.agentId,
          conversation_id: c.id,
          failure_reason: failureReason,
          metadata: { type: 'twilio', body: { CallSid: c.callSid, CallStatus: failureReason, To: c.externalNumber, From: c.agentNumber } },
        },
      },
    };
  }

  async function callTool(conversationId: string, name: string, args: Json = {}): Promise<Response> {
    const c = conversations.get(conversationId);
    if (!c) throw new Error(`ElevenLabs fake: no conversation ${conversationId}`);
    const prompt = ((agents.get(c.agentId)?.conversationConfig.agent ?? {}) as Json).prompt as Json | undefined;
    const tool = ((prompt?.tools ?? []) as Json[]).find((t) => t.type === 'webhook' && t.name === name);
    if (!tool) throw new Error(`ElevenLabs fake: the agent has no webhook tool ${name}`);
    const api = tool.api_schema as { url: string; method?: string; request_headers?: Record<string, string>; request_body_schema?: { properties?: Record<string, Json> } };
    const inbound = c.direction === 'inbound';
    const system: Record<string, unknown> = {
      system__conversation_id: c.id,
      system__agent_id: c.agentId,
      system__call_sid: c.callSid,
      system__caller_id: inbound ? c.externalNumber : c.agentNumber,
      system__called_number: inbound ? c.agentNumber : c.externalNumber,
      ...c.dynamicVariables,
    };
    const body: Json = {};
    for (const [key, property] of Object.entries(api.request_body_schema?.properties ?? {})) {
      if (typeof property.dynamic_variable === 'string') body[key] = system[property.dynamic_variable];
      else if (key in args) body[key] = args[key];
    }
    const seconds = typeof tool.response_timeout_secs === 'number' ? tool.response_timeout_secs : 20;
    return fetch(api.url, {
      method: api.method ?? 'POST',
      headers: { 'content-type': 'application/json', ...(api.request_headers ?? {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(seconds * 1000),
    });
  }

  return Object.assign(fake, { accounts, agents, phoneNumbers, conversations, agentJson, conversationJson, inboundCall, finishCall, signature, callTool });
}
