// The public API contract: the OpenAPI document is valid OpenAPI 3.1, every route declares
// what it answers, the reference page is served, the UI's generated types are current, and
// every route, called with a tenant's own rows, answers what it declares (the check in
// core/src/http/routes.ts turns any difference into a 500 in tests) or a problem.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { uiTypes } from './api-description.ts';
import { productionDocument, uiTypesFile } from './cli/api-types.ts';
import type { MountedRoute } from './http/routes.ts';
import { enabledPluginNames, importPlugins } from './plugin-host.ts';
import { signedInUser, startTestSoshogle } from './testing/index.ts';
import { publicKeysOf, seedTenant } from './testing/seed-tenant.ts';

const soshogle = await startTestSoshogle(await importPlugins(enabledPluginNames(undefined)));
const name = (r: MountedRoute) => `${r.method} ${r.path}`;

describe('the API contract', () => {
  it('serves a valid OpenAPI 3.1 document of every route', async () => {
    const res = await fetch(`${soshogle.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const document = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    for (const route of soshogle.routes) expect(documented).toContain(`${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
  });

  it('every route declares what it answers', () => {
    expect(soshogle.routes.filter((r) => !r.route.response).map(name)).toEqual([]);
  });

  it('serves the reference page and its assets', async () => {
    const page = await fetch(`${soshogle.url}/api/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const asset of html.matchAll(/(?:src|href)="(\/api\/docs\/[^"]+)"/g)) {
      const res = await fetch(`${soshogle.url}${asset[1]}`);
      expect(res.status, asset[1]).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(10);
    }
    expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain('/api/docs');
  });

  it("the admin UI's generated types are those of the current routes (run `npx -y pnpm@10 api:types`)", async () => {
    expect(readFileSync(uiTypesFile, 'utf8')).toBe(await uiTypes(await productionDocument()));
  });
});

// ---- every route, called with the tenant's own rows ------------------------------------

/** Which seeded model a path segment or parameter names: `contacts` / `contactId` -> Contact. */
const modelOf: Record<string, string> = {
  contacts: 'Contact', contact: 'Contact', deals: 'Deal', deal: 'Deal', leads: 'Lead', lead: 'Lead', notes: 'Note', note: 'Note',
  tags: 'Tag', tag: 'Tag', workflows: 'Workflow', workflow: 'Workflow', versions: 'WorkflowVersion', executions: 'WorkflowExecution',
  runs: 'WorkflowExecution', steps: 'WorkflowStepRun', conversations: 'Conversation', conversation: 'Conversation', messages: 'Message',
  message: 'Message', campaigns: 'Campaign', campaign: 'Campaign', recipients: 'CampaignRecipient', 'custom-fields': 'CustomField',
  'smart-lists': 'SmartList', jobs: 'CrmJob', job: 'CrmJob', imports: 'CsvUpload', uploads: 'CsvUpload', upload: 'CsvUpload',
  searches: 'LeadSearch', search: 'LeadSearch', 'api-keys': 'ApiKey', 'sub-accounts': 'SubAccount', notifications: 'Notification',
  merges: 'ContactMerge', users: 'User', calls: 'Call', pings: 'ExamplePing',
};

function urlFor(route: MountedRoute, ids: Record<string, string>, publicKeys: Record<string, string>): string {
  const parts = route.path.split('/');
  return parts
    .map((part, i) => {
      if (!part.startsWith(':')) return part;
      const param = part.slice(1);
      // A public route naming its tenant: the tenant's own page or link.
      if (route.route.tenant && publicKeys[param]) return encodeURIComponent(publicKeys[param]);
      const model = modelOf[param.replace(/Id$/, '')] ?? modelOf[parts[i - 1] ?? ''] ?? '';
      return encodeURIComponent(ids[model] ?? 'no-such-id');
    })
    .join('/');
}

describe('every route answers what it declares', () => {
  it('called with the tenant’s own rows, each route answers its declared schema or a problem, never a 5xx', async () => {
    const client = await signedInUser(soshogle, { role: 'AGENCY' });
    const sub = await soshogle.db.user.create({ data: { email: 'contract-sub@example.test', role: 'SUB_ACCOUNT', agencyId: client.userId } });
    const ids = await seedTenant(soshogle.db, client.userId, sub.id);
    // The seed's secrets are not real envelopes (nothing reads them across tenants); here the
    // routes would decrypt them, so they start from none, as a new account does.
    await soshogle.db.providerConnection.deleteMany({ where: { userId: client.userId } });
    await soshogle.db.webhookSecret.deleteMany({ where: { userId: client.userId } });
    const failures: string[] = [];
    const succeeded: string[] = [];
    // Reads first, then writes, so a delete does not take a row a read needed; log-out last.
    const order = (r: MountedRoute) => (r.method === 'GET' ? 0 : r.path.includes('/logout') ? 3 : r.method === 'DELETE' ? 2 : 1);
    for (const route of [...soshogle.routes].sort((a, b) => order(a) - order(b))) {
      const res = await client.request(route.method, urlFor(route, ids, publicKeysOf(client.userId)), route.method === 'GET' ? undefined : {});
      const type = res.headers.get('content-type') ?? '';
      const text = await res.text();
      if (res.status >= 500) failures.push(`${name(route)}: ${res.status} ${text.slice(0, 300)}`);
      else if (res.status >= 400 && !type.startsWith('application/problem+json')) failures.push(`${name(route)}: ${res.status} as ${type}`);
      else if (res.status < 400) succeeded.push(name(route));
    }
    expect(failures).toEqual([]);
    // Every signed-in read of a list or of settings (no path parameters, no required query) that an agency may make answers.
    const reads = soshogle.routes.filter(
      (r) => r.method === 'GET' && r.route.access !== 'public' && !r.path.includes(':') && !requiresQuery(r) && (!r.route.roles || r.route.roles.includes('AGENCY')),
    );
    expect(reads.map(name).filter((n) => !succeeded.includes(n))).toEqual([]);
  }, 120_000);
});

function requiresQuery(route: MountedRoute): boolean {
  if (!route.route.query) return false;
  return !route.route.query.safeParse({}).success || z.toJSONSchema(route.route.query, { io: 'input', unrepresentable: 'any' }).required !== undefined;
}
