// SendGrid Inbound Parse: a received mail POSTed as multipart/form-data (fields from, to,
// subject, text, html, headers, envelope...). It signs nothing: the webhook checks the
// secret token in its URL instead.
import { createHash } from 'node:crypto';

export interface EmailAddress {
  /** Lower-cased. */
  address: string;
  name: string | null;
}

export interface InboundMail {
  from: EmailAddress;
  to: string;
  subject: string;
  body: string;
}

const addressPattern = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

/** "Ada Lovelace <Ada@Example.com>", "<ada@example.com>" or "ada@example.com"; null when there is no address. */
export function parseAddress(value: string): EmailAddress | null {
  const bracketed = /^(.*)<([^<>]+)>\s*$/.exec(value.trim());
  const address = (bracketed ? bracketed[2]! : value).trim().toLowerCase();
  if (!addressPattern.test(address)) return null;
  const name = bracketed?.[1]?.trim().replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1').trim();
  return { address, name: name || null };
}

/** The first address of a list like `"Doe, Jane" <jane@x.com>, b@y.com` (commas inside quotes are not separators). */
export function firstAddress(list: string): EmailAddress | null {
  const first = /^\s*((?:"(?:[^"\\]|\\.)*"|[^,])*)/.exec(list)?.[1] ?? '';
  return parseAddress(first);
}

/**
 * One field of a multipart/form-data body, read synchronously (the delivery id is needed
 * before the body is handled, and deliveryId cannot wait for Response.formData()).
 * Undefined when absent; throws when the body is not multipart.
 */
export function multipartField(rawBody: Buffer, contentType: string | undefined, name: string): string | undefined {
  const match = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new Error('expected multipart/form-data with a boundary');
  // latin1 maps each byte to one character, so offsets stay byte offsets; the value is decoded as UTF-8 after.
  const parts = rawBody.toString('latin1').split(`--${boundary}`).slice(1);
  for (const part of parts) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const disposition = /^content-disposition:[^\r\n]*/im.exec(part.slice(0, split))?.[0] ?? '';
    if (!new RegExp(`;\\s*name="${name}"`, 'i').test(disposition)) continue;
    return Buffer.from(part.slice(split + 4).replace(/\r\n$/, ''), 'latin1').toString('utf8');
  }
  return undefined;
}

/** The Message-ID from the raw header block, or null. */
export function messageIdHeader(headers: string | undefined): string | null {
  return /^message-id:[ \t]*(\S[^\r\n]*)/im.exec(headers ?? '')?.[1]?.trim() || null;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The mail's identity: its Message-ID (the same mail posted twice is one delivery), else
 * a hash of the body. Throws on a body that is not an Inbound Parse post (answered 400).
 */
export function inboundDeliveryId(rawBody: Buffer, contentType: string | undefined): string {
  const from = multipartField(rawBody, contentType, 'from');
  if (from === undefined || !firstAddress(from)) throw new Error('the "from" field is missing or has no address');
  const messageId = messageIdHeader(multipartField(rawBody, contentType, 'headers'));
  if (!messageId) return `inbound:sha256:${sha256(rawBody)}`;
  // Kept short for the unique index; a very long one is hashed.
  return messageId.length <= 200 ? `inbound:${messageId}` : `inbound:sha256:${sha256(messageId)}`;
}

/** Plain text from an HTML body, for mail that came without a text part. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/gi, "'")
    .replace(/&amp;/gi, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Reads the fields the inbox needs; null when the mail has no usable sender. */
export async function readInboundMail(rawBody: Buffer, contentType: string): Promise<InboundMail | null> {
  const form = await new Response(rawBody, { headers: { 'content-type': contentType } }).formData();
  // Mail lines end in CRLF (and form-data encodes newlines so): stored with plain newlines.
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : '';
  };
  const from = firstAddress(field('from'));
  if (!from) return null;
  const text = field('text').trim();
  return {
    from,
    to: firstAddress(field('to'))?.address ?? field('to').trim(),
    subject: field('subject').trim(),
    body: text || htmlToText(field('html')),
  };
}
