// SendGrid through the official SDK: a MailService of our own (not the module-wide
// singleton, so each workspace's key stays separate) over a Client whose base URL can
// point at a local fake. One per key, kept, over keep-alive connections.
import https from 'node:https';
import { Client } from '@sendgrid/client';
import { MailService, type MailDataRequired } from '@sendgrid/mail';
import { noAnswerError, parseRetryAfter, providerError, retryableStatus, type ProviderError } from './errors.ts';

export interface SendgridMailOptions {
  apiKey: string;
  /** e.g. http://127.0.0.1:40123; defaults to https://api.sendgrid.com/. */
  apiBaseUrl?: string;
  /** Per-request timeout; the SDK sets none, so a hung connection would hang the job. */
  timeoutMs?: number;
}

// Shared by every key's client: connections are per origin, and stay open between sends.
// (A plain-http base URL, the fake, goes through Node's global agent, which keeps alive too.)
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });
/** Mail services kept (the least recently used goes first): one per tenant's key. */
const maxServices = 200;
const services = new Map<string, MailService>();

/** The mail service for a key, built once and reused while it is among the recently used. */
export function sendgridMail(options: SendgridMailOptions): MailService {
  const key = JSON.stringify([options.apiKey, options.apiBaseUrl ?? null, options.timeoutMs ?? null]);
  let mail = services.get(key);
  if (mail) {
    services.delete(key);
  } else {
    mail = newMailService(options);
    if (services.size >= maxServices) services.delete(services.keys().next().value!);
  }
  services.set(key, mail);
  return mail;
}

function newMailService(options: SendgridMailOptions): MailService {
  const client = new Client();
  client.setApiKey(options.apiKey);
  // After setApiKey: it resets the base URL to the default region's host.
  if (options.apiBaseUrl) client.setDefaultRequest('baseUrl', options.apiBaseUrl);
  client.setDefaultRequest('httpsAgent', httpsAgent);
  const mail = new MailService();
  mail.setClient(client);
  mail.setTimeout(options.timeoutMs ?? 30_000);
  return mail;
}

export type EmailAddress = string | { email: string; name?: string };

export interface EmailInput {
  from: EmailAddress;
  to: EmailAddress | EmailAddress[];
  subject: string;
  html?: string;
  text?: string;
  /** Extra MIME headers, e.g. In-Reply-To and References for threading. */
  headers?: Record<string, string>;
  /** Come back at the top level of every Event Webhook event for this mail. */
  customArgs?: Record<string, string>;
  replyTo?: EmailAddress;
}

export interface EmailSendResult {
  /** The X-Message-Id header; event webhooks carry it as the prefix of sg_message_id. */
  messageId: string;
}

export async function sendEmail(mail: MailService, input: EmailInput): Promise<EmailSendResult> {
  // The SDK's types want text or html; SendGrid itself answers 400 when both are missing.
  const data = {
    from: input.from,
    to: input.to,
    subject: input.subject,
    ...(input.text !== undefined && { text: input.text }),
    ...(input.html !== undefined && { html: input.html }),
    ...(input.headers !== undefined && { headers: input.headers }),
    ...(input.customArgs !== undefined && { customArgs: input.customArgs }),
    ...(input.replyTo !== undefined && { replyTo: input.replyTo }),
  } as MailDataRequired;
  let response;
  try {
    [response] = await mail.send(data);
  } catch (error) {
    throw sendgridError(error);
  }
  const messageId = header(response.headers, 'x-message-id');
  if (!messageId) {
    throw providerError({
      provider: 'sendgrid',
      status: response.statusCode,
      code: null,
      message: 'SendGrid accepted the mail but sent no X-Message-Id header',
      // The mail may be on its way: sending again could deliver it twice.
      retryable: false,
    });
  }
  return { messageId };
}

interface SendgridResponseError extends Error {
  code: number;
  response?: { headers?: Record<string, unknown>; body?: unknown };
}

/** Maps what @sendgrid/mail throws (ResponseError, axios errors, SDK validation errors) to a ProviderError. */
export function sendgridError(error: unknown): ProviderError {
  // ResponseError's `code` is the HTTP status (a number); axios network errors have a string code.
  if (!(error instanceof Error) || typeof (error as { code?: unknown }).code !== 'number') {
    return noAnswerError('sendgrid', error);
  }
  const { code: status, response } = error as SendgridResponseError;
  const errors = errorList(response?.body);
  const first = errors[0];
  const retryAfterSeconds = status === 429 ? retryAfter(response?.headers ?? {}) : undefined;
  return providerError({
    provider: 'sendgrid',
    status,
    // SendGrid has no error codes; the field ("subject", "personalizations.0.to.0.email") is
    // the one machine-readable part.
    code: first?.field ?? null,
    message: errors.map((e) => e.message).filter(Boolean).join('; ') || error.message || `SendGrid answered HTTP ${status}`,
    retryable: retryableStatus(status),
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    cause: error,
  });
}

function errorList(body: unknown): { message: string; field: string | null }[] {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { errors?: unknown }).errors)) return [];
  return ((body as { errors: unknown[] }).errors).map((e) => {
    const item = (e ?? {}) as { message?: unknown; field?: unknown };
    return {
      message: typeof item.message === 'string' ? item.message : '',
      field: typeof item.field === 'string' ? item.field : null,
    };
  });
}

/** Retry-After when given, else the X-RateLimit-Reset epoch second SendGrid documents for 429s. */
function retryAfter(headers: Record<string, unknown>, now = Date.now()): number | undefined {
  const explicit = parseRetryAfter(header(headers, 'retry-after'), now);
  if (explicit !== undefined) return explicit;
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, Math.ceil(reset - now / 1000)) : undefined;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  // axios hands back an AxiosHeaders object; plain objects appear in tests and older versions.
  const value = (headers as Record<string, unknown>)[name] ?? (headers as Record<string, unknown>)[name.toLowerCase()];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
