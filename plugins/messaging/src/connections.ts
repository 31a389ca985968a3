// The providers a tenant connects with their own accounts, stored encrypted by the core.
// Without a connection, its channels run in sandbox mode: sends are recorded, not sent.
import { defineConnection } from '@soshogle/core';
import { z } from 'zod';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'A phone number in E.164 form, e.g. +15125550100');

const twilioCredentials = z.object({
  accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'An Account SID: AC followed by 32 hex digits'),
  authToken: z.string().min(16).max(100),
  /** The number SMS are sent from. */
  smsFrom: e164,
  /** The WhatsApp sender, if WhatsApp is set up; defaults to smsFrom. */
  whatsappFrom: e164.optional(),
  /** The approved WhatsApp template (Content SID, HX...) sent when the 24-hour window is closed. */
  whatsappTemplateSid: z.string().regex(/^HX[0-9a-f]{32}$/).optional(),
});
export type TwilioCredentials = z.output<typeof twilioCredentials>;

const sendgridCredentials = z.object({
  apiKey: z.string().min(20).max(200),
  fromEmail: z.email(),
  fromName: z.string().max(100).optional(),
  /** The Event Webhook's verification key, as SendGrid shows it (base64). */
  eventWebhookKey: z.string().min(40).max(400),
  /** The secret in the Inbound Parse URL (Inbound Parse signs nothing). */
  inboundToken: z.string().min(24).max(200),
});
export type SendgridCredentials = z.output<typeof sendgridCredentials>;

const metaCredentials = z.object({
  pageAccessToken: z.string().min(20).max(500),
  appSecret: z.string().min(16).max(100),
  /** What Meta's subscription handshake must present. */
  verifyToken: z.string().min(8).max(100),
});
export type MetaCredentials = z.output<typeof metaCredentials>;

export const twilio = defineConnection({
  provider: 'twilio',
  displayName: 'Twilio',
  description: 'SMS and WhatsApp. Without it, SMS and WhatsApp run in sandbox mode.',
  credentials: twilioCredentials,
  visible: ['accountSid', 'smsFrom', 'whatsappFrom', 'whatsappTemplateSid'],
});

export const sendgrid = defineConnection({
  provider: 'sendgrid',
  displayName: 'SendGrid',
  description: 'Email, its delivery events and replies. Without it, email runs in sandbox mode.',
  credentials: sendgridCredentials,
  visible: ['fromEmail', 'fromName'],
});

export const meta = defineConnection({
  provider: 'meta',
  displayName: 'Meta (Facebook Messenger, Instagram)',
  description: 'Facebook Messenger and Instagram direct messages. Without it, both run in sandbox mode.',
  credentials: metaCredentials,
});

export interface ProviderCredentials {
  twilio: TwilioCredentials;
  sendgrid: SendgridCredentials;
  meta: MetaCredentials;
}
