// Provider webhooks: read the raw bytes, verify the signature before anything parses
// them, then record the delivery id and handle it in one transaction, so a retried or
// duplicated delivery changes nothing.
import Router from '@koa/router';
import type { Context } from 'koa';
import { Prisma } from '@soshogle/db';
import type { PluginContext, WebhookDefinition, WebhookRequest } from '../plugin.ts';
import { Problem } from './problem.ts';

const maxWebhookBytes = 1024 * 1024;

async function readRawBody(ctx: Context): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > maxWebhookBytes) throw new Problem(413, 'Payload Too Large', `Webhook bodies are limited to ${maxWebhookBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > maxWebhookBytes) throw new Problem(413, 'Payload Too Large', `Webhook bodies are limited to ${maxWebhookBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function mountWebhooks(
  router: Router,
  plugin: string,
  webhooks: WebhookDefinition[],
  ctxFor: () => PluginContext,
  publicUrl: (ctx: Context) => string,
): void {
  for (const webhook of webhooks) {
    const path = `/webhooks/${plugin}${webhook.path}`;
    router.post(path, async (ctx) => {
      const pluginCtx = ctxFor();
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
      try {
        deliveryId = webhook.deliveryId(request);
      } catch (error) {
        throw new Problem(400, 'Bad Request', `Malformed webhook body: ${(error as Error).message}`);
      }
      try {
        await pluginCtx.db.$transaction(async (tx) => {
          await tx.webhookDelivery.create({ data: { plugin, path: webhook.path, deliveryId } });
          await webhook.handle(request, { ...pluginCtx, tx });
        });
      } catch (error) {
        // The unique (plugin, path, deliveryId) row exists: a duplicate, already handled.
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          ctx.status = 200;
          ctx.body = { received: true, duplicate: true };
          return;
        }
        throw error;
      }
      ctx.status = 200;
      ctx.body = { received: true };
    });
  }
}
