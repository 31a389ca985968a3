// A local stand-in for Meta's Graph API Send API (Messenger and Instagram), for tests:
// POST /{version}/me/messages (or /{page-or-ig-id}/messages) with the token as a Bearer
// header or access_token parameter, the real answer ({ recipient_id, message_id }) and Graph
// error JSON ({ error: { message, type, code, error_subcode, fbtrace_id } }). It enforces the
// 24 h standard messaging window: a user opens it by writing to us (postMessage) or by
// openWindow(); outside it only a message tag goes through. Webhooks it posts are signed
// with X-Hub-Signature-256, and it can run the GET verification handshake. The server,
// request log, failure scripting and delivery come from the core's fake-provider kit.
import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { route, startFakeProvider, type FakeAnswer, type FakeDelivery, type FakeDeliveryInput, type FakeFields, type FakeProvider, type FakeRequest } from '@soshogle/core/testing';
import { metaSignature, metaSignatureSha1 } from './signing.ts';

/** A Graph error to answer with; see metaErrors for the documented ones. */
export interface MetaGraphError {
  status: number;
  code: number;
  subcode?: number;
  type?: string;
  message: string;
  isTransient?: boolean;
  headers?: Record<string, string>;
}

/** Errors as Meta documents them for the Send API (Graph answers most errors with HTTP 400). */
export const metaErrors = {
  invalidToken: { status: 400, code: 190, type: 'OAuthException', message: 'Invalid OAuth access token - Cannot parse access token' },
  missingToken: {
    status: 400,
    code: 2500,
    type: 'OAuthException',
    message: 'An active access token must be used to query information about the current user.',
  },
  outsideWindow: {
    status: 400,
    code: 10,
    subcode: 2018278,
    type: 'OAuthException',
    message: '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
  },
  unavailable: { status: 400, code: 551, subcode: 1545041, type: 'OAuthException', message: "(#551) This person isn't available right now." },
  noMatchingUser: { status: 400, code: 100, subcode: 2018001, type: 'OAuthException', message: '(#100) No matching user found' },
  rateLimit: { status: 400, code: 613, type: 'OAuthException', message: '(#613) Calls to this api have exceeded the rate limit.' },
  appRateLimit: { status: 400, code: 4, type: 'OAuthException', message: '(#4) Application request limit reached' },
  /** A business-use-case (Page) limit, with the wait in X-Business-Use-Case-Usage (minutes). */
  pageRateLimit: {
    status: 400,
    code: 80001,
    type: 'OAuthException',
    message: 'There have been too many calls to this Page account. Wait a bit and try again.',
    headers: {
      'x-business-use-case-usage': JSON.stringify({
        '0': [{ type: 'pages', call_count: 100, total_cputime: 20, total_time: 25, estimated_time_to_regain_access: 5 }],
      }),
    },
  },
  serverError: { status: 500, code: 2, type: 'OAuthException', message: 'An unexpected error has occurred. Please retry your request later.', isTransient: true },
} satisfies Record<string, MetaGraphError>;

export interface MetaFakeSend {
  /** "me" or the Page / Instagram account id in the path. */
  accountId: string;
  token: string;
  recipientId: string;
  text: string;
  messagingType: string | undefined;
  tag: string | undefined;
  messageId: string;
}

/** A request the fake received (its raw body in `raw`). */
export type MetaFakeRequest = FakeRequest;

export interface MetaInboundMessage {
  object: 'page' | 'instagram';
  /** The Page id (Messenger) or Instagram professional account id: entry.id and recipient.id. */
  pageId: string;
  /** The user's PSID or IGSID. */
  senderId: string;
  text: string;
  mid?: string;
  /** Milliseconds since the epoch; default now. */
  timestamp?: number;
}

export interface MetaFake extends FakeProvider {
  /** Access tokens it accepts; remove one to "revoke" it. */
  tokens: Set<string>;
  appSecret: string;
  /** Messages accepted by the Send API, in order. */
  sent: MetaFakeSend[];
  /** The next `times` Send API calls answer `error` (e.g. metaErrors.rateLimit). */
  failNext(times: number, error: MetaGraphError): void;
  /** The user last wrote to us at `at` (default now): standard messaging is open for 24 h. */
  openWindow(recipientId: string, at?: Date): void;
  closeWindow(recipientId: string): void;
  /** Sends to this user answer 551 / 1545041 (blocked the Page, deactivated). */
  makeUnavailable(recipientId: string): void;
  /** A signed webhook with any payload (echoes, reads, reactions...), for deliver/deliverAll. */
  webhook(url: string, payload: unknown, options?: DeliveryOptions): FakeDelivery;
  /** The signed messages webhook sent when a user writes to the Page or Instagram account; it opens the 24 h window. */
  messageWebhook(url: string, input: MetaInboundMessage, options?: DeliveryOptions): FakeDelivery;
  /** Delivers messageWebhook(url, input, options). */
  postMessage(url: string, input: MetaInboundMessage, options?: DeliveryOptions): Promise<Response>;
  /** Delivers webhook(url, payload, options). */
  postWebhook(url: string, payload: unknown, options?: DeliveryOptions): Promise<Response>;
  /** The subscription handshake: GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=... */
  verifyHandshake(url: string, verifyToken: string): Promise<{ status: number; body: string; challenge: string }>;
}

/** How a webhook is delivered: duplicated (Meta retries) or late. */
export type DeliveryOptions = Pick<FakeDeliveryInput, 'duplicate' | 'delayMs'>;

const dayMs = 24 * 60 * 60 * 1000;

function graphError(error: MetaGraphError): FakeAnswer {
  return {
    status: error.status,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      ...(error.code === 190 || error.code === 2500 ? { 'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${error.message}"` } : {}),
      ...error.headers,
    },
    body: {
      error: {
        message: error.message,
        type: error.type ?? 'OAuthException',
        code: error.code,
        ...(error.subcode !== undefined ? { error_subcode: error.subcode } : {}),
        ...(error.isTransient !== undefined ? { is_transient: error.isTransient } : {}),
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
  };
}

function param(message: string): MetaGraphError {
  return { status: 400, code: 100, type: 'OAuthException', message };
}

function tokenOf(headers: IncomingHttpHeaders, query: FakeFields, body: Record<string, unknown>): string | undefined {
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(headers.authorization ?? '');
  if (match) return match[1];
  const fromQuery = query.access_token;
  if (typeof fromQuery === 'string' && fromQuery) return fromQuery;
  return typeof body.access_token === 'string' ? body.access_token : undefined;
}

/** JSON bodies, or form bodies whose recipient and message are JSON strings (Meta's curl examples). */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> | undefined {
  try {
    if (contentType?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
    const form = Object.fromEntries(new URLSearchParams(raw)) as Record<string, unknown>;
    for (const key of ['recipient', 'message']) {
      if (typeof form[key] === 'string') form[key] = JSON.parse(form[key]);
    }
    return form;
  } catch {
    return undefined;
  }
}

export async function startMetaFake(options: { tokens: string[]; appSecret: string }): Promise<MetaFake> {
  const windows = new Map<string, number>();
  const unavailable = new Set<string>();
  const tokens = new Set(options.tokens);
  const sent: MetaFakeSend[] = [];
  const sendPath = '/:version/:account/messages';

  // Outside 24 h only tagged messages pass; HUMAN_AGENT lets a person answer for 7 days.
  function windowRefusal(recipientId: string, messagingType: unknown, tag: unknown): MetaGraphError | undefined {
    const last = windows.get(recipientId);
    const age = last === undefined ? Infinity : Date.now() - last;
    if (age < dayMs) return undefined;
    if (messagingType === 'MESSAGE_TAG' && typeof tag === 'string') {
      if (tag !== 'HUMAN_AGENT' || age < 7 * dayMs) return undefined;
    }
    return metaErrors.outsideWindow;
  }

  function send(accountId: string, token: string, body: Record<string, unknown>): FakeAnswer {
    const recipientId = (body.recipient as { id?: unknown } | undefined)?.id;
    const message = body.message as { text?: unknown; attachment?: unknown } | undefined;
    if (typeof recipientId !== 'string' || !recipientId) return graphError(param('(#100) The parameter recipient is required'));
    if (!message || (typeof message.text !== 'string' && !message.attachment)) {
      return graphError(param('(#100) Must send either message or sender action'));
    }
    const text = typeof message.text === 'string' ? message.text : '';
    if (text.length > 2000) return graphError(param('(#100) Length of param message[text] must be less than or equal to 2000'));
    if (body.messaging_type === 'MESSAGE_TAG' && typeof body.tag !== 'string') {
      return graphError(param('(#100) Tag is required for MESSAGE_TAG messaging type.'));
    }
    if (unavailable.has(recipientId)) return graphError(metaErrors.unavailable);
    const refused = windowRefusal(recipientId, body.messaging_type, body.tag);
    if (refused) return graphError(refused);
    const messageId = `m_${randomBytes(48).toString('base64url')}`;
    sent.push({
      accountId,
      token,
      recipientId,
      text,
      messagingType: typeof body.messaging_type === 'string' ? body.messaging_type : undefined,
      tag: typeof body.tag === 'string' ? body.tag : undefined,
      messageId,
    });
    return { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: { recipient_id: recipientId, message_id: messageId } };
  }

  const unknownPath = (request: FakeRequest) =>
    graphError({ status: 400, code: 2500, type: 'OAuthException', message: 'Unknown path components: ' + request.path });

  const kit = await startFakeProvider({
    name: 'meta',
    routes: [
      route('POST', sendPath, (request) => {
        if (!/^v\d+\.\d+$/.test(request.params.version!)) return unknownPath(request);
        const body = parseBody(request.raw.toString('utf8'), request.headers['content-type']);
        if (!body) return graphError(param('(#100) Invalid JSON in request body'));
        const token = tokenOf(request.headers, request.query, body);
        if (!token) return graphError(metaErrors.missingToken);
        if (!tokens.has(token)) return graphError(metaErrors.invalidToken);
        return send(request.params.account!, token, body);
      }),
    ],
    notFound: unknownPath,
    // Meta signs with the app secret over the raw body, in SHA-256 and still in SHA-1.
    sign: ({ raw }) => ({ 'x-hub-signature': metaSignatureSha1(options.appSecret, raw), 'x-hub-signature-256': metaSignature(options.appSecret, raw) }),
  });

  function webhook(url: string, payload: unknown, delivery: DeliveryOptions = {}): FakeDelivery {
    return { ...delivery, url, body: JSON.stringify(payload), headers: { 'content-type': 'application/json', 'user-agent': 'facebookexternalua' } };
  }

  function messageWebhook(url: string, input: MetaInboundMessage, delivery: DeliveryOptions = {}): FakeDelivery {
    const timestamp = input.timestamp ?? Date.now();
    // Instagram mids are base64 of an "ig_message_item" reference; Messenger's start with "m_".
    const mid =
      input.mid ??
      (input.object === 'instagram'
        ? Buffer.from(`ig_message_item:1:IGMessageThread:${input.pageId}:${randomInt(1e9)}`).toString('base64')
        : `m_${randomBytes(48).toString('base64url')}`);
    // The user wrote to us: standard messaging is open for 24 h.
    windows.set(input.senderId, timestamp);
    return webhook(
      url,
      {
        object: input.object,
        entry: [
          {
            id: input.pageId,
            time: timestamp,
            messaging: [{ sender: { id: input.senderId }, recipient: { id: input.pageId }, timestamp, message: { mid, text: input.text } }],
          },
        ],
      },
      delivery,
    );
  }

  const deliver = (delivery: FakeDelivery) => kit.deliver(delivery.url, delivery);

  return Object.assign(kit, {
    tokens,
    appSecret: options.appSecret,
    sent,
    failNext(times: number, error: MetaGraphError) {
      kit.fail({ method: 'POST', path: sendPath }, { ...graphError(error), times });
    },
    openWindow(recipientId: string, at = new Date()) {
      windows.set(recipientId, at.getTime());
    },
    closeWindow(recipientId: string) {
      windows.delete(recipientId);
    },
    makeUnavailable(recipientId: string) {
      unavailable.add(recipientId);
    },
    webhook,
    messageWebhook,
    postWebhook: (url: string, payload: unknown, delivery?: DeliveryOptions) => deliver(webhook(url, payload, delivery)),
    postMessage: (url: string, input: MetaInboundMessage, delivery?: DeliveryOptions) => deliver(messageWebhook(url, input, delivery)),
    async verifyHandshake(url: string, verifyToken: string) {
      const challenge = String(randomInt(1e9, 2e9));
      const target = new URL(url);
      target.searchParams.set('hub.mode', 'subscribe');
      target.searchParams.set('hub.verify_token', verifyToken);
      target.searchParams.set('hub.challenge', challenge);
      const response = await kit.deliver(target.toString(), {
        method: 'GET',
        sign: false,
        headers: { 'user-agent': 'facebookplatform/1.0 (+http://developers.facebook.com)' },
      });
      return { status: response.status, body: await response.text(), challenge };
    },
  });
}
