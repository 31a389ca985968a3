import { z } from 'zod';

/**
 * VOICE_* settings of the installation. Every key is optional: each tenant connects its
 * own ElevenLabs account in Settings; without one, voice runs in sandbox mode.
 */
export const voiceConfig = z.object({
  /** Where ElevenLabs' API is; tests point it at the local fake. */
  elevenlabsApiUrl: z.url().default('https://api.elevenlabs.io'),
  /** How far a post-call webhook's signed timestamp may be from our clock, either way (seconds). */
  webhookToleranceSeconds: z.coerce.number().int().min(30).max(1800).default(300),
});

export type VoiceConfig = z.output<typeof voiceConfig>;
