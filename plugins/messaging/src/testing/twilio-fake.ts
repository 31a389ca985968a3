// A local stand-in for Twilio Programmable Messaging, for tests: the real REST paths
// (/2010-04-01/Accounts/{AccountSid}/Messages.json), Basic auth with AccountSid:AuthToken,
// the real Message resource JSON and error JSON ({ code, message, more_info, status }), and
// the webhooks Twilio sends us (status callbacks, inbound messages) signed with
// X-Twilio-Signature. WhatsApp: a freeform body outside the user's 24 h session is accepted
// (201) and fails later with 63016, as on Twilio; an approved template (ContentSid) goes through.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  route,
  startFakeProvider,
  type FakeAnswer,
  type FakeDelivery,
  type FakeDeliveryInput,
  type FakeFailure,
  type FakeFields,
  type FakeProvider,
  type FakeRequest,
} from '@soshogle/core/testing';
import { twilioSignature } from './signing.ts';

export interface TwilioAccount {
  accountSid: string;
  authToken: string;
}

export interface TwilioFakeMessage {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  body: string;
  contentSid: string | null;
  contentVariables: string | null;
  mediaUrl: string[];
  statusCallback: string | null;
  status: string;
  errorCode: number | null;
  dateCreated: Date;
  dateUpdated: Date;
  /** Where the message will end up when the test calls sendStatus(sid) without a status. */
  outcome: { status: 'delivered' | 'failed' | 'undelivered'; errorCode: number | null };
}

/** A request the fake received; `body` holds the form parameters (repeated ones, MediaUrl, as arrays), none for a GET. */
export type TwilioFakeRequest = FakeRequest<FakeFields | undefined>;

export interface TwilioFailure {
  status: number;
  /** Twilio's error code; defaults by status (429 -> 20429, 500 -> 20500, 503 -> 20503). */
  code?: number;
  message?: string;
  /** Sent as a Retry-After header (seconds). */
  retryAfter?: number;
}

export interface TwilioInbound {
  from: string;
  to: string;
  body: string;
  accountSid: string;
  /** WhatsApp display name (ProfileName). */
  profileName?: string;
  numMedia?: number;
}

export interface TwilioFake extends FakeProvider<FakeFields | undefined> {
  /** Where it listens, e.g. http://127.0.0.1:40123 (no trailing slash); pass as apiBaseUrl. */
  url: string;
  accounts: TwilioAccount[];
  /** Every message created, by sid. */
  messages: Map<string, TwilioFakeMessage>;
  /** The next `times` API requests fail with `failure`, before authentication, like an overloaded edge. */
  failNext(times: number, failure: TwilioFailure): void;
  /** The next `times` messages to this number fail with `failure` (others go through). */
  failTo(number: string, times: number, failure: TwilioFailure): void;
  /** Sends to this number answer 21610, as after the recipient texted STOP. */
  unsubscribe(number: string): void;
  /** The WhatsApp user wrote to us at `at` (default now): freeform replies are allowed for 24 h. */
  openWhatsAppSession(number: string, at?: Date): void;
  closeWhatsAppSession(number: string): void;
  /**
   * The signed status callback for message `sid`, to its StatusCallback URL, ready for
   * deliver/deliverAll (to duplicate, delay or reorder). Without a status, the message's
   * outcome (delivered, or failed 63016 for a freeform WhatsApp message outside the
   * session). The message takes the status now.
   */
  statusCallback(sid: string, status?: string, options?: StatusOptions): FakeDelivery;
  /** The signed inbound message webhook Twilio sends when someone texts our number. */
  inbound(url: string, input: TwilioInbound): FakeDelivery;
  /** Delivers statusCallback(sid, status, options). */
  sendStatus(sid: string, status?: string, options?: StatusOptions): Promise<Response>;
  /** Delivers inbound(url, input). */
  sendInbound(url: string, input: TwilioInbound, options?: DeliveryOptions): Promise<Response>;
}

/** How a webhook is delivered: duplicated (Twilio retries) or late. */
export type DeliveryOptions = Pick<FakeDeliveryInput, 'duplicate' | 'delayMs'>;

export interface StatusOptions extends DeliveryOptions {
  errorCode?: number;
}

const apiVersion = '2010-04-01';
const dayMs = 24 * 60 * 60 * 1000;
const e164 = /^\+[1-9]\d{6,14}$/;

// Twilio's test-credential magic numbers, which answer these errors on the real API too.
const magicTo: Record<string, [number, (to: string) => string]> = {
  '+15005550001': [21211, (to) => `The 'To' number ${to} is not a valid phone number.`],
  '+15005550009': [21614, (to) => `To number: ${to}, is not a mobile number`],
  '+15005550004': [21610, () => 'Attempt to send to unsubscribed recipient'],
};

const defaultMessages: Record<number, string> = {
  20003: 'Authentication Error - invalid username',
  20404: 'The requested resource was not found',
  20429: 'Too Many Requests',
  20500: 'Internal Server Error',
  20503: 'Service Unavailable',
};

const codeForStatus: Record<number, number> = { 401: 20003, 404: 20404, 429: 20429, 500: 20500, 503: 20503 };

/** Twilio's error answer: { code, message, more_info, status }. */
function failure(status: number, code: number, message: string, headers: Record<string, string> = {}): FakeAnswer {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

function twilioDate(date: Date): string {
  // RFC 2822 in GMT, the way Twilio writes it: "Thu, 30 Jul 2015 20:12:31 +0000".
  return date.toUTCString().replace('GMT', '+0000');
}

/** Twilio's answers are JSON in UTF-8. */
function json(status: number, body: unknown): FakeAnswer {
  return { status, body, headers: { 'content-type': 'application/json; charset=utf-8' } };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function hex32(): string {
  return randomBytes(16).toString('hex');
}

function bare(address: string): string {
  return address.replace(/^whatsapp:/, '');
}

function isWhatsApp(address: string): boolean {
  return address.startsWith('whatsapp:');
}

/** The Message resource as the REST API returns it. */
function resource(m: TwilioFakeMessage) {
  const uri = `/${apiVersion}/Accounts/${m.accountSid}/Messages/${m.sid}`;
  return {
    account_sid: m.accountSid,
    api_version: apiVersion,
    body: m.body,
    date_created: twilioDate(m.dateCreated),
    date_sent: ['sent', 'delivered', 'read', 'undelivered'].includes(m.status) ? twilioDate(m.dateUpdated) : null,
    date_updated: twilioDate(m.dateUpdated),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: null,
    num_media: String(m.mediaUrl.length),
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
    to: m.to,
    uri: `${uri}.json`,
  };
}

export async function startTwilioFake(options: { accounts: TwilioAccount[] }): Promise<TwilioFake> {
  const accounts = options.accounts;
  const messages = new Map<string, TwilioFakeMessage>();
  const unsubscribed = new Set<string>();
  const sessions = new Map<string, number>();

  function tokenOf(accountSid: string): string {
    const account = accounts.find((a) => a.accountSid === accountSid);
    if (!account) throw new Error(`twilio fake: unknown account ${accountSid}`);
    return account.authToken;
  }

  function sessionOpen(user: string): boolean {
    const openedAt = sessions.get(bare(user));
    return openedAt !== undefined && Date.now() - openedAt < dayMs;
  }

  // Who is calling: the Basic credentials must be one of the accounts, and the one in the path.
  function authenticate(headers: IncomingHttpHeaders, pathAccount: string): FakeAnswer | undefined {
    const [scheme, encoded] = (headers.authorization ?? '').split(' ');
    const [user, ...rest] = Buffer.from(encoded ?? '', 'base64').toString('utf8').split(':');
    const password = rest.join(':');
    const account = accounts.find((a) => a.accountSid === user && a.authToken === password);
    if (scheme !== 'Basic' || !account) {
      return failure(401, 20003, defaultMessages[20003]!, { 'www-authenticate': 'Basic realm="Twilio API"' });
    }
    if (account.accountSid !== pathAccount) {
      return failure(404, 20404, `The requested resource /${apiVersion}/Accounts/${pathAccount} was not found`);
    }
    return undefined;
  }

  // Twilio's checks on a new message, in about its order; undefined when the message is fine.
  function refusal(params: URLSearchParams): FakeAnswer | undefined {
    const to = params.get('To') ?? '';
    const from = params.get('From') ?? '';
    const body = params.get('Body') ?? '';
    const contentVariables = params.get('ContentVariables');
    const statusCallback = params.get('StatusCallback');
    if (!to) return failure(400, 21604, "A 'To' phone number is required.");
    if (!from && !params.get('MessagingServiceSid')) return failure(400, 21603, "A 'From' phone number is required.");
    if (!body && !params.get('ContentSid') && !params.has('MediaUrl')) return failure(400, 21602, 'Message body is required.');
    if (body.length > 1600) return failure(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (from && !e164.test(bare(from)) && !/^[A-Za-z0-9 ]{1,11}$/.test(from)) {
      return failure(400, 21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
    }
    if (from && isWhatsApp(from) !== isWhatsApp(to)) {
      return failure(400, 21910, 'Invalid From and To pair. From and To should be of the same channel');
    }
    if (!e164.test(bare(to))) return failure(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    const magic = magicTo[bare(to)];
    if (magic) return failure(400, magic[0], magic[1](to));
    if (unsubscribed.has(bare(to))) return failure(400, 21610, 'Attempt to send to unsubscribed recipient');
    if (contentVariables !== null && !isJson(contentVariables)) {
      return failure(400, 21656, 'The ContentVariables Parameter is invalid.');
    }
    if (statusCallback !== null && !URL.canParse(statusCallback)) {
      return failure(400, 21609, `The StatusCallback URL ${statusCallback} is not a valid URL.`);
    }
    return undefined;
  }

  function createMessage(accountSid: string, params: URLSearchParams): TwilioFakeMessage {
    const to = params.get('To') ?? '';
    const contentSid = params.get('ContentSid');
    const mediaUrl = params.getAll('MediaUrl');
    // WhatsApp lets a business send freeform text only within 24 h of the user's last message.
    const outsideSession = isWhatsApp(to) && !contentSid && !sessionOpen(to);
    const now = new Date();
    const message: TwilioFakeMessage = {
      sid: (mediaUrl.length ? 'MM' : 'SM') + hex32(),
      accountSid,
      from: params.get('From') ?? '',
      to,
      body: params.get('Body') ?? '',
      contentSid,
      contentVariables: params.get('ContentVariables'),
      mediaUrl,
      statusCallback: params.get('StatusCallback'),
      status: 'queued',
      errorCode: null,
      dateCreated: now,
      dateUpdated: now,
      outcome: outsideSession ? { status: 'failed', errorCode: 63016 } : { status: 'delivered', errorCode: null },
    };
    messages.set(message.sid, message);
    return message;
  }

  /** A scripted failure as Twilio answers it: its error JSON, and Retry-After when given. */
  function failed(given: TwilioFailure, times: number): FakeFailure {
    const { status, retryAfter } = given;
    const code = given.code ?? codeForStatus[status] ?? 20500;
    const message = given.message ?? defaultMessages[code] ?? 'Internal Server Error';
    return { ...failure(status, code, message, retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }), times };
  }

  const kit = await startFakeProvider<FakeFields | undefined>({
    name: 'twilio',
    routes: [
      route('POST', `/${apiVersion}/Accounts/:account/Messages.json`, (request) => {
        const params = new URLSearchParams(request.raw.toString('utf8'));
        const account = request.params.account!;
        return authenticate(request.headers, account) ?? refusal(params) ?? json(201, resource(createMessage(account, params)));
      }),
      route('GET', `/${apiVersion}/Accounts/:account/Messages/:sid.json`, (request) => {
        const account = request.params.account!;
        const denied = authenticate(request.headers, account);
        if (denied) return denied;
        const found = messages.get(request.params.sid!);
        if (found && found.accountSid === account) return json(200, resource(found));
        return failure(404, 20404, `The requested resource ${request.path} was not found`);
      }),
    ],
    notFound: (request) => failure(404, 20404, `The requested resource ${request.path} was not found`),
  });

  // Twilio signs each webhook with the account's auth token over the URL and the form parameters.
  function webhook(url: string, accountSid: string, params: Record<string, string>, delivery: DeliveryOptions = {}): FakeDelivery {
    const token = tokenOf(accountSid);
    return {
      ...delivery,
      url,
      body: new URLSearchParams(params),
      // One token per event: Twilio's retries of it carry the same one.
      headers: { 'i-twilio-idempotency-token': randomBytes(16).toString('hex'), 'user-agent': 'TwilioProxy/1.1' },
      sign: () => ({ 'x-twilio-signature': twilioSignature(token, url, params) }),
    };
  }

  function statusCallback(sid: string, status?: string, options: StatusOptions = {}): FakeDelivery {
    const message = messages.get(sid);
    if (!message) throw new Error(`twilio fake: no message ${sid}`);
    if (!message.statusCallback) throw new Error(`twilio fake: message ${sid} has no StatusCallback`);
    const final = status ?? message.outcome.status;
    const errorCode = options.errorCode ?? (status === undefined ? message.outcome.errorCode : null);
    message.status = final;
    message.errorCode = errorCode;
    message.dateUpdated = new Date();
    const params: Record<string, string> = {
      SmsSid: sid,
      SmsStatus: final,
      MessageStatus: final,
      To: message.to,
      MessageSid: sid,
      AccountSid: message.accountSid,
      From: message.from,
      ApiVersion: apiVersion,
    };
    if (errorCode !== null) params.ErrorCode = String(errorCode);
    if (isWhatsApp(message.to)) {
      params.ChannelPrefix = 'whatsapp';
      params.ChannelToAddress = bare(message.to);
      params.ChannelInstallSid = 'XE' + '0'.repeat(32);
    }
    return webhook(message.statusCallback, message.accountSid, params, { duplicate: options.duplicate, delayMs: options.delayMs });
  }

  function inbound(target: string, input: TwilioInbound, delivery: DeliveryOptions = {}): FakeDelivery {
    const numMedia = input.numMedia ?? 0;
    const sid = (numMedia > 0 ? 'MM' : 'SM') + hex32();
    const params: Record<string, string> = {
      SmsMessageSid: sid,
      NumMedia: String(numMedia),
      SmsSid: sid,
      SmsStatus: 'received',
      Body: input.body,
      To: input.to,
      NumSegments: '1',
      MessageSid: sid,
      AccountSid: input.accountSid,
      From: input.from,
      ApiVersion: apiVersion,
    };
    for (let i = 0; i < numMedia; i++) {
      params[`MediaContentType${i}`] = 'image/jpeg';
      params[`MediaUrl${i}`] = `${kit.url}/${apiVersion}/Accounts/${input.accountSid}/Messages/${sid}/Media/ME${hex32()}`;
    }
    if (isWhatsApp(input.from)) {
      params.ProfileName = input.profileName ?? '';
      params.WaId = bare(input.from).replace(/^\+/, '');
      params.MessageType = numMedia > 0 ? 'image' : 'text';
      params.ReferralNumMedia = '0';
      // The user wrote to us: freeform replies are allowed for the next 24 h.
      sessions.set(bare(input.from), Date.now());
    } else {
      for (const side of ['From', 'To']) {
        for (const part of ['City', 'State', 'Zip', 'Country']) params[`${side}${part}`] = part === 'Country' ? 'US' : '';
      }
    }
    return webhook(target, input.accountSid, params, delivery);
  }

  return Object.assign(kit, {
    accounts,
    messages,
    failNext(times: number, given: TwilioFailure) {
      kit.fail({}, failed(given, times));
    },
    failTo(number: string, times: number, given: TwilioFailure) {
      kit.fail({ where: (r: TwilioFakeRequest) => r.method === 'POST' && bare(String(r.body?.To ?? '')) === bare(number) }, failed(given, times));
    },
    unsubscribe(number: string) {
      unsubscribed.add(bare(number));
    },
    openWhatsAppSession(number: string, at = new Date()) {
      sessions.set(bare(number), at.getTime());
    },
    closeWhatsAppSession(number: string) {
      sessions.delete(bare(number));
    },
    statusCallback,
    inbound: (url: string, input: TwilioInbound) => inbound(url, input),
    sendStatus: (sid: string, status?: string, options?: StatusOptions) => {
      const delivery = statusCallback(sid, status, options);
      return kit.deliver(delivery.url, delivery);
    },
    sendInbound: (url: string, input: TwilioInbound, options?: DeliveryOptions) => {
      const delivery = inbound(url, input, options);
      return kit.deliver(delivery.url, delivery);
    },
  });
}
