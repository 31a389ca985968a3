// What messaging asks of a provider, one capability per channel: Twilio serves SMS and
// WhatsApp, SendGrid email, Meta Messenger and Instagram, and another plugin may ship a
// provider for any of them (docs/providers.md). Messaging keeps the policy (consent, quiet
// hours, rate limits, unsubscribe links, the delivery job); a provider only sends.
//
// A provider plugin imports these types only (`import type` from
// '@soshogle/plugin-messaging/capabilities'), never messaging's code.
import { defineCapability, type CapabilityKey } from '@soshogle/core';
import type { Message } from '@soshogle/db';
import type { SendChannel } from './channels.ts';

/** What a text channel (SMS, Messenger, Instagram) sends. */
export interface TextMessage {
  /** Our message id: providers that take a reference (a status callback URL) pass it on. */
  id: string;
  /** The phone number in E.164 form (SMS), or the page-scoped id (Messenger, Instagram). */
  to: string;
  body: string;
}

export interface WhatsappMessage extends TextMessage {
  /** Whether the contact wrote within the last 24 hours: outside it, only an approved template is delivered. */
  sessionOpen: boolean;
}

/** An email, its unsubscribe link already in both bodies and in the headers. */
export interface EmailMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  /** List-Unsubscribe and List-Unsubscribe-Post (RFC 8058): send them as they are. */
  headers: Record<string, string>;
}

/**
 * What the provider answered, recorded on the message: the sender, and its id for the
 * message in the spec's column for that provider (twilioSid, sendgridId, metaMid) or, for
 * a provider the spec has no column for, in providerMessageId.
 */
export type Sent = { from: string } & Partial<Pick<Message, 'twilioSid' | 'sendgridId' | 'metaMid' | 'templateSid' | 'providerMessageId'>>;

/**
 * A failure a provider throws, so the delivery job decides retry or give up without
 * knowing the provider: an Error whose `name` is 'ProviderError' with these fields
 * (messaging's own providers make it with providerError in providers/errors.ts).
 */
export interface ProviderFailure extends Error {
  name: 'ProviderError';
  /** The provider's name. */
  provider: string;
  /** The HTTP status the provider answered; null when no answer came. */
  status: number | null;
  /** The provider's own error code, or null. */
  code: string | null;
  /** True when sending the same message later may succeed. */
  retryable: boolean;
  retryAfterSeconds?: number;
  /** The carrier or provider says the recipient opted out: messaging records it as their consent. */
  optedOut?: boolean;
}

/** A provider's side of a channel. */
export interface ChannelProvider<M> {
  /** Sends per second when the tenant set no rate for this provider. */
  sendsPerSecond: number;
  /** Sends one message; throws a ProviderFailure when it was not sent (or may not have been). */
  send(message: M): Promise<Sent>;
}

declare module '@soshogle/core' {
  interface Capabilities {
    'messaging.sms': ChannelProvider<TextMessage>;
    'messaging.whatsapp': ChannelProvider<WhatsappMessage>;
    'messaging.email': ChannelProvider<EmailMessage>;
    'messaging.facebook': ChannelProvider<TextMessage>;
    'messaging.instagram': ChannelProvider<TextMessage>;
  }
}

/** Each channel's capability. */
export const capabilityOf = {
  SMS: 'messaging.sms',
  WHATSAPP: 'messaging.whatsapp',
  EMAIL: 'messaging.email',
  FACEBOOK: 'messaging.facebook',
  INSTAGRAM: 'messaging.instagram',
} as const satisfies Record<SendChannel, CapabilityKey>;

export const messagingCapabilities = [
  defineCapability({ name: 'sms', displayName: 'SMS', description: 'Text messages to phone numbers' }),
  defineCapability({ name: 'whatsapp', displayName: 'WhatsApp', description: 'WhatsApp messages, templates outside the 24-hour window' }),
  defineCapability({ name: 'email', displayName: 'Email', description: 'Email, each with its unsubscribe link' }),
  defineCapability({ name: 'facebook', displayName: 'Facebook Messenger', description: 'Replies to Messenger conversations' }),
  defineCapability({ name: 'instagram', displayName: 'Instagram', description: 'Replies to Instagram direct messages' }),
];
