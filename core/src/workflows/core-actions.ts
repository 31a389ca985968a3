// The core's own workflow actions: a signed outbound webhook and an in-app notification.
// Steps that change CRM data (tags, contact fields, notes, deals) belong to the CRM
// plugin, which applies its own rules and raises the core's events for them.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { defineAction, PermanentFailure } from '../plugin.ts';
import { decryptSecret, encryptSecret, type KeyRing } from '../secrets.ts';
import type { TenantTx } from '../tenancy.ts';
import { sendWebhook } from './outbound-webhook.ts';

/** The tenant's outbound-webhook signing secret, created on first use; stored encrypted. */
export async function webhookSecret(db: Pick<TenantTx, 'webhookSecret'>, tenantId: string, keyRing: KeyRing): Promise<string> {
  const existing = await db.webhookSecret.findUnique({ where: { userId: tenantId } });
  if (existing) return decryptSecret(keyRing, existing.secret, `WebhookSecret.secret:${existing.id}`);
  const id = `whs_${randomBytes(12).toString('hex')}`;
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  await db.webhookSecret.upsert({
    where: { userId: tenantId },
    create: { id, userId: tenantId, secret: encryptSecret(keyRing, secret, `WebhookSecret.secret:${id}`) },
    update: {},
  });
  return webhookSecret(db, tenantId, keyRing);
}

export function coreActions(deps: { keyRing: KeyRing; config: Pick<Config, 'WEBHOOK_ALLOWED_HOSTS'> }) {
  return [
    defineAction({
      name: 'send_webhook',
      version: 1,
      displayName: 'Send webhook',
      description:
        'Sends JSON to a URL, signed with your account\'s webhook secret (header Soshogle-Signature: t=<unix time>,v1=<HMAC-SHA256 of "t.body">). Private and internal addresses are refused.',
      props: z.object({
        url: z.url({ protocol: /^https?$/ }).describe('URL'),
        method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
        headers: z.record(z.string(), z.string()).default({}),
        body: z.record(z.string(), z.unknown()).optional().describe('JSON body; default: the contact, the event and the workflow'),
      }),
      output: z.object({ status: z.number(), body: z.string() }),
      // Receivers get the same Idempotency-Key on every retry.
      idempotent: true,
      maxAttempts: 6,
      describe: (p) => `${p.method} a signed JSON body to ${p.url}`,
      async run(ctx) {
        const secret = await webhookSecret(ctx.db, ctx.tenantId, deps.keyRing);
        const contact = await ctx.record('contact');
        const body = ctx.props.body ?? { workflowId: ctx.run.workflowId, executionId: ctx.run.executionId, contact };
        const result = await sendWebhook(
          { url: ctx.props.url, method: ctx.props.method, headers: ctx.props.headers, body, secret, idempotencyKey: ctx.idempotencyKey, signal: ctx.signal },
          { allowedHosts: deps.config.WEBHOOK_ALLOWED_HOSTS },
        );
        const summary = `${ctx.props.url} answered ${result.status}`;
        if (result.status === 429 || result.status >= 500) throw new Error(summary); // worth retrying
        if (result.status >= 400) throw new PermanentFailure(summary);
        return { status: result.status, body: result.body.slice(0, 4096) };
      },
    }),
    defineAction({
      name: 'notify',
      version: 1,
      displayName: 'Internal notification',
      description: 'Shows a notification to your team in Soshogle.',
      props: z.object({
        title: z.string().trim().min(1).max(200),
        body: z.string().max(5000).optional(),
        link: z.string().max(2000).optional().describe('A page to open, e.g. /contacts/<id>'),
      }),
      output: z.object({ notificationId: z.string() }),
      idempotent: true,
      transactional: true,
      describe: (p) => `Notify the team: "${p.title}"`,
      async run(ctx) {
        const n = await ctx.db.notification.create({
          data: { userId: ctx.tenantId, title: ctx.props.title, body: ctx.props.body ?? null, link: ctx.props.link ?? null, source: `workflow:${ctx.run.workflowId}` },
          select: { id: true },
        });
        return { notificationId: n.id };
      },
    }),
  ];
}
