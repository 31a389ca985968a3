// A workflow step that calls the provider through fetch, at the connection's base URL;
// in sandbox mode (no connection) it sends nothing and says so.
import { createHash } from 'node:crypto';
import { defineAction, PermanentFailure } from '@soshogle/core';
import { z } from 'zod';
import { account, type Account } from './connection.ts';

export const sendPing = defineAction({
  name: 'send_ping',
  version: 1,
  displayName: 'Send a ping',
  description: 'Sends a ping through your account at the provider.',
  props: z.object({ message: z.string().trim().min(1).max(500).describe('What the ping says') }),
  output: z.object({ id: z.string(), sandbox: z.boolean() }),
  // The provider is given the step's idempotency key, so a retried step sends once.
  idempotent: true,
  async run({ props, credentials, idempotencyKey, signal }) {
    const saved = await credentials.get<Account>(account.provider);
    if (!saved) return { id: `sandbox_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}`, sandbox: true };
    const res = await fetch(`${saved.baseUrl.replace(/\/$/, '')}/v1/pings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${saved.apiKey}`, 'idempotency-key': idempotencyKey, 'content-type': 'application/json' },
      body: JSON.stringify({ message: props.message }),
      signal,
    });
    // Retrying cannot fix a refused key or message; anything else may pass on a retry.
    if (res.status === 400 || res.status === 401) throw new PermanentFailure(`The provider refused the ping (${res.status})`);
    if (!res.ok) throw new Error(`The provider answered ${res.status}`);
    const { id } = z.object({ id: z.string() }).parse(await res.json());
    return { id, sandbox: false };
  },
});
