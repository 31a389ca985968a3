// Provider webhooks: answer the provider's URL check if it is one, read the raw bytes,
// verify the signature before anything parses them, find the tenant, then append the
// delivery to the inbox and answer once that committed. Concurrent POSTs share their
// round trips (gathered.ts): one query reads the tenants and credentials of those waiting,
// one transaction appends their deliveries. The unique key (per tenant) stops a retried or
// duplicated delivery there; the apply_webhooks job applies the inbox in batches
// (webhook-inbox.ts).
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Credentials, WebhookAnswer, WebhookDefinition, WebhookLookup, WebhookRequest, WebhookVerifyContext } from '../plugin.ts';
import { credentialsFromRows, credentialsReadOnce, type ConnectionRow } from '../connections.ts';
import type { CoreServices } from '../services.ts';
import { Problem } from './problem.ts';
import { gathered } from './gathered.ts';
import { badText } from './input.ts';
import { appendBatch, type InboxDelivery } from './webhook-inbox.ts';

const defaultMaxBytes = 1024 * 1024;
const tooLarge = (limit: number) => new Problem(413, 'Payload Too Large', `This webhook takes bodies of at most ${limit} bytes`);

async function readRawBody(ctx: Context, limit: number): Promise<Buffer> {
  if (Number(ctx.get('content-length') || 0) > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface MountedWebhook {
  plugin: string;
  /** Full path, e.g. `/webhooks/messaging/:tenant/twilio/status`. */
  path: string;
  webhook: WebhookDefinition;
}

export const namesTenant = (webhook: Pick<WebhookDefinition, 'path'>) => webhook.path.startsWith('/:tenant/');

export function mountWebhooks(
  router: Router,
  plugin: string,
  webhooks: WebhookDefinition[],
  services: CoreServices,
  publicUrl: (ctx: Context) => string,
  append: (delivery: InboxDelivery) => Promise<boolean>,
): MountedWebhook[] {
  /**
   * Tenants named by URLs, with this plugin's credentials of each; null for no such
   * tenant. One query for the requests waiting together, made after they arrived: nothing
   * is kept between queries, so a rotated or removed credential stops verifying at once,
   * in every process. A tenant's credentials are decrypted once per query.
   */
  const tenants = gathered(
    async (tenantIds: string[]): Promise<(Credentials | null)[]> => {
      const rows = await services.db.$queryRaw<({ tenantId: string } & { [K in keyof ConnectionRow]: ConnectionRow[K] | null })[]>`
        select u.id as "tenantId", c.provider, c.id, c.credentials from "User" u
        left join "ProviderConnection" c on c."userId" = u.id and c.plugin = ${plugin}
        where u.id = any(${[...new Set(tenantIds)]})`;
      const found = new Map<string, ConnectionRow[]>();
      for (const { tenantId, ...row } of rows) {
        const connections = found.get(tenantId) ?? [];
        found.set(tenantId, connections);
        if (row.id !== null) connections.push(row as ConnectionRow);
      }
      const credentials = new Map([...found].map(([tenantId, connections]) => [tenantId, credentialsReadOnce(credentialsFromRows(services.keyRing, services.registry, plugin, connections))]));
      return tenantIds.map((tenantId) => credentials.get(tenantId) ?? null);
    },
    { max: appendBatch },
  );
  /** The tenant named by the URL, with its credentials; 404 for no such tenant. */
  const verifyContext = async (webhook: WebhookDefinition, ctx: Context): Promise<WebhookVerifyContext> => {
    const pluginCtx = services.contextFor(plugin);
    if (!namesTenant(webhook)) return { ...pluginCtx, tenantId: null, credentials: null };
    const tenantId = String(ctx.params.tenant);
    const credentials = await tenants(tenantId);
    if (!credentials) throw new Problem(404, 'Not Found', 'No such webhook');
    return { ...pluginCtx, tenantId, credentials };
  };
  const send = (ctx: Context, answer: WebhookAnswer) => {
    ctx.type = typeof answer === 'string' ? 'text/plain' : answer.type;
    ctx.body = typeof answer === 'string' ? answer : answer.body;
  };
  const requestOf = async (webhook: WebhookDefinition, ctx: Context): Promise<WebhookRequest> => ({
    rawBody: ctx.method === 'GET' ? Buffer.alloc(0) : await readRawBody(ctx, webhook.maxBytes ?? defaultMaxBytes),
    headers: ctx.headers,
    url: `${publicUrl(ctx)}${ctx.originalUrl}`,
  });
  /** The provider's check that the URL is ours, before any signature: its answer, or null to go on. */
  const challenged = async (webhook: WebhookDefinition, ctx: Context, request: WebhookRequest, verifyCtx: WebhookVerifyContext) => {
    if (!webhook.challenge) return null;
    try {
      return await webhook.challenge({ ...request, method: ctx.method, query: new URLSearchParams(ctx.querystring) }, verifyCtx);
    } catch (error) {
      throw new Problem(400, 'Bad Request', `Malformed webhook challenge: ${(error as Error).message}`);
    }
  };

  return webhooks.map((webhook) => {
    const path = `/webhooks/${plugin}${webhook.path}`;
    if (webhook.handshake || webhook.challenge) {
      router.get(path, async (ctx) => {
        const verifyCtx = await verifyContext(webhook, ctx);
        const answer = (await challenged(webhook, ctx, await requestOf(webhook, ctx), verifyCtx)) ?? (await webhook.handshake?.(new URLSearchParams(ctx.querystring), verifyCtx)) ?? null;
        if (answer === null) throw new Problem(403, 'Forbidden', 'The handshake was refused');
        send(ctx, answer);
      });
    }
    router.post(path, async (ctx) => {
      const verifyCtx = await verifyContext(webhook, ctx);
      const request = await requestOf(webhook, ctx);
      const challenge = await challenged(webhook, ctx, request, verifyCtx);
      if (challenge !== null) return send(ctx, challenge);
      // Graph wants 202 for every notification, a duplicate or an ignored one included.
      const acknowledge = (fallback: object) => {
        ctx.status = webhook.reply?.status ?? 200;
        if (webhook.reply?.body !== undefined) send(ctx, { type: webhook.reply.type, body: webhook.reply.body });
        else ctx.body = fallback;
      };
      let verified = false;
      try {
        verified = await webhook.verify(request, verifyCtx);
      } catch {
        verified = false;
      }
      if (!verified) throw new Problem(401, 'Unauthorized', 'Invalid or missing webhook signature');
      let deliveryId: string;
      let tenantId: string | null;
      try {
        deliveryId = await webhook.deliveryId(request);
        tenantId = verifyCtx.tenantId ?? (await webhook.tenant!(request, services.db as unknown as WebhookLookup));
      } catch (error) {
        throw new Problem(400, 'Bad Request', `Malformed webhook body: ${(error as Error).message}`);
      }
      // Checked here, not by the database: a delivery appended with others must not fail them.
      const badId = badText(deliveryId);
      if (badId) throw new Problem(400, 'Bad Request', `Malformed webhook body: its delivery id ${badId}`);
      if (!tenantId) return acknowledge({ received: true, ignored: true });
      // Appended with the deliveries of concurrent POSTs, its job queued, or (a duplicate,
      // per tenant: one tenant cannot use up another's ids) nothing; answered after the commit.
      const appended = await append({ plugin, path: webhook.path, tenantId, deliveryId, request });
      acknowledge(appended ? { received: true } : { received: true, duplicate: true });
    });
    return { plugin, path, webhook };
  });
}
