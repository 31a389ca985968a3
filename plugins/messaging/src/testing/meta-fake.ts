// A local stand-in for Meta's Graph API Send API (Messenger and Instagram), for tests:
// POST /{version}/me/messages (or /{page-or-ig-id}/messages) with the token as a Bearer
// header or access_token parameter, the real answer ({ recipient_id, message_id }) and Graph
// error JSON ({ error: { message, type, code, error_subcode, fbtrace_id } }). It enforces the
// 24 h standard messaging window: a user opens it by writing to us (postMessage) or by
// openWindow(); outside it only a message tag goes through. Webhooks it posts are signed
// with X-Hub-Signature-256, and it can run the GET verification handshake.
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export interface MetaFakeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

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

export interface MetaFake {
  url: string;
  /** Access tokens it accepts; remove one to "revoke" it. */
  tokens: Set<string>;
  appSecret: string;
  /** Messages accepted by the Send API, in order. */
  sent: MetaFakeSend[];
  requests: MetaFakeRequest[];
  /** The next `times` Send API calls answer `error` (e.g. metaErrors.rateLimit). */
  failNext(times: number, error: MetaGraphError): void;
  /** The user last wrote to us at `at` (default now): standard messaging is open for 24 h. */
  openWindow(recipientId: string, at?: Date): void;
  closeWindow(recipientId: string): void;
  /** Sends to this user answer 551 / 1545041 (blocked the Page, deactivated). */
  makeUnavailable(recipientId: string): void;
  /** POSTs a signed messages webhook, as when a user writes to the Page or Instagram account. */
  postMessage(url: string, input: MetaInboundMessage): Promise<Response>;
  /** POSTs any webhook payload, signed (for echoes, reads, reactions...). */
  postWebhook(url: string, payload: unknown): Promise<Response>;
  /** The subscription handshake: GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=... */
  verifyHandshake(url: string, verifyToken: string): Promise<{ status: number; body: string; challenge: string }>;
  close(): Promise<void>;
}

const dayMs = 24 * 60 * 60 * 1000;

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function graphError(error: MetaGraphError): Answer {
  return {
    status: error.status,
    headers: {
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

function tokenOf(headers: IncomingHttpHeaders, query: URLSearchParams, body: Record<string, unknown>): string | undefined {
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(headers.authorization ?? '');
  if (match) return match[1];
  const fromQuery = query.get('access_token');
  if (fromQuery) return fromQuery;
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
  const failures: { times: number; error: MetaGraphError }[] = [];
  const windows = new Map<string, number>();
  const unavailable = new Set<string>();
  const fake = {
    tokens: new Set(options.tokens),
    appSecret: options.appSecret,
    sent: [] as MetaFakeSend[],
    requests: [] as MetaFakeRequest[],
  };

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

  function send(accountId: string, token: string, body: Record<string, unknown>): Answer {
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
    fake.sent.push({
      accountId,
      token,
      recipientId,
      text,
      messagingType: typeof body.messaging_type === 'string' ? body.messaging_type : undefined,
      tag: typeof body.tag === 'string' ? body.tag : undefined,
      messageId,
    });
    return { status: 200, body: { recipient_id: recipientId, message_id: messageId } };
  }

  function answer(method: string, target: URL, headers: IncomingHttpHeaders, raw: string): Answer {
    const route = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(target.pathname);
    if (!route || method !== 'POST') {
      return graphError({ status: 400, code: 2500, type: 'OAuthException', message: 'Unknown path components: ' + target.pathname });
    }
    const next = failures[0];
    if (next) {
      if (--next.times <= 0) failures.shift();
      return graphError(next.error);
    }
    const body = parseBody(raw, headers['content-type']);
    if (!body) return graphError(param('(#100) Invalid JSON in request body'));
    const token = tokenOf(headers, target.searchParams, body);
    if (!token) return graphError(metaErrors.missingToken);
    if (!fake.tokens.has(token)) return graphError(metaErrors.invalidToken);
    return send(decodeURIComponent(route[2]!), token, body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks).toString('utf8');
      const result = answer(req.method ?? '', target, req.headers, raw);
      fake.requests.push({ method: req.method ?? '', path: target.pathname, headers: req.headers, body: raw, status: result.status });
      res.writeHead(result.status, { 'content-type': 'application/json; charset=UTF-8', ...result.headers });
      res.end(JSON.stringify(result.body));
    });
  });

  async function postWebhook(url: string, payload: unknown): Promise<Response> {
    const body = JSON.stringify(payload);
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'facebookexternalua',
        'x-hub-signature': metaSignatureSha1(fake.appSecret, body),
        'x-hub-signature-256': metaSignature(fake.appSecret, body),
      },
      body,
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    failNext(times: number, error: MetaGraphError) {
      failures.push({ times, error });
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
    postWebhook,
    async postMessage(url: string, input: MetaInboundMessage) {
      const timestamp = input.timestamp ?? Date.now();
      // Instagram mids are base64 of an "ig_message_item" reference; Messenger's start with "m_".
      const mid =
        input.mid ??
        (input.object === 'instagram'
          ? Buffer.from(`ig_message_item:1:IGMessageThread:${input.pageId}:${randomInt(1e9)}`).toString('base64')
          : `m_${randomBytes(48).toString('base64url')}`);
      // The user wrote to us: standard messaging is open for 24 h.
      windows.set(input.senderId, timestamp);
      return postWebhook(url, {
        object: input.object,
        entry: [
          {
            id: input.pageId,
            time: timestamp,
            messaging: [
              {
                sender: { id: input.senderId },
                recipient: { id: input.pageId },
                timestamp,
                message: { mid, text: input.text },
              },
            ],
          },
        ],
      });
    },
    async verifyHandshake(url: string, verifyToken: string) {
      const challenge = String(randomInt(1e9, 2e9));
      const target = new URL(url);
      target.searchParams.set('hub.mode', 'subscribe');
      target.searchParams.set('hub.verify_token', verifyToken);
      target.searchParams.set('hub.challenge', challenge);
      const response = await fetch(target, { headers: { 'user-agent': 'facebookplatform/1.0 (+http://developers.facebook.com)' } });
      return { status: response.status, body: await response.text(), challenge };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
