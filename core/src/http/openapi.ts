// The OpenAPI 3.1 document of every mounted route, built from the routes' own zod
// schemas (OpenAPI 3.1 speaks JSON Schema 2020-12, which is what zod emits). Resource
// schemas named with `.meta({ id: 'Contact' })` become shared components.
import { z } from 'zod';
import { noContent, type AnyRoute } from '../plugin.ts';
import type { MountedRoute } from './routes.ts';
import type { MountedWebhook } from './webhooks.ts';

type JsonSchema = Record<string, unknown>;

export interface ApiDocumentOptions {
  routes: MountedRoute[];
  webhooks: MountedWebhook[];
  version: string;
  /** Where the API is served, when known (PUBLIC_URL). */
  serverUrl?: string;
}

const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details. Refusals that concern fields list them in `errors`, with dotted paths (`body.email`, `query.cursor`).',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } }, required: ['field', 'message'] },
    },
  },
  // Open to extension members (RFC 9457 §3.2: a 409 of a booking carries the free `slots`), as JSON Schema objects are.
  required: ['type', 'title', 'status'],
};

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });

const description = `The Soshogle HTTP API: the core's routes under \`/api\`, each plugin's under \`/api/<plugin>\`, and the providers' webhooks under \`/webhooks/<plugin>\`.

**Authentication.** A browser signs in with \`POST /api/auth/login\` and receives the \`soshogle_session\` cookie and a CSRF token (also in \`GET /api/auth/session\`), which it sends as \`X-CSRF-Token\` on every request that changes something. An integration sends an API key instead: \`Authorization: Bearer sk_...\` (keys may be read-only).

**Errors.** Every error is \`application/problem+json\` (RFC 9457). A refusal that concerns fields lists them in \`errors\` with dotted paths (\`body.email\`, \`query.cursor\`).

**Pagination.** Lists answer \`{ "items": [...], "nextCursor": "..." | null }\`. Ask for the next page with \`?cursor=<nextCursor>\` and a page size with \`?limit=\`; \`nextCursor\` is null on the last page. Cursors are opaque keysets. Lists that are small by nature answer \`{ "items": [...] }\` at once.

**Webhooks.** Providers (Twilio, SendGrid, Meta, ...) call \`/webhooks/<plugin>/...\`; each request is verified with the provider's own signature scheme over the raw bytes before it is parsed, and duplicates are acknowledged and ignored. The "send webhook" workflow step calls your URL as described under *webhooks*.`;

/** `get /api/crm/contacts/by-id` -> `getApiCrmContactsById`: Swagger UI's deep links and the UI's types name operations by it. */
const camelCase = (text: string) => text.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''));

/** `/api/crm/contacts/:id` -> `/api/crm/contacts/{id}` */
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/**
 * A zod schema as JSON Schema, with named schemas moved into `components` and the
 * references pointing there.
 */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  const { $schema: _, $defs, ...rest } = json;
  const defs = ($defs ?? {}) as Record<string, JsonSchema>;
  const relink = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(relink);
    if (!node || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : relink(v)]),
    );
  };
  for (const [name, def] of Object.entries(defs)) {
    // The wire side and the handler side of one named schema differ; the document shows the wire.
    const linked = relink(def) as JsonSchema;
    const known = components[name];
    if (known && JSON.stringify(known) !== JSON.stringify(linked)) {
      throw new Error(`Two different schemas are named "${name}" (.meta({ id })): name them apart`);
    }
    components[name] = linked;
  }
  // A named schema at the top comes back as a reference to itself.
  const id = z.globalRegistry.get(schema)?.id;
  if (id && !defs[id]) {
    const linked = relink(rest) as JsonSchema;
    components[id] = linked;
    return { $ref: `#/components/schemas/${id}` };
  }
  return relink(rest) as JsonSchema;
}

function parameters(route: AnyRoute, components: Record<string, JsonSchema>): object[] {
  const list: object[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = toSchema(schema, 'input', components) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description: text, ...rest } = property as { description?: string; type?: unknown };
      list.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        ...(text ? { description: text } : {}),
        // An object in a query goes as JSON (`?customFields={"plan":"pro"}`); a list as the
        // same name repeated (`?tags=a&tags=b`).
        ...(rest.type === 'object'
          ? // No example: a reference page would otherwise fill in (and send) an invented filter.
            { content: { 'application/json': { schema: rest, example: {} } } }
          : { schema: rest, ...(rest.type === 'array' ? { style: 'form', explode: true } : {}) }),
      });
    }
  }
  return list;
}

function operation(mounted: MountedRoute, components: Record<string, JsonSchema>): object {
  const { route } = mounted;
  const signedIn = route.access !== 'public';
  const responses: Record<string, object> = {};
  const declared = route.response;
  if (declared === noContent) responses[String(route.status ?? 204)] = { description: 'Done; no content' };
  else if (declared && 'kind' in declared && declared.kind === 'file') {
    responses[String(route.status ?? 200)] = { description: 'A file', content: { [declared.contentType]: { schema: { type: 'string' } } } };
  } else if (declared instanceof z.ZodType) {
    responses[String(route.status ?? 200)] = { description: 'Success', content: { 'application/json': { schema: toSchema(declared, 'input', components) } } };
  }
  if (route.params || route.query || route.body) responses['422'] = { $ref: '#/components/responses/Invalid' };
  if (signedIn) {
    responses['401'] = { $ref: '#/components/responses/Unauthorized' };
    responses['403'] = { $ref: '#/components/responses/Forbidden' };
  }
  if (route.params || route.tenant) responses['404'] = { $ref: '#/components/responses/NotFound' };
  responses.default = { $ref: '#/components/responses/Problem' };
  const body = route.body && route.method !== 'GET' ? toSchema(route.body, 'input', components) : undefined;
  return {
    operationId: camelCase(`${route.method.toLowerCase()} ${mounted.path.replace(/\/:(\w+)/g, '/by-$1')}`),
    summary: route.summary,
    tags: [mounted.owner],
    ...(signedIn
      ? {
          security: [{ session: [], csrf: [] }, { apiKey: [] }],
          ...(route.roles ? { description: `Only ${route.roles.join(', ')} accounts.` } : {}),
        }
      : // Public; one that names its account in the URL (a booking page) reads and writes only that account's data.
        { security: [], ...(route.tenant ? { description: 'Public: no sign-in. The account is the one the URL names (404 when it names none).' } : {}) }),
    parameters: parameters(route, components),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the given routes and provider webhooks. */
export function openApiDocument(options: ApiDocumentOptions): object {
  const components: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, object>> = {};
  for (const mounted of options.routes) {
    const path = openApiPath(mounted.path);
    (paths[path] ??= {})[mounted.route.method.toLowerCase()] = operation(mounted, components);
  }
  for (const { plugin, path, webhook } of options.webhooks) {
    const item = (paths[openApiPath(path)] ??= {});
    const parameters = [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    item.post = {
      operationId: camelCase(`webhook ${path}`),
      summary: webhook.summary ?? `A provider's notification to the ${plugin} plugin`,
      description: `Called by the provider, not by clients: the body is verified with the provider's signature over the raw bytes before anything parses it (401 when it does not verify); a delivery seen before is acknowledged and ignored.${webhook.challenge ? " The provider's URL check (a validation token, before any signature) is answered first, with 200." : ''}`,
      tags: ['webhooks'],
      security: [],
      parameters,
      requestBody: { required: true, content: { '*/*': { schema: {} } } },
      responses: {
        [String(webhook.reply?.status ?? 200)]: { description: 'Received (or a duplicate, acknowledged)' },
        ...(webhook.challenge && webhook.reply?.status && webhook.reply.status !== 200 ? { '200': { description: "The provider's URL check, answered" } } : {}),
        '401': problemResponse('The signature did not verify'),
        '404': problemResponse('No such tenant'),
        '413': problemResponse('Body too large'),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Soshogle API', version: options.version, description },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [...new Set(options.routes.map((r) => r.owner))].map((name) => ({ name })).concat([{ name: 'webhooks' }]),
    paths,
    webhooks: {
      workflowWebhook: {
        post: {
          summary: 'The "send webhook" workflow step',
          description:
            'A workflow step POSTs (or PUTs, PATCHes) the JSON body the marketer configured to your URL. `Soshogle-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` signs it with the workflow\'s signing secret (check the timestamp is recent and compare in constant time); `Idempotency-Key` stays the same across retries of one delivery. Any 2xx answer counts as delivered.',
          parameters: [
            { name: 'Soshogle-Signature', in: 'header', required: true, schema: { type: 'string' } },
            { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: {} } } },
          responses: { '200': { description: 'Delivered' } },
        },
      },
    },
    components: {
      schemas: { Problem: problemSchema, ...components },
      responses: {
        Invalid: problemResponse('A field is invalid: `errors` names each one'),
        Unauthorized: problemResponse('Not signed in, or the API key is unknown'),
        Forbidden: problemResponse('This account or key may not do this, or the CSRF token is missing'),
        NotFound: problemResponse('No such record (for this account)'),
        Problem: problemResponse('Any other refusal: 400, 409, 413, 415, 429, ...'),
      },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'soshogle_session', description: 'Set by POST /api/auth/login' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'With the session cookie, on every request that is not a GET: the token from POST /api/auth/login or GET /api/auth/session' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (`sk_...`) from /api/api-keys' },
      },
    },
  };
}
