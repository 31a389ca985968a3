// Tenant isolation, for every route there is and will be: the test walks the mounted
// routes (core and every plugin enabled by default), calls each as tenant A with
// tenant B's ids in every path parameter and every id field of the query and body,
// and requires the answer to be exactly the answer for an id that does not exist.
// B's data must be unchanged afterwards. No hand-kept list of routes.
import { delegateName, readModelMap } from '@soshogle/db';
import { describe, expect, it } from 'vitest';
import type { MountedRoute } from './http/routes.ts';
import { enabledPluginNames, importPlugins } from './plugin-host.ts';
import { signedInUser, startTestSoshogle } from './testing/index.ts';
import { call, isIdsKey, sample, schemaOf } from './testing/route-sweep.ts';

const soshogle = await startTestSoshogle(await importPlugins(enabledPluginNames(undefined)));
const db = soshogle.db;

// ---- tenant B, with one row of every tenant-owned model --------------------------------
const b = await db.user.create({ data: { email: 'tenant-b@example.test', role: 'AGENCY', businessName: 'B Inc' } });
const bSub = await db.user.create({ data: { email: 'tenant-b-client@example.test', role: 'SUB_ACCOUNT', agencyId: b.id } });
const userId = b.id;
const contact = await db.contact.create({ data: { userId, firstName: 'Bea', email: 'bea@example.test', phone: '+15550000001', tags: ['vip'] } });
const lead = await db.lead.create({ data: { userId, businessName: 'B Dental', address: '1 Main', city: 'Austin', state: 'TX', zipCode: '78701', category: 'dentist', source: 'manual' } });
const deal = await db.deal.create({ data: { userId, title: 'B deal', value: '1200.50' } });
await db.dealContact.create({ data: { userId, dealId: deal.id, contactId: contact.id, isPrimary: true } });
const conversation = await db.conversation.create({ data: { userId, contactId: contact.id, channel: 'SMS' } });
const voiceAgent = await db.voiceAgent.create({ data: { userId, name: 'B agent' } });
const steps = [{ id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'b' } }];
const workflow = await db.workflow.create({
  data: { userId, name: 'B flow', trigger: 'CONTACT_CREATED', triggerKey: 'core.contact_created', actions: steps, publishedVersion: 1 },
});
const version = await db.workflowVersion.create({
  data: { userId, workflowId: workflow.id, version: 1, triggerKey: 'core.contact_created', triggerFilter: {}, actions: steps, allowReentry: false },
});
const execution = await db.workflowExecution.create({
  data: { userId, workflowId: workflow.id, versionId: version.id, status: 'NEEDS_REVIEW', contextData: { event: {} }, contactId: contact.id, eventId: 'e1', dedupeKey: 'e1' },
});
const seeded: Record<string, string> = {
  User: b.id,
  SubAccount: bSub.id,
  Contact: contact.id,
  Lead: lead.id,
  Deal: deal.id,
  Conversation: conversation.id,
  VoiceAgent: voiceAgent.id,
  Workflow: workflow.id,
  Note: (await db.note.create({ data: { userId, content: 'B note', contactId: contact.id } })).id,
  Tag: (await db.tag.create({ data: { userId, name: 'vip', color: '#ff0000' } })).id,
  Message: (await db.message.create({ data: { userId, contactId: contact.id, conversationId: conversation.id, content: 'hi', direction: 'OUTBOUND', from: '+1', to: '+2' } })).id,
  Call: (await db.call.create({ data: { userId, voiceAgentId: voiceAgent.id, direction: 'INBOUND', from: '+1', to: '+2' } })).id,
  Campaign: (await db.campaign.create({ data: { userId, name: 'B campaign', type: 'SMS', message: 'hello' } })).id,
  WorkflowVersion: version.id,
  WorkflowExecution: execution.id,
  WorkflowStepRun: (await db.workflowStepRun.create({ data: { userId, executionId: execution.id, stepId: 'tag', type: 'action', status: 'NEEDS_REVIEW' } })).id,
  WorkflowWait: (await db.workflowWait.create({ data: { userId, executionId: execution.id, stepId: 'tag', kind: 'GOAL', eventType: 'core.tag_added', contactId: contact.id } })).id,
  Notification: (await db.notification.create({ data: { userId, title: 'B notice' } })).id,
  WebhookSecret: (await db.webhookSecret.create({ data: { userId, secret: 'not-a-real-envelope' } })).id,
  Appointment: (await db.appointment.create({ data: { userId, contactId: contact.id, title: 'B meeting', startTime: new Date(), endTime: new Date() } })).id,
  CalendarConnection: (await db.calendarConnection.create({ data: { userId, provider: 'google' } })).id,
  Payment: (await db.payment.create({ data: { userId, amount: '10.00', provider: 'STRIPE' } })).id,
  ApiKey: (await db.apiKey.create({ data: { userId, name: 'B key', prefix: 'sk_b', keyHash: 'b'.repeat(64), scope: 'WRITE' } })).id,
  AuditLog: (await db.auditLog.create({ data: { userId, action: 'test.seeded' } })).id,
  Account: (await db.account.create({ data: { userId, type: 'oauth', provider: 'google', providerAccountId: 'b-google' } })).id,
  Session: (await db.session.create({ data: { userId, sessionToken: 'c'.repeat(64), expires: new Date(Date.now() + 86_400_000) } })).id,
};
const crmJob = await db.crmJob.create({ data: { userId, kind: 'CONTACT_IMPORT', params: {} } });
Object.assign(seeded, {
  CustomField: (await db.customField.create({ data: { userId, key: 'plan', label: 'Plan', type: 'TEXT' } })).id,
  SmartList: (await db.smartList.create({ data: { userId, name: 'B list', filter: { tagsAny: ['vip'] } } })).id,
  ContactMerge: (await db.contactMerge.create({ data: { userId, keptContactId: contact.id, mergedContactId: 'gone', mergedContact: {} } })).id,
  CrmJob: crmJob.id,
  CrmJobError: (await db.crmJobError.create({ data: { userId, jobId: crmJob.id, item: 1, field: 'email', message: 'bad' } })).id,
  ProviderConnection: (await db.providerConnection.create({ data: { userId, plugin: 'leads', provider: 'google_places', credentials: 'not-a-real-envelope' } })).id,
  LeadSearch: (await db.leadSearch.create({ data: { userId, params: { query: 'dentist in Austin, TX', maxResults: 60, sandbox: true } } })).id,
  CsvUpload: (await db.csvUpload.create({ data: { userId, fileName: 'b.csv', content: Buffer.from('firstName\nBea\n'), headers: ['firstName'], rowCount: 1 } })).id,
  MessageEvent: (await db.messageEvent.create({ data: { userId, messageId: seeded.Message!, type: 'delivered', occurredAt: new Date() } })).id,
  ConsentChange: (await db.consentChange.create({ data: { userId, contactId: contact.id, channel: 'SMS', doNotDisturb: true, source: 'keyword', reason: 'Replied STOP' } })).id,
  MessagingSettings: (await db.messagingSettings.create({ data: { userId, quietHoursStart: '22:00' } })).id,
  SendThrottle: (await db.sendThrottle.create({ data: { userId, provider: 'twilio', nextSendAt: new Date() } })).id,
  ExamplePing: (await db.examplePing.create({ data: { userId, contactId: contact.id, message: 'B ping', source: 'api' } })).id,
  CampaignRecipient: (await db.campaignRecipient.create({ data: { userId, campaignId: seeded.Campaign!, contactId: contact.id, messageId: seeded.Message!, status: 'SENT' } })).id,
});
const bIds = Object.entries(seeded);

const tenantModels = Object.entries(readModelMap()).filter(([, info]) => info.tenantOwned).map(([model]) => model);
/** Join rows with no id of their own to send (seeded above all the same), and their order. */
const idless: Record<string, object> = { DealContact: [{ dealId: 'asc' }, { contactId: 'asc' }] };

/** Every row of B, to prove nothing of it changed. */
async function snapshotOfB(): Promise<unknown> {
  const delegates = db as unknown as Record<string, { findMany(args: object): Promise<unknown[]> }>;
  const rows: Record<string, unknown> = {
    users: await db.user.findMany({ where: { id: { in: [b.id, bSub.id] } }, orderBy: { id: 'asc' } }),
  };
  for (const model of tenantModels) {
    const orderBy = model in idless ? idless[model] : { id: 'asc' };
    rows[model] = await delegates[delegateName(model)]!.findMany({ where: { userId: { in: [b.id, bSub.id] } }, orderBy });
  }
  return rows;
}

// ---- requests built from each route's own schemas --------------------------------------

/** Whether the route takes anything that could be an id (a path parameter, a string or id list in query or body). */
function takesIds(route: MountedRoute): boolean {
  const fields = [...Object.entries(schemaOf(route.route.query).properties ?? {}), ...Object.entries(schemaOf(route.route.body).properties ?? {})];
  return route.path.includes(':') || fields.some(([k, s]) => isIdsKey(k) || (s.type === 'string' && !s.enum && !s.format));
}

/** What must match between "B's id" and "no such id": status and the problem's words. */
async function answer(res: Response): Promise<unknown> {
  const text = await res.text();
  if (res.status < 400) return { status: res.status };
  const problem = JSON.parse(text) as { title?: string; detail?: string; errors?: unknown };
  return { status: res.status, title: problem.title, detail: problem.detail, errors: problem.errors };
}

const randomId = () => `c${Math.random().toString(36).slice(2).padEnd(12, '0')}${Math.random().toString(36).slice(2).padEnd(12, '0')}`.slice(0, 25);

describe('tenant isolation', () => {
  it('seeds tenant B with a row of every tenant-owned model (add one when you add a model)', () => {
    expect(tenantModels.filter((m) => !(m in seeded) && !(m in idless)).sort()).toEqual([]);
  });

  it('finds the routes to sweep by itself', () => {
    expect(soshogle.routes.length).toBeGreaterThan(20);
    expect(soshogle.routes.filter(takesIds).length).toBeGreaterThan(5);
  });

  for (const role of ['USER', 'AGENCY', 'SUB_ACCOUNT'] as const) {
    it(`as a ${role}, every route answers B's ids exactly as it answers a missing id, and B's data is untouched`, async () => {
      const agency = role === 'SUB_ACCOUNT' ? await db.user.create({ data: { email: `a-agency-${role}@example.test`, role: 'AGENCY' } }) : undefined;
      const a = await signedInUser(soshogle, { role, ...(agency ? { agencyId: agency.id } : {}) });
      const before = await snapshotOfB();
      const failures: string[] = [];
      // Public routes act for no tenant (sign-up, log-in: rate-limited, so not hammered
      // here) unless they name a row in their path. Logging out would end the sweep's session.
      const routes = soshogle.routes.filter(
        (r) => takesIds(r) && (r.route.access !== 'public' || r.path.includes(':')) && !r.path.includes('/logout'),
      );
      for (const route of routes) {
        const expected = await answer(await call(a, route, randomId()));
        // B's ids for one route at once: each must answer like a missing id, whatever the order.
        const answers = await Promise.all(bIds.map(async ([model, id]) => [model, await answer(await call(a, route, id))] as const));
        for (const [model, got] of answers) {
          if (JSON.stringify(got) !== JSON.stringify(expected)) {
            failures.push(`${route.method} ${route.path} with B's ${model} id: ${JSON.stringify(got)} instead of ${JSON.stringify(expected)}`);
          }
        }
      }
      expect(failures).toEqual([]);
      expect(await snapshotOfB()).toEqual(before);
      // Thousands of requests (every route with an id times every model), on CI's two cores.
    }, 180_000);
  }
});

// ---- jobs and subscribers, run for A with B's ids in their payloads ---------------------

/** How a run ended, with the id it was given blanked out, to compare "B's id" with "no such id". */
async function outcome(id: string, work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
    return { ok: true };
  } catch (error) {
    const e = error as { name?: string; code?: unknown; message?: string };
    return { error: e.name, code: e.code, message: String(e.message ?? error).replaceAll(id, '<id>') };
  }
}

/** Every registered job and subscriber, with a run of it for `tenantId` whose payload carries `id`. */
function backgroundWork(tenantId: string): { name: string; run(id: string): Promise<unknown> }[] {
  const jobs = [...soshogle.registry.jobs].map(([key, { plugin, job }]) => ({
    name: `job ${key}`,
    run: (id: string) =>
      outcome(id, async () => {
        const ctx = soshogle.tenantContext(plugin.definition.name, tenantId);
        await job.run({ ...ctx, attempt: 1, maxAttempts: 1 }, job.payload.parse(sample(schemaOf(job.payload), '', id, { dates: true })));
      }),
  }));
  const subscribers = [...soshogle.registry.subscribers].flatMap(([type, list]) =>
    list.map(({ plugin, subscriber }) => ({
      name: `subscriber ${plugin.definition.name}.${subscriber.name}`,
      run: (id: string) =>
        outcome(id, async () => {
          const payload = soshogle.registry.triggers.get(type)!.trigger.payload.parse(sample(schemaOf(soshogle.registry.triggers.get(type)!.trigger.payload), '', id, { dates: true }));
          const event = { id: randomId(), type, tenantId, payload, occurredAt: new Date().toISOString(), depth: 0 };
          const ctx = soshogle.tenantContext(plugin.definition.name, tenantId);
          // A transactional subscriber runs inside its raiser's transaction.
          if (subscriber.transactional) await ctx.db.$transaction((tx) => subscriber.run({ ...ctx, db: tx as typeof ctx.db }, event));
          else await subscriber.run(ctx, event);
        }),
    })),
  );
  return [...jobs, ...subscribers];
}

describe('tenant isolation of background work', () => {
  it('finds the jobs and subscribers to sweep by itself', async () => {
    const a = await signedInUser(soshogle);
    const work = backgroundWork(a.userId).map((w) => w.name);
    expect(work.filter((n) => n.startsWith('job ')).length).toBeGreaterThan(3);
    expect(work.filter((n) => n.startsWith('subscriber ')).length).toBeGreaterThan(3);
  });

  it("every job and subscriber, run for A with B's ids, ends exactly as with a missing id, and B's data is untouched", async () => {
    const a = await signedInUser(soshogle);
    const before = await snapshotOfB();
    const failures: string[] = [];
    const refusedPayload: string[] = [];
    for (const work of backgroundWork(a.userId)) {
      const expected = await work.run(randomId());
      if ((expected as { error?: string }).error === 'ZodError') refusedPayload.push(work.name);
      // One at a time: jobs lock and batch, and the outcome must not depend on a neighbour.
      for (const [model, id] of bIds) {
        const got = await work.run(id);
        if (JSON.stringify(got) !== JSON.stringify(expected)) failures.push(`${work.name} with B's ${model} id: ${JSON.stringify(got)} instead of ${JSON.stringify(expected)}`);
      }
    }
    expect(failures).toEqual([]);
    // The sweep means something only if the work gets past its payload's schema.
    expect(refusedPayload).toEqual([]);
    expect(await snapshotOfB()).toEqual(before);
  }, 300_000);
});
