// A call's recording, for the browser. With the native ElevenLabs-Twilio integration the
// recording is ElevenLabs' conversation audio (GET /v1/convai/conversations/:id/audio),
// which needs the tenant's API key: it cannot be put in an <audio> element. So a call's
// `recordingUrl` is our own route (recordingPath), which fetches the audio through the SDK
// for the signed-in tenant and streams it on. A sandbox call has a simulated recording (a
// short tone made here), so playback works offline like the rest of the flow.
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { defineRoute, fileResponse, notFound, refuse, type AnyRoute } from '@soshogle/core';
import { idParams } from '../agents/schemas.ts';
import { voiceConfig } from '../config.ts';
import { elevenlabsAccount } from '../connection.ts';
import { elevenlabsClient, voiceFailure } from '../elevenlabs.ts';

/** Where the browser plays a call's recording: the route below. */
export const recordingPath = (callId: string) => `/api/voice/calls/${callId}/recording`;

/** A sandbox call's recording: two seconds of a soft 440 Hz tone, as an 8 kHz 8-bit mono WAV. */
function toneWav(): Buffer {
  const rate = 8000;
  const samples = rate * 2;
  const wav = Buffer.alloc(44 + samples);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + samples, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate, 28); // bytes per second
  wav.writeUInt16LE(1, 32); // block align
  wav.writeUInt16LE(8, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(samples, 40);
  for (let i = 0; i < samples; i++) wav[44 + i] = Math.round(128 + 24 * Math.sin((2 * Math.PI * 440 * i) / rate));
  return wav;
}

// Every sandbox call plays the same tone: made once, not on every request.
let sandboxWav: Buffer | undefined;
const sandboxRecording = () => (sandboxWav ??= toneWav());

export const recordingRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/calls/:id/recording',
    summary: "A call's recording (audio), for the signed-in account: ElevenLabs' conversation audio fetched with the account's key, or a sandbox call's simulated one",
    params: idParams,
    config: voiceConfig,
    response: fileResponse('audio/mpeg'),
    async handler(ctx) {
      const { db, params, http } = ctx;
      const call = await db.call.findUnique({ where: { id: params.id }, select: { recordingUrl: true, sandbox: true, conversationId: true } });
      if (!call?.recordingUrl) throw notFound('Recording');
      // Private: it is someone's voice.
      http.set('cache-control', 'private, max-age=300');
      if (call.sandbox) {
        http.type = 'audio/wav';
        return sandboxRecording();
      }
      if (!call.conversationId) throw notFound('Recording');
      const account = await elevenlabsAccount(ctx);
      if (!account) throw refuse(409, 'ElevenLabs is not connected any more: its recordings cannot be fetched');
      try {
        const { data, rawResponse } = await elevenlabsClient(ctx.config, account).conversationalAi.conversations.audio.get(call.conversationId).withRawResponse();
        http.type = rawResponse.headers.get('content-type') ?? 'audio/mpeg';
        return Readable.fromWeb(data as ReadableStream<Uint8Array>);
      } catch (error) {
        const failure = voiceFailure(error);
        if (failure.status === 404) throw notFound('Recording');
        throw refuse(502, `ElevenLabs did not give the recording: ${failure.status ? `${failure.status}: ` : ''}${failure.message}`);
      }
    },
  }),
];
