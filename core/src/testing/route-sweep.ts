// Requests built from each mounted route's own schemas, for the tests that walk every
// route (tenant isolation, bad input): no hand-kept list of routes or fields.
import { z } from 'zod';
import type { MountedRoute } from '../http/routes.ts';
import type { WebhookLookup } from '../plugin.ts';
import type { TestClient } from './index.ts';

/**
 * The public pages' rate limits (booking, pay, form) raised: a sweep calls public routes
 * thousands of times from one address, and should reach what each route does.
 */
export const raisedRateLimits: Record<string, string> = {
  CALENDAR_BOOKINGS_PER_IP_HOUR: '1000000',
  CALENDAR_SLOT_READS_PER_IP_MINUTE: '1000000',
  CALENDAR_BOOKINGS_PER_CALENDAR_HOUR: '1000000',
  PAYMENTS_CHECKOUTS_PER_IP_HOUR: '1000000',
  FORMS_READS_PER_IP_MINUTE: '1000000',
  FORMS_SUBMISSIONS_PER_IP_HOUR: '1000000',
  FORMS_SUBMISSIONS_PER_FORM_MINUTE: '1000000',
};

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  format?: string;
  minLength?: number;
  minimum?: number;
  anyOf?: JsonSchema[];
  default?: unknown;
};

export const isIdsKey = (key: string) => /Ids$/.test(key);

let emails = 0;

/**
 * A plausible valid value for a JSON Schema, with `id` in every free-form string (any of
 * them may be a reference: `contactId`, a `before` cursor, ...) and in every `...Ids` list.
 * Arrays are empty unless `items` is set: then they hold one sampled item.
 */
export function sample(schema: JsonSchema, key: string, id: string, options: { dates?: boolean; items?: boolean } = {}): unknown {
  if (isIdsKey(key)) return [id];
  if (schema.anyOf) return sample(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0]!, key, id, options);
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, sample(s, k, id, options)]));
    case 'array':
      return options.items && schema.items ? [sample(schema.items, '', id, options)] : [];
    case 'number':
    case 'integer':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    default:
      // Unique, so routes that create accounts do not collide with an earlier call.
      if (schema.format === 'email') return `someone-${(emails += 1)}@example.test`;
      if (schema.format === 'uri') return 'https://example.test';
      // Background payloads get real dates so the work gets past its schema (routes: an id there too).
      if (options.dates && schema.format === 'date-time') return new Date().toISOString();
      return id;
  }
}

export function schemaOf(s: z.ZodType | undefined): JsonSchema {
  return s ? (z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema) : { type: 'object', properties: {} };
}

/** The route's URL with `param(name)` in each path parameter (sent as it is: encode it yourself) and `query` after it. */
export function urlOf(route: MountedRoute, param: (name: string) => string, query: Record<string, unknown> | string = {}): string {
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => param(name));
  const search = typeof query === 'string' ? query : new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return `${path}${search ? `?${search}` : ''}`;
}

/**
 * The route called with `id` in every path parameter and free-form field, the rest sampled
 * valid; `named` fixes some path parameters (those naming the tenant of a public route).
 */
export async function call(client: TestClient, route: MountedRoute, id: string, named: Record<string, string> = {}): Promise<Response> {
  const query = sample(schemaOf(route.route.query), '', id) as Record<string, unknown>;
  const body = route.method === 'GET' ? undefined : sample(schemaOf(route.route.body), '', id);
  return client.request(route.method, urlOf(route, (name) => encodeURIComponent(named[name] ?? id), query), body);
}

/**
 * For a public route that finds its tenant in its URL (`tenant`): the path parameters that
 * name `tenantId`, filled from `keys` (what public URLs know a tenant by, by parameter name:
 * seedTenant's `publicKeysOf`) and checked with the route's own `tenant`, so a sweep calls it
 * for that tenant. Throws, naming the route, when the keys do not reach the tenant.
 */
export async function paramsNaming(route: MountedRoute, tenantId: string, keys: Record<string, string>, lookup: WebhookLookup): Promise<Record<string, string>> {
  const names = route.path.match(/:(\w+)/g)?.map((p) => p.slice(1)) ?? [];
  const named = Object.fromEntries(names.filter((n) => n in keys).map((n) => [n, keys[n]!]));
  const params = Object.fromEntries(names.map((n) => [n, named[n] ?? 'unnamed']));
  const parse = (schema: z.ZodType | undefined, value: unknown) => (schema?.safeParse(value).data as unknown) ?? value;
  const input = {
    params: parse(route.route.params, params),
    query: parse(route.route.query, sample(schemaOf(route.route.query), '', 'unnamed')),
    body: parse(route.route.body, sample(schemaOf(route.route.body), '', 'unnamed')),
    http: undefined,
  };
  const found = await route.route.tenant?.(input as never, lookup);
  if (found !== tenantId) {
    throw new Error(`${route.method} ${route.path} does not reach the seeded tenant with ${JSON.stringify(named)}: add what its URL names to publicKeysOf in core/src/testing/seed-tenant.ts`);
  }
  return named;
}
