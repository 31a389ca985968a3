// A workflow step that calls the provider: not transactional (a provider call cannot roll
// back), idempotent through the step's idempotency key, which the provider honours.
import { defineAction } from '@soshogle/core';
import { z } from 'zod';
import { exampleAccount, type ExampleAccount } from './connection.ts';
import { deliver } from './provider.ts';

export const sendPing = defineAction({
  name: 'send_ping',
  version: 1,
  displayName: 'Send a ping',
  description: 'Sends a ping through your example provider account (kept here in sandbox mode until one is connected).',
  props: z.object({ message: z.string().trim().min(1).max(500).describe('What the ping says') }),
  output: z.object({ pingId: z.string(), providerId: z.string(), sandbox: z.boolean() }),
  idempotent: true,
  maxAttempts: 3,
  describe: (props) => `Send the ping "${props.message}"`,
  async run({ props, db, tenantId, credentials, idempotencyKey, signal, run }) {
    const delivered = await deliver(await credentials.get<ExampleAccount>(exampleAccount.provider), { message: props.message, idempotencyKey }, signal);
    // A retry after the send finds the row an earlier attempt wrote, keyed by the step.
    const ping = await db.examplePing.upsert({
      where: { userId_key: { userId: tenantId, key: idempotencyKey } },
      create: { userId: tenantId, key: idempotencyKey, message: props.message, source: 'workflow', contactId: run.contactId, ...delivered, deliveredAt: new Date() },
      update: {},
    });
    return { pingId: ping.id, ...delivered };
  },
});
