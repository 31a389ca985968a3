// What a tenant enters to connect ElevenLabs (stored encrypted by the core as the
// connection voice/elevenlabs). The Twilio number's own SID and token are here too:
// ElevenLabs' number import needs them, and voice never reads messaging's tables.
// Without this connection, voice runs in sandbox mode (agents and calls say sandbox: true).
import { defineConnection, type Credentials, type TenantTx } from '@soshogle/core';
import { z } from 'zod';

export const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'A phone number in E.164 form, e.g. +15125550100');

export const elevenlabsCredentials = z.object({
  apiKey: z.string().min(20).max(200),
  /** The post-call webhook's HMAC secret (ElevenLabs shows it once, when the webhook is made). */
  webhookSecret: z.string().min(16).max(200),
  /** The Twilio account the voice numbers are in (imported into ElevenLabs with them). */
  twilioAccountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'An Account SID: AC followed by 32 hex digits').optional(),
  twilioAuthToken: z.string().min(16).max(100).optional(),
});
export type ElevenlabsCredentials = z.output<typeof elevenlabsCredentials>;

export const elevenlabsConnection = defineConnection({
  provider: 'elevenlabs',
  displayName: 'ElevenLabs',
  description: 'AI voice agents that answer and place calls on your Twilio numbers',
  credentials: elevenlabsCredentials,
  visible: ['twilioAccountSid'],
});

/** The tenant's ElevenLabs credentials; null: sandbox mode. */
export function elevenlabsAccount(ctx: { credentials: Credentials }, options: { tx?: TenantTx } = {}): Promise<ElevenlabsCredentials | null> {
  return ctx.credentials.get<ElevenlabsCredentials>('elevenlabs', options);
}
