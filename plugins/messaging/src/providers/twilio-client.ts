// Twilio through the official SDK. `apiBaseUrl` points every Twilio host at one origin
// (a local fake in tests); the SDK's own 429 auto-retry stays off because the job queue
// owns retries. One client per account, kept: its connections stay open between sends.
import http from 'node:http';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { noAnswerError, parseRetryAfter, providerError, retryableStatus, type ProviderError } from './errors.ts';

export type TwilioClient = twilio.Twilio;

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** e.g. http://127.0.0.1:40123: requests to any *.twilio.com host go here instead. */
  apiBaseUrl?: string;
  /** Per-request timeout; the SDK's default is 30 s. */
  timeoutMs?: number;
}

/** Sockets per client: more than a delivery job has sends in flight. */
const maxSockets = 64;

/**
 * The SDK's HTTP client with two changes: requests can go to another origin, and a
 * Retry-After header on an error survives (the SDK's RestException keeps only the body).
 */
class TwilioHttpClient extends twilio.RequestClient {
  private readonly baseUrl: URL | undefined;

  constructor(apiBaseUrl: string | undefined, timeoutMs: number | undefined) {
    // Keep-alive with room for a batch's concurrent sends (the SDK's default is 20 sockets).
    super({ timeout: timeoutMs, autoRetry: false, keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
    this.baseUrl = apiBaseUrl ? new URL(apiBaseUrl) : undefined;
    // The SDK only sets an https agent; a plain-http origin (the fake) gets the same kind.
    if (this.baseUrl?.protocol === 'http:') {
      this.axios.defaults.httpAgent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: this.defaultTimeout });
    }
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
    let uri = opts.uri;
    if (this.baseUrl) {
      const target = new URL(opts.uri);
      target.protocol = this.baseUrl.protocol;
      target.host = this.baseUrl.host;
      uri = target.href;
    }
    const response = await super.request({ ...opts, uri });
    const retryAfterSeconds = parseRetryAfter(response.headers?.['retry-after']);
    if (response.statusCode >= 400 && retryAfterSeconds !== undefined) {
      // The same exception the SDK would raise from this response, plus the delay.
      throw Object.assign(new twilio.RestException(response), { retryAfterSeconds });
    }
    return response;
  }
}

/** Clients kept (the least recently used goes first): one per tenant's account. */
const maxClients = 200;
const clients = new Map<string, TwilioClient>();

/** The client for an account, built once and reused while it is among the recently used. */
export function twilioClient(options: TwilioClientOptions): TwilioClient {
  const key = JSON.stringify([options.accountSid, options.authToken, options.apiBaseUrl ?? null, options.timeoutMs ?? null]);
  let client = clients.get(key);
  if (client) {
    clients.delete(key);
  } else {
    client = twilio(options.accountSid, options.authToken, { httpClient: new TwilioHttpClient(options.apiBaseUrl, options.timeoutMs) });
    if (clients.size >= maxClients) clients.delete(clients.keys().next().value!);
  }
  clients.set(key, client);
  return client;
}

export interface TwilioMessageInput {
  /** Our number, or "whatsapp:+1..." for WhatsApp. */
  from: string;
  to: string;
  body?: string;
  /** An approved Content template (HX...), required for WhatsApp outside the 24 h session. */
  contentSid?: string;
  contentVariables?: Record<string, string>;
  statusCallback?: string;
  mediaUrl?: string[];
}

export interface TwilioSendResult {
  sid: string;
  /** Usually "queued" or "accepted"; the final status comes by status callback. */
  status: string;
}

export async function sendTwilioMessage(client: TwilioClient, input: TwilioMessageInput): Promise<TwilioSendResult> {
  try {
    const message = await client.messages.create({
      from: input.from,
      to: input.to,
      ...(input.body !== undefined && { body: input.body }),
      ...(input.contentSid !== undefined && { contentSid: input.contentSid }),
      ...(input.contentVariables !== undefined && { contentVariables: JSON.stringify(input.contentVariables) }),
      ...(input.statusCallback !== undefined && { statusCallback: input.statusCallback }),
      ...(input.mediaUrl !== undefined && { mediaUrl: input.mediaUrl }),
    });
    return { sid: message.sid, status: message.status };
  } catch (error) {
    throw twilioError(error);
  }
}

// Twilio error codes worth retrying whatever the HTTP status: rate limits and its own 5xx codes.
const retryableCodes = new Set([20429, 20500, 20503]);

interface TwilioSdkError {
  status: number;
  code?: number;
  message: string;
  moreInfo?: string;
  detail?: string;
  retryAfterSeconds?: number;
}

/** Maps what the Twilio SDK throws (RestException, TwilioServiceException, axios errors) to a ProviderError. */
export function twilioError(error: unknown): ProviderError {
  if (!isTwilioSdkError(error)) return noAnswerError('twilio', error);
  const code = typeof error.code === 'number' ? error.code : undefined;
  return providerError({
    provider: 'twilio',
    status: error.status,
    code: code === undefined ? null : String(code),
    message: error.message || error.detail || `Twilio answered HTTP ${error.status}`,
    retryable: retryableStatus(error.status) || (code !== undefined && retryableCodes.has(code)),
    ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
    cause: error,
  });
}

function isTwilioSdkError(error: unknown): error is Error & TwilioSdkError {
  // RestException and TwilioServiceException both carry a numeric HTTP status; axios errors
  // (no answer) carry none at top level.
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number';
}
