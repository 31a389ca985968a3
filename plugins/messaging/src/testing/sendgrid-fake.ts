// A local stand-in for SendGrid, for tests: POST /v3/mail/send with Bearer auth, the real
// answers (202 with an empty body and X-Message-Id; 400/401/429 with { errors: [{ message,
// field, help }] }), the Signed Event Webhook (ECDSA P-256 over timestamp + body) and
// Inbound Parse (multipart/form-data, unsigned). The server, request log, failure scripting
// and delivery come from the core's fake-provider kit.
import { randomBytes, randomUUID } from 'node:crypto';
import { route, startFakeProvider, type FakeDelivery, type FakeDeliveryInput, type FakeProvider, type FakeRequest } from '@soshogle/core/testing';
import { sendgridEventKeys, sendgridEventSignature } from './signing.ts';

interface EmailJson {
  email: string;
  name?: string;
}

/** One mail as the fake received it (the v3 JSON body). */
export interface SendgridFakeMail {
  messageId: string;
  personalizations: { to: EmailJson[]; cc?: EmailJson[]; bcc?: EmailJson[]; subject?: string; custom_args?: Record<string, string> }[];
  from: EmailJson;
  reply_to?: EmailJson;
  subject?: string;
  content?: { type: string; value: string }[];
  headers?: Record<string, string>;
  custom_args?: Record<string, string>;
  categories?: string[];
  template_id?: string;
}

/** A request the fake received; `body` is the parsed JSON (undefined when it is not JSON). */
export type SendgridFakeRequest = FakeRequest<Partial<SendgridFakeMail> | undefined>;

export type SendgridEventType =
  | 'processed'
  | 'delivered'
  | 'deferred'
  | 'bounce'
  | 'dropped'
  | 'open'
  | 'click'
  | 'spamreport'
  | 'unsubscribe'
  | 'group_unsubscribe'
  | 'group_resubscribe';

/** An Event Webhook event: the documented fields, plus the mail's custom args at the top level. */
export type SendgridEvent = {
  email: string;
  timestamp: number;
  event: SendgridEventType;
  sg_event_id: string;
  sg_message_id: string;
  'smtp-id': string;
} & Record<string, unknown>;

export interface InboundParseInput {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra MIME headers for the raw `headers` field, e.g. In-Reply-To and References. */
  headers?: Record<string, string>;
}

export interface SendgridFake extends FakeProvider<Partial<SendgridFakeMail> | undefined> {
  /** Keys it accepts; remove one to make it "revoked". */
  apiKeys: Set<string>;
  /** Mails accepted (202), in order. */
  mails: SendgridFakeMail[];
  /** The verification key as SendGrid's settings show it (base64 DER SubjectPublicKeyInfo). */
  eventWebhookPublicKey: string;
  /** The next `times` sends fail with `status` (429 comes with X-RateLimit-* headers). */
  failNext(times: number, failure: { status: number; message?: string; resetInSeconds?: number }): void;
  /** A realistic event for an accepted mail (default recipient: the first "to"); `extra` overrides fields. */
  event(messageId: string, type: SendgridEventType, extra?: Record<string, unknown>): SendgridEvent;
  /** The events as SendGrid posts them: a JSON array, signed, with the timestamp header; for deliver/deliverAll. */
  eventsDelivery(url: string, events: SendgridEvent[], options?: EventOptions): FakeDelivery;
  /** Delivers eventsDelivery(url, events, options). */
  postEvents(url: string, events: SendgridEvent[], options?: EventOptions): Promise<Response>;
  /** POSTs an inbound mail as Inbound Parse does (multipart/form-data, no signature). */
  postInboundParse(url: string, input: InboundParseInput): Promise<Response>;
}

export interface EventOptions extends Pick<FakeDeliveryInput, 'duplicate' | 'delayMs'> {
  /** The timestamp header (seconds), default now. */
  timestamp?: number;
}

const docs = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';
const emailPattern = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

interface SendgridErrorItem {
  message: string;
  field: string | null;
  help: string | null;
}

const failureMessages: Record<number, string> = {
  401: 'The provided authorization grant is invalid, expired, or revoked',
  403: 'access forbidden',
  413: 'request entity too large',
  429: 'too many requests',
  500: 'internal error',
  502: 'bad gateway',
  503: 'service unavailable',
};

function errorsAnswer(status: number, errors: SendgridErrorItem[], headers: Record<string, string> = {}) {
  return { status, body: { errors }, headers };
}

function validEmail(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as EmailJson).email === 'string' && emailPattern.test((value as EmailJson).email);
}

/** SendGrid's mail/send validation (the common cases); an empty list means the mail is accepted. */
function validate(mail: Partial<SendgridFakeMail>): SendgridErrorItem[] {
  const errors: SendgridErrorItem[] = [];
  if (!mail.from || typeof mail.from !== 'object') {
    errors.push({
      message: 'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.',
      field: 'from',
      help: `${docs}#message.from`,
    });
  } else if (!validEmail(mail.from)) {
    errors.push({ message: 'The from email does not contain a valid address.', field: 'from.email', help: `${docs}#message.from` });
  }
  const personalizations = Array.isArray(mail.personalizations) ? mail.personalizations : [];
  if (personalizations.length === 0) {
    errors.push({
      message: 'The personalizations field is required and must have at least one personalization.',
      field: 'personalizations',
      help: `${docs}#-Personalizations-Errors`,
    });
  }
  personalizations.forEach((p, i) => {
    if (!Array.isArray(p.to) || p.to.length === 0) {
      errors.push({
        message: 'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
        field: `personalizations.${i}.to`,
        help: `${docs}#message.personalizations.to`,
      });
      return;
    }
    p.to.forEach((to, j) => {
      if (!validEmail(to)) {
        errors.push({ message: 'Does not contain a valid address.', field: `personalizations.${i}.to.${j}.email`, help: `${docs}#message.personalizations.to` });
      }
    });
  });
  const everyHasSubject = personalizations.length > 0 && personalizations.every((p) => typeof p.subject === 'string' && p.subject !== '');
  if (!mail.template_id && !mail.subject && !everyHasSubject) {
    errors.push({
      message: 'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
      field: 'subject',
      help: `${docs}#message.subject`,
    });
  }
  if (!mail.template_id && (!Array.isArray(mail.content) || mail.content.length === 0)) {
    errors.push({
      message: 'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
      field: 'content',
      help: `${docs}#message.content`,
    });
  }
  return errors;
}

/** SendGrid's ids look like "W86EgYT6SQKk0lRflfLRsA": 22 characters of base64url. */
function messageIdOf(): string {
  return randomBytes(16).toString('base64url');
}

export async function startSendgridFake(options: { apiKeys: string[] }): Promise<SendgridFake> {
  const keys = sendgridEventKeys();
  const apiKeys = new Set(options.apiKeys);
  const mails: SendgridFakeMail[] = [];
  const timestampHeader = 'x-twilio-email-event-webhook-timestamp';

  const kit = await startFakeProvider<Partial<SendgridFakeMail> | undefined>({
    name: 'sendgrid',
    routes: [
      route('POST', '/v3/mail/send', (request) => {
        const auth = request.headers.authorization;
        if (!auth) return errorsAnswer(401, [{ field: null, message: 'authorization required', help: null }]);
        if (!auth.startsWith('Bearer ') || !apiKeys.has(auth.slice('Bearer '.length))) {
          return errorsAnswer(401, [{ field: null, message: failureMessages[401]!, help: null }]);
        }
        const mail = request.body;
        if (!mail || typeof mail !== 'object') return errorsAnswer(400, [{ field: null, message: 'Bad Request', help: null }]);
        const errors = validate(mail);
        if (errors.length) return errorsAnswer(400, errors);
        const messageId = messageIdOf();
        mails.push({ ...(mail as SendgridFakeMail), messageId });
        return { status: 202, headers: { 'x-message-id': messageId } };
      }),
    ],
    notFound: () => errorsAnswer(404, [{ field: null, message: 'resource not found', help: null }]),
    // The Signed Event Webhook: ECDSA over the timestamp header's value and the raw body.
    sign: ({ raw, headers }) => ({ 'x-twilio-email-event-webhook-signature': sendgridEventSignature(keys.privateKey, headers[timestampHeader] ?? '', raw) }),
  });

  function eventsDelivery(url: string, events: SendgridEvent[], options: EventOptions = {}): FakeDelivery {
    return {
      url,
      body: JSON.stringify(events),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'SendGrid Event API',
        [timestampHeader]: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
      },
      duplicate: options.duplicate,
      delayMs: options.delayMs,
    };
  }

  return Object.assign(kit, {
    apiKeys,
    mails,
    eventWebhookPublicKey: keys.publicKey,
    failNext(times: number, failure: { status: number; message?: string; resetInSeconds?: number }) {
      const limits: Record<string, string> =
        failure.status === 429
          ? {
              'x-ratelimit-limit': '600',
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + (failure.resetInSeconds ?? 60)),
            }
          : {};
      const message = failure.message ?? failureMessages[failure.status] ?? 'internal error';
      kit.fail({ method: 'POST', path: '/v3/mail/send' }, { ...errorsAnswer(failure.status, [{ field: null, message, help: null }], limits), times });
    },
    event(messageId: string, type: SendgridEventType, extra: Record<string, unknown> = {}): SendgridEvent {
      const mail = mails.find((m) => m.messageId === messageId);
      if (!mail) throw new Error(`sendgrid fake: no mail ${messageId}`);
      const first = mail.personalizations[0];
      const base: SendgridEvent = {
        email: first?.to[0]?.email ?? '',
        timestamp: Math.floor(Date.now() / 1000),
        event: type,
        'smtp-id': `<${messageId}@geopod-ismtpd-1>`,
        sg_event_id: randomBytes(16).toString('base64url'),
        // Events carry the X-Message-Id as a prefix: "<x-message-id>.filterdrecv-...".
        sg_message_id: `${messageId}.filterdrecv-${randomBytes(5).toString('hex')}-${randomBytes(3).toString('hex')}-1-${randomBytes(4).toString('hex').toUpperCase()}-1.0`,
        // One category comes as a string, several as an array.
        ...(mail.categories?.length ? { category: mail.categories.length === 1 ? mail.categories[0] : mail.categories } : {}),
        // Custom args come back at the top level of every event.
        ...mail.custom_args,
        ...first?.custom_args,
        ...detailsOf(type),
      };
      return { ...base, ...extra } as SendgridEvent;
    },
    eventsDelivery,
    postEvents(url: string, events: SendgridEvent[], options?: EventOptions) {
      return kit.deliver(url, eventsDelivery(url, events, options));
    },
    postInboundParse(url: string, input: InboundParseInput) {
      return kit.deliver(url, { body: inboundForm(input), sign: false });
    },
  });
}

/** The fields SendGrid adds for each event type. */
function detailsOf(type: SendgridEventType): Record<string, unknown> {
  switch (type) {
    case 'delivered':
      return { response: '250 2.0.0 OK', ip: '149.72.123.24', tls: 1 };
    case 'deferred':
      return { response: '421 4.7.0 Try again later', attempt: '1', ip: '149.72.123.24', tls: 1 };
    case 'bounce':
      return {
        type: 'bounce',
        reason: "550 5.1.1 The email account that you tried to reach does not exist.",
        status: '5.1.1',
        bounce_classification: 'Invalid Address',
        ip: '149.72.123.24',
        tls: 1,
      };
    case 'dropped':
      return { reason: 'Bounced Address', status: '5.0.0' };
    case 'open':
      return { useragent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', ip: '203.0.113.7', sg_machine_open: false };
    case 'click':
      return { useragent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', ip: '203.0.113.7', url: 'https://example.com/', url_offset: { index: 0, type: 'html' } };
    case 'group_unsubscribe':
    case 'group_resubscribe':
      return { useragent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', ip: '203.0.113.7', asm_group_id: 1 };
    default:
      return {};
  }
}

/** The multipart fields Inbound Parse posts (without "send raw"). */
function inboundForm(input: InboundParseInput): FormData {
  const messageId = `<${randomUUID()}@mail.example.com>`;
  const headerLines = [
    'Received: by mx0047p1mdw1.sendgrid.net with SMTP id 6WCVv7KAWn Wed, 27 Jul 2016 20:53:06 +0000 (UTC)',
    `From: ${input.from}`,
    `To: ${input.to}`,
    `Subject: ${input.subject}`,
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="000000000000a1b2c3"',
    ...Object.entries(input.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
  ];
  const fromAddress = /<([^>]+)>/.exec(input.from)?.[1] ?? input.from;
  const toAddress = /<([^>]+)>/.exec(input.to)?.[1] ?? input.to;
  const form = new FormData();
  form.append('headers', headerLines.join('\n') + '\n');
  form.append('dkim', `{@${fromAddress.split('@')[1] ?? 'example.com'} : pass}`);
  form.append('to', input.to);
  form.append('from', input.from);
  form.append('text', input.text);
  if (input.html !== undefined) form.append('html', input.html);
  form.append('sender_ip', '209.85.221.41');
  form.append('envelope', JSON.stringify({ to: [toAddress], from: fromAddress }));
  form.append('attachments', '0');
  form.append('subject', input.subject);
  form.append('charsets', JSON.stringify({ to: 'UTF-8', from: 'UTF-8', subject: 'UTF-8', text: 'UTF-8', ...(input.html !== undefined ? { html: 'UTF-8' } : {}) }));
  form.append('SPF', 'pass');
  return form;
}
