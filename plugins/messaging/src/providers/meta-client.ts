// Facebook Messenger and Instagram messaging through the Graph API Send API, with plain
// fetch (Meta's Node SDK covers ads, not messaging). Also the webhook signature check, which
// for Twilio and SendGrid the SDKs provide.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { noAnswerError, parseRetryAfter, providerError, retryableStatus, type ProviderError } from './errors.ts';

export interface MetaClientOptions {
  /** A Page access token (Messenger, and Instagram accounts linked to the Page). */
  accessToken: string;
  apiBaseUrl?: string;
  version?: string;
  timeoutMs?: number;
}

/** RESPONSE answers a user within 24 h; MESSAGE_TAG (with `tag`) is the only way outside it. */
export type MessagingType = 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG';

export interface MetaMessageInput {
  /** The PSID (Messenger) or IGSID (Instagram) from the webhook's sender.id. */
  recipientId: string;
  text: string;
  messagingType?: MessagingType;
  /** e.g. HUMAN_AGENT (7 days to answer) or ACCOUNT_UPDATE; needs messagingType MESSAGE_TAG. */
  tag?: string;
  /** Send as this Page or Instagram account id instead of `me` (the token's own account). */
  pageOrIgUserId?: string;
}

export interface MetaSendResult {
  messageId: string;
  recipientId: string;
}

export interface MetaClient {
  sendMessage(input: MetaMessageInput): Promise<MetaSendResult>;
}

export function metaClient(options: MetaClientOptions): MetaClient {
  const base = (options.apiBaseUrl ?? 'https://graph.facebook.com').replace(/\/+$/, '');
  const version = options.version ?? 'v21.0';
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    async sendMessage(input) {
      const url = `${base}/${version}/${encodeURIComponent(input.pageOrIgUserId ?? 'me')}/messages`;
      const body = {
        recipient: { id: input.recipientId },
        messaging_type: input.messagingType ?? (input.tag ? 'MESSAGE_TAG' : 'RESPONSE'),
        message: { text: input.text },
        ...(input.tag ? { tag: input.tag } : {}),
      };
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method: 'POST',
          // A header keeps the token out of URLs, and so out of proxy and access logs.
          headers: { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        throw noAnswerError('meta', error);
      }
      const json = parseJson(text);
      if (!response.ok) throw metaError(response.status, response.headers, json);
      const ok = json as { message_id?: unknown; recipient_id?: unknown } | undefined;
      if (typeof ok?.message_id !== 'string') {
        throw providerError({ provider: 'meta', status: response.status, code: null, retryable: false, message: `Unexpected Send API answer: ${text.slice(0, 200)}` });
      }
      return { messageId: ok.message_id, recipientId: typeof ok.recipient_id === 'string' ? ok.recipient_id : input.recipientId };
    },
  };
}

// Graph codes that mean "slow down" or "try later": 1 and 2 (temporary), 4 (app), 17 (user),
// 32 (page), 341 and 613 (rate limits), 1200 (temporary send failure); 80000-80014 are the
// business-use-case rate limits.
const retryableCodes = new Set([1, 2, 4, 17, 32, 341, 613, 1200]);

interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  fbtrace_id?: string;
}

/** Maps a Graph API error answer ({ error: { message, type, code, error_subcode, fbtrace_id } }) to a ProviderError. */
export function metaError(status: number, headers: Headers, body: unknown): ProviderError {
  const error = ((body as { error?: GraphError } | undefined)?.error ?? {}) as GraphError;
  const code = typeof error.code === 'number' ? error.code : undefined;
  const throttled = code !== undefined && (retryableCodes.has(code) || (code >= 80000 && code <= 80014));
  const retryAfterSeconds = parseRetryAfter(headers.get('retry-after') ?? undefined) ?? regainAccessSeconds(headers);
  return providerError({
    provider: 'meta',
    status,
    code: code === undefined ? null : String(code),
    ...(typeof error.error_subcode === 'number' && { subcode: String(error.error_subcode) }),
    message: error.message ?? `Graph API answered HTTP ${status}`,
    retryable: retryableStatus(status) || throttled || error.is_transient === true,
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    cause: body,
  });
}

/**
 * Meta reports how long a throttled app or page must wait in X-Business-Use-Case-Usage
 * (estimated_time_to_regain_access, in minutes), not in Retry-After.
 */
function regainAccessSeconds(headers: Headers): number | undefined {
  const usage = parseJson(headers.get('x-business-use-case-usage') ?? '');
  if (!usage || typeof usage !== 'object') return undefined;
  let minutes = 0;
  for (const entries of Object.values(usage as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries as { estimated_time_to_regain_access?: unknown }[]) {
      const value = Number(entry?.estimated_time_to_regain_access);
      if (Number.isFinite(value)) minutes = Math.max(minutes, value);
    }
  }
  return minutes > 0 ? minutes * 60 : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Checks X-Hub-Signature-256 ("sha256=" + hex HMAC-SHA256 of the raw body with the app
 * secret) in constant time. Verify the raw bytes: re-serialised JSON does not match.
 */
export function verifyMetaSignature(appSecret: string, rawBody: string | Buffer, header: string | undefined | null): boolean {
  // Exactly 64 hex digits: Buffer.from(hex) stops at the first non-hex character, so
  // "<valid signature>zz" would otherwise pass.
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // timingSafeEqual throws on a length mismatch; a short or non-hex header is simply wrong.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
