// Bad input, for every route there is and will be: the test walks the mounted routes (core
// and every plugin enabled by default, public ones included) and the webhooks, sends a
// corpus of what careless clients send (NUL, lone surrogates, dates PostgreSQL cannot
// store, JSON nested without end, bogus Content-Encoding, an over-long URL) in every place
// each route takes input, and requires a 4xx problem+json every time, with nothing changed.
import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { delegateName, readModelMap } from '@soshogle/db';
import { describe, expect, it } from 'vitest';
import { dataProblem } from './http/data-errors.ts';
import type { MountedRoute } from './http/routes.ts';
import { enabledPluginNames, importPlugins } from './plugin-host.ts';
import { signedInUser, startTestSoshogle, webhooksApplied, type TestClient } from './testing/index.ts';
import { raisedRateLimits, sample, schemaOf, urlOf, type JsonSchema } from './testing/route-sweep.ts';
import { publicKeysOf, seedTenant } from './testing/seed-tenant.ts';

const webhookSecret = 'bad-input-webhook-secret';
const soshogle = await startTestSoshogle(await importPlugins(enabledPluginNames(undefined)), {
  EXAMPLE_WEBHOOK_SECRET: webhookSecret,
  // A 429 is a proper refusal, but the sweep should reach the input checks.
  ...raisedRateLimits,
});
const db = soshogle.db;

// One client per role, so role-restricted routes get past their role check to their input.
const clients = {
  USER: await signedInUser(soshogle, { role: 'USER' }),
  AGENCY: await signedInUser(soshogle, { role: 'AGENCY' }),
  ADMIN: await signedInUser(soshogle, { role: 'ADMIN' }),
};
// A tenant public routes name in their URL (a booking page's slug), with a row of every model.
const publicTenant = await db.user.create({ data: { email: 'public-tenant@example.test', role: 'AGENCY' } });
const publicSub = await db.user.create({ data: { email: 'public-tenant-client@example.test', role: 'SUB_ACCOUNT', agencyId: publicTenant.id } });
await seedTenant(db, publicTenant.id, publicSub.id);
const publicKeys: Record<string, string> = publicKeysOf(publicTenant.id);
const tenants = [...Object.values(clients).map((c) => c.userId), publicTenant.id, publicSub.id];
const clientFor = (route: MountedRoute): TestClient => clients[(route.route.roles?.[0] as keyof typeof clients | undefined) ?? 'USER'];

// Rows the bad requests could touch if they got through: real ids in every path parameter.
const contact = await db.contact.create({ data: { userId: clients.USER.userId, firstName: 'Ada', email: 'ada@example.test', tags: ['vip'] } });
await db.deal.create({ data: { userId: clients.USER.userId, title: 'Deal' } });

const tenantModels = Object.entries(readModelMap()).filter(([, info]) => info.tenantOwned).map(([model]) => model);
const idless: Record<string, object> = { DealContact: [{ dealId: 'asc' }, { contactId: 'asc' }] };

/** Every row of the sweep's tenants, and how many accounts there are (sign-up must not have made one). */
async function snapshot(): Promise<unknown> {
  const delegates = db as unknown as Record<string, { findMany(args: object): Promise<unknown[]> }>;
  const rows: Record<string, unknown> = { users: await db.user.findMany({ orderBy: { id: 'asc' } }) };
  for (const model of tenantModels) {
    const orderBy = model in idless ? idless[model] : { id: 'asc' };
    rows[model] = await delegates[delegateName(model)]!.findMany({ where: { userId: { in: tenants } }, orderBy });
  }
  // Sign-ins move lastSeen-like stamps; what matters is that nothing was written by the sweep.
  return rows;
}

// ---- the corpus ----------------------------------------------------------------------------

/** Strings as a careless client puts them in JSON (JSON.stringify escapes them as \u0000, \ud800). */
const badStrings = ['\u0000', 'a\u0000b', 'a\uD800', '\uDC00b'];
/** The same classes in a URL: percent-encoded NUL, a lone surrogate's bytes (not UTF-8), a truncated sequence. */
const badUrlText = ['%00', 'a%00b', '%ED%A0%80', '%C0'];
/** Dates JavaScript reads and PostgreSQL cannot store, or that do not exist at all. */
const badDates = ['0000-01-01T00:00:00.000Z', '0000-12-31', '-000001-01-01T00:00:00.000Z', '+300000-01-01T00:00:00.000Z'];
/** Numbers no column holds. */
const badNumbers = [1e300, -1e300, 2 ** 64];

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { props: value };
  return value;
}

const isDateSchema = (s: JsonSchema, key: string): boolean =>
  s.format === 'date' || s.format === 'date-time' || !!s.anyOf?.some((a) => isDateSchema(a, key)) || (Object.keys(s).filter((k) => k !== '$schema').length === 0 && /(After|Before|Date|At)$/.test(key));

/** Each leaf of a sampled value, with its path and whether its schema takes a date. */
function leaves(value: unknown, schema: JsonSchema, path: string[] = []): { path: string[]; date: boolean }[] {
  const key = path.at(-1) ?? '';
  if (isDateSchema(schema, key)) return [{ path, date: true }];
  const branch = schema.anyOf?.find((s) => s.type !== 'null') ?? schema;
  if (Array.isArray(value) && value.length) return value.flatMap((item, i) => leaves(item, branch.items ?? {}, [...path, String(i)]));
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, branch.properties?.[k] ?? {}, [...path, k]));
  }
  return path.length ? [{ path, date: false }] : [];
}

function withValue(value: unknown, path: string[], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string, unknown>;
  copy[path[0]!] = withValue(copy[path[0]!], path.slice(1), replacement);
  return copy;
}

interface Attempt {
  what: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: string | Uint8Array;
}

/** Every bad request for one route: each corpus entry in each place the route takes input. */
function attempts(route: MountedRoute): Attempt[] {
  // A public route naming its tenant gets a real one, so the input reaches its handler.
  const valid = (name: string) => (route.route.tenant && publicKeys[name] ? publicKeys[name] : name === 'id' || name.endsWith('Id') ? contact.id : 'x');
  const querySchema = schemaOf(route.route.query);
  const query = sample(querySchema, '', contact.id) as Record<string, unknown>;
  const search = (key: string, text: string) => {
    const rest = new URLSearchParams(Object.entries(query).filter(([k]) => k !== key).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return `${rest ? `${rest}&` : ''}${key}=${text}`;
  };
  const bodySchema = schemaOf(route.route.body);
  // GET and DELETE bodies are not read at all, so nothing in them is input.
  const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? (sample(bodySchema, '', contact.id, { items: true }) as Record<string, unknown>) : undefined;
  const url = urlOf(route, valid, query);
  const list: Attempt[] = [];

  for (const param of route.path.match(/:(\w+)/g)?.map((p) => p.slice(1)) ?? []) {
    for (const text of badUrlText) list.push({ what: `params.${param}=${text}`, url: urlOf(route, (n) => (n === param ? text : valid(n)), query), body });
  }
  const queryKeys = [...Object.keys(querySchema.properties ?? {}), 'unknown'];
  for (const key of queryKeys) {
    for (const text of badUrlText) list.push({ what: `query.${key}=${text}`, url: urlOf(route, valid, search(key, text)), body });
    const type = querySchema.properties?.[key]?.type;
    if (type === 'number' || type === 'integer') {
      for (const n of badNumbers) list.push({ what: `query.${key}=${n}`, url: urlOf(route, valid, search(key, String(n))), body });
    }
    if (isDateSchema(querySchema.properties?.[key] ?? {}, key)) {
      for (const date of badDates) list.push({ what: `query.${key}=${date}`, url: urlOf(route, valid, search(key, encodeURIComponent(date))), body });
    }
  }
  // Over 16 KB of URL: refused by Node's parser before Koa.
  list.push({ what: 'an over-long URL', url: urlOf(route, valid, search('unknown', 'x'.repeat(20_000))), body });

  if (body !== undefined) {
    for (const { path, date } of leaves(body, bodySchema)) {
      const field = `body.${path.join('.')}`;
      for (const text of badStrings) list.push({ what: `${field}=${JSON.stringify(text)}`, url, body: withValue(body, path, text) });
      list.push({ what: `${field} nested 100 deep`, url, body: withValue(body, path, nested(100)) });
      if (date) for (const text of badDates) list.push({ what: `${field}=${text}`, url, body: withValue(body, path, text) });
      if (typeof path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], body) === 'number') {
        for (const n of badNumbers) list.push({ what: `${field}=${n}`, url, body: withValue(body, path, n) });
      }
    }
    // Keys are input too, at the top and further down.
    for (const key of ['k\u0000', '\uD800']) {
      list.push({ what: `body key ${JSON.stringify(key)}`, url, body: { ...body, [key]: 'x' } });
      list.push({ what: `nested body key ${JSON.stringify(key)}`, url, body: { ...body, extra: { [key]: 'x' } } });
    }
    const json = JSON.stringify(body);
    list.push({ what: 'Content-Encoding: gzip on a plain body', url, raw: json, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    list.push({ what: 'Content-Encoding: br on a gzip body', url, raw: gzipSync(json), headers: { 'content-type': 'application/json', 'content-encoding': 'br' } });
    list.push({ what: 'Content-Encoding: compress', url, raw: json, headers: { 'content-type': 'application/json', 'content-encoding': 'compress' } });
    list.push({ what: 'a truncated gzip body', url, raw: gzipSync(json).subarray(0, 12), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
  }
  return list;
}

/** Why an answer is not a proper refusal, or null when it is one. */
async function notARefusal(res: Response): Promise<string | null> {
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  if (res.status < 400 || res.status >= 500) return `${res.status} ${text.slice(0, 200)}`;
  if (!type.startsWith('application/problem+json')) return `${res.status} as ${type || 'no content type'}: ${text.slice(0, 100)}`;
  const problem = JSON.parse(text) as { status?: unknown; title?: unknown };
  if (problem.status !== res.status || typeof problem.title !== 'string') return `${res.status} with a problem lacking status or title: ${text.slice(0, 200)}`;
  return null;
}

async function send(client: TestClient, method: string, attempt: Attempt): Promise<Response> {
  return client.request(method, attempt.url, attempt.raw ?? attempt.body, attempt.headers);
}

describe('bad input', () => {
  it('finds the routes and the places they take input by itself', () => {
    expect(soshogle.routes.length).toBeGreaterThan(50);
    const counts = soshogle.routes.map((r) => attempts(r).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(2000);
    // Every route gets a bad URL at least, public routes included.
    expect(counts.every((n) => n > 0)).toBe(true);
    expect(soshogle.routes.some((r) => r.route.access === 'public')).toBe(true);
  });

  it('every route refuses every bad input with a 4xx problem, and nothing changes', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    // Log-out last: it would end the sessions the others use, should it ever get through.
    const routes = [...soshogle.routes].sort((a, b) => Number(a.path.includes('/logout')) - Number(b.path.includes('/logout')));
    for (const route of routes) {
      const client = clientFor(route);
      const results = await Promise.all(
        attempts(route).map(async (attempt) => {
          try {
            return [attempt, await notARefusal(await send(client, route.method, attempt))] as const;
          } catch (error) {
            return [attempt, `no answer: ${(error as Error).message}`] as const;
          }
        }),
      );
      for (const [attempt, failure] of results) if (failure) failures.push(`${route.method} ${route.path} with ${attempt.what}: ${failure}`);
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  }, 240_000);

  it('names the failing field, also for keys and for nesting', async () => {
    const c = clients.USER;
    const q = (await (await c.request('GET', '/api/crm/contacts?q=a%00b')).json()) as { errors: { field: string }[] };
    expect(q.errors[0]!.field).toBe('query.q');
    const res = await c.request('POST', '/api/crm/contacts', { firstName: 'a\uD800' });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { field: string; message: string }[] }).errors[0]).toEqual({ field: 'body.firstName', message: expect.stringMatching(/surrogate/) });
    const key = (await (await c.request('POST', '/api/crm/contacts', { firstName: 'Ada', customFields: { 'a\u0000': 1 } })).json()) as { errors: { field: string }[] };
    expect(key.errors[0]!.field).toBe('body.customFields.a\uFFFD');
    const deep = await c.request('POST', '/api/workflows', { name: 'Deep', trigger: 'core.contact_created', actions: [{ id: 's', type: 'action', action: 'crm.add_tag', props: nested(200) }] });
    expect(deep.status).toBe(422);
    expect(await deep.text()).toMatch(/nests deeper than 64 levels/);
    const date = await c.request('GET', `/api/crm/contacts?createdAfter=${encodeURIComponent('0000-06-01T00:00:00Z')}`);
    expect(((await date.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('query.createdAfter');
  });

  it('answers an over-long URL and bodies it cannot decode with a problem', async () => {
    const long = await fetch(`${soshogle.url}/api/crm/contacts?q=${'x'.repeat(20_000)}`);
    expect(long.status).toBe(431);
    expect(long.headers.get('content-type')).toBe('application/problem+json');
    expect(await long.json()).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });
    const headers = { 'content-type': 'application/json' };
    const gzip = await clients.USER.request('POST', '/api/crm/contacts', '{"firstName":"Ada"}', { ...headers, 'content-encoding': 'gzip' });
    expect(gzip.status).toBe(400);
    const unknown = await clients.USER.request('POST', '/api/crm/contacts', '{"firstName":"Ada"}', { ...headers, 'content-encoding': 'compress' });
    expect(unknown.status).toBe(415);
    // A body that is what it says is still read.
    const ok = await fetch(`${soshogle.url}/api/auth/login`, { method: 'POST', headers: { ...headers, 'content-encoding': 'gzip' }, body: gzipSync('{"email":"nobody@example.test","password":"wrong password"}') });
    expect(ok.status).toBe(401);
  });

  it('maps a value the database refuses to a 422, whatever got it there', async () => {
    const error = await db.contact.findMany({ where: { firstName: 'a\u0000' } }).catch((e: unknown) => e);
    expect(dataProblem(error)).toMatchObject({ status: 422 });
    const overflow = await db.deal.create({ data: { userId: clients.USER.userId, title: 't', value: '1e300' } }).catch((e: unknown) => e);
    expect(dataProblem(overflow)).toMatchObject({ status: 422 });
    expect(dataProblem(new Error('boom'))).toBeNull();
  });
});

describe('bad input to webhooks', () => {
  const webhooks = soshogle.registry.plugins.flatMap(({ definition }) => (definition.webhooks ?? []).map((w) => ({ ...w, url: `/webhooks/${definition.name}${w.path}` })));

  it('refuses bad bytes, bad tenants and bad queries with a 4xx problem, before and after the signature', async () => {
    expect(webhooks.length).toBeGreaterThan(3);
    const failures: string[] = [];
    const check = async (what: string, res: Promise<Response>) => {
      const failure = await notARefusal(await res);
      if (failure) failures.push(`${what}: ${failure}`);
    };
    const tenant = clients.USER.userId;
    for (const webhook of webhooks) {
      const at = (t: string) => webhook.url.replace(':tenant', t);
      const checks: Promise<void>[] = [];
      for (const text of badUrlText) {
        checks.push(check(`POST ${webhook.url} tenant ${text}`, fetch(`${soshogle.url}${at(text)}`, { method: 'POST', body: '{}' })));
        checks.push(check(`POST ${webhook.url}?x=${text}`, fetch(`${soshogle.url}${at(tenant)}?x=${text}`, { method: 'POST', body: '{}' })));
        if (webhook.handshake) checks.push(check(`GET ${webhook.url}?hub.challenge=${text}`, fetch(`${soshogle.url}${at(tenant)}?hub.mode=subscribe&hub.challenge=${text}&hub.verify_token=${text}`)));
      }
      for (const body of [JSON.stringify({ id: 'a\u0000', userId: tenant, message: '\uD800' }), Buffer.from([0xff, 0xfe, 0x00, 0xed, 0xa0, 0x80])]) {
        checks.push(check(`POST ${webhook.url} with bad bytes`, fetch(`${soshogle.url}${at(tenant)}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body })));
      }
      await Promise.all(checks);
    }
    // Signed, so the bytes get past the signature: the handler's parse and the database see them.
    const inbound = '/webhooks/example/inbound';
    for (const delivery of [
      { id: 'nul-1', userId: tenant, message: 'a\u0000b' },
      { id: 'surrogate-1', userId: tenant, message: 'a\uD800' },
      { id: 'a\u0000', userId: tenant, message: 'hi' },
      { id: 'tenant-1', userId: 'a\u0000', message: 'hi' },
    ]) {
      const raw = JSON.stringify(delivery);
      // Never a 500; a provider's lone surrogate may be stored as U+FFFD, so a 2xx is fine here.
      const res = await fetch(`${soshogle.url}${inbound}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-example-signature': `sha256=${createHmac('sha256', webhookSecret).update(raw).digest('hex')}` }, body: raw });
      if (res.status >= 500) failures.push(`signed ${raw}: ${res.status} ${await res.text()}`);
    }
    expect(failures).toEqual([]);
    // Applied after the answer: what the database refuses fails the delivery at once (no retry loop), and nothing is left half done.
    await webhooksApplied(soshogle);
    expect(await soshogle.db.webhookInbox.findMany({ where: { error: { not: null }, failedAt: null }, select: { deliveryId: true, error: true } })).toEqual([]);
  });
});
