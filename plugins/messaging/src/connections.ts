// What a tenant enters to connect messaging's own providers (providers/twilio.ts,
// sendgrid.ts, meta.ts), stored encrypted by the core as the connections messaging/twilio,
// messaging/sendgrid and messaging/meta. Without one, its channels run in sandbox mode.
import { z } from 'zod';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'A phone number in E.164 form, e.g. +15125550100');

export const twilioCredentials = z.object({
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

export const sendgridCredentials = z.object({
  apiKey: z.string().min(20).max(200),
  fromEmail: z.email(),
  fromName: z.string().max(100).optional(),
  /** The Event Webhook's verification key, as SendGrid shows it (base64). */
  eventWebhookKey: z.string().min(40).max(400),
  /** The secret in the Inbound Parse URL (Inbound Parse signs nothing). */
  inboundToken: z.string().min(24).max(200),
});
export type SendgridCredentials = z.output<typeof sendgridCredentials>;

export const metaCredentials = z.object({
  pageAccessToken: z.string().min(20).max(500),
  appSecret: z.string().min(16).max(100),
  /** What Meta's subscription handshake must present. */
  verifyToken: z.string().min(8).max(100),
});
export type MetaCredentials = z.output<typeof metaCredentials>;
