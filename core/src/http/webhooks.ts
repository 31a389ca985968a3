// Provider webhooks: read the raw bytes, verify the signature before anything parses
// them, find the tenant, then record the delivery id and handle it in one
// tenant-scoped transaction, so a retried or duplicated delivery changes nothing.
import { randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { WebhookDefinition, WebhookLookup, WebhookRequest } from '../plugin.ts';
import type { CoreServices } from '../services.ts';
import type { TenantTx } from '../tenancy.ts';
import { Problem } from './problem.ts';

const maxWebhookBytes = 1024 * 1024;
const tooLarge = () => new Problem(413, 'Payload Too Large', `Webhook bodies are limited to ${maxWebhookBytes} bytes`);

async function readRawBody(ctx: Context): Promise<Buffer> {
  if (Number(ctx.get('content-length') || 0) > maxWebhookBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > maxWebhookBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function mountWebhooks(
  router: Router,
  plugin: string,
  webhooks: WebhookDefinition[],
  services: CoreServices,
  publicUrl: (ctx: Context) => string,
): void {
  for (const webhook of webhooks) {
    router.post(`/webhooks/${plugin}${webhook.path}`, async (ctx) => {
      const pluginCtx = services.contextFor(plugin);
      const request: WebhookRequest = {
        rawBody: await readRawBody(ctx),
        headers: ctx.headers,
        url: `${publicUrl(ctx)}${ctx.originalUrl}`,
      };
      let verified = false;
      try {
        verified = await webhook.verify(request, pluginCtx);
      } catch {
        verified = false;
      }
      if (!verified) throw new Problem(401, 'Unauthorized', 'Invalid or missing webhook signature');
      let deliveryId: string;
      let tenantId: string | null;
      try {
        deliveryId = webhook.deliveryId(request);
        tenantId = await webhook.tenant(request, services.db as unknown as WebhookLookup);
      } catch (error) {
        throw new Problem(400, 'Bad Request', `Malformed webhook body: ${(error as Error).message}`);
      }
      if (!tenantId) {
        ctx.body = { received: true, ignored: true };
        return;
      }
      const { db } = services.tenantContext(plugin, tenantId);
      const handled = await db.$transaction(async (tx) => {
        // The claim on the delivery id: a duplicate inserts nothing and is acknowledged.
        const inserted = await tx.$executeRaw`
          insert into "WebhookDelivery" ("id", "plugin", "path", "deliveryId") values (${randomUUID()}, ${plugin}, ${webhook.path}, ${deliveryId})
          on conflict ("plugin", "path", "deliveryId") do nothing`;
        if (inserted === 0) return false;
        await webhook.handle(request, { ...pluginCtx, tenantId, tx: tx as unknown as TenantTx });
        return true;
      });
      ctx.body = handled ? { received: true } : { received: true, duplicate: true };
    });
  }
}
