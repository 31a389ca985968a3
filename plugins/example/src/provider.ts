// The example provider's API, as a real plugin would call Twilio or SendGrid: through
// fetch, at the connection's base URL, with its key. No connection: sandbox mode, where
// nothing leaves this server and the ping says so.
import { createHash } from 'node:crypto';
import { PermanentFailure } from '@soshogle/core';
import { z } from 'zod';
import type { ExampleAccount } from './connection.ts';

export interface Delivery {
  sandbox: boolean;
  /** The provider's id for the ping (a made-up, stable one in sandbox mode). */
  providerId: string;
}

const answer = z.object({ id: z.string().min(1) });

/** Sends `message` once per `idempotencyKey`, however often it is retried (the provider keeps the key). */
export async function deliver(account: ExampleAccount | null, ping: { message: string; idempotencyKey: string }, signal?: AbortSignal): Promise<Delivery> {
  if (!account) return { sandbox: true, providerId: `sandbox_${createHash('sha256').update(ping.idempotencyKey).digest('hex').slice(0, 20)}` };
  const res = await fetch(`${account.baseUrl.replace(/\/$/, '')}/v1/pings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${account.apiKey}`, 'idempotency-key': ping.idempotencyKey, 'content-type': 'application/json' },
    body: JSON.stringify({ message: ping.message }),
    signal: signal ?? AbortSignal.timeout(10_000),
  });
  // A refused key or message stays refused: retrying cannot help. Anything else may pass later.
  if (res.status === 400 || res.status === 401) throw new PermanentFailure(`The example provider refused the ping (${res.status}): ${await res.text()}`);
  if (!res.ok) throw new Error(`The example provider answered ${res.status}`);
  return { sandbox: false, providerId: answer.parse(await res.json()).id };
}
