// A contact's data on request: every enabled plugin's part (see ContactDataPart in
// plugin.ts) exported as one JSON file, or erased in one transaction. The core names no
// plugin: it asks the parts, as the timeline does.
//
// Erasure deletes the contact row (its owner's part does, last) rather than keeping a
// tombstone: every list, search, count, segment and workflow start would otherwise have to
// learn to skip tombstones, and a missed one would show an erased person. The foreign keys
// already say what outlives a contact (payments, invoices and calls keep their row with the
// contact column cleared; campaign recipients and workflow runs hold a plain id for their
// counters). What proves the erasure, and makes a repeat answer the same report, is the
// `contact.erased` audit entry, which holds the contact's id and counts, no personal data.
import { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { audit } from './auth/audit.ts';
import { notFound, Problem } from './http/problem.ts';
import { isoDate } from './http/wire.ts';
import { defineRoute, fileResponse, type AnyRoute, type Auth, type ContactErasure, type TenantContext } from './plugin.ts';
import type { LoadedPlugin, Registry } from './plugin-host.ts';
import type { CoreServices } from './services.ts';
import { actingAs, type TenantDb, type TenantTx } from './tenancy.ts';
import { plain, runSubject } from './workflows/run-context.ts';

const contactParams = z.object({ id: z.string().min(1).max(64) });

const providerRecordResponse = z.object({
  provider: z.string(),
  record: z.string(),
  count: z.number().int(),
  outcome: z.enum(['delete_queued', 'not_possible']),
  reason: z.string().optional(),
});

const partReportResponse = z.object({
  /** The part, `<plugin>.<name>`. */
  part: z.string(),
  erased: z.record(z.string(), z.number().int()),
  kept: z.array(z.string()),
  providers: z.array(providerRecordResponse),
});

const erasureResponse = z
  .object({
    contactId: z.string(),
    erasedAt: isoDate,
    /** True when an earlier request erased it: this is that erasure's report. */
    alreadyErased: z.boolean(),
    parts: z.array(partReportResponse),
  })
  .meta({ id: 'ContactErasureReport', description: "What erasing a contact removed, kept and queued at providers, per plugin's part" });

type PartReport = z.infer<typeof partReportResponse>;

/**
 * A contact's data is for the account's owner (or an installation admin): not an agency
 * user working in a sub-account, whose other changes are only audited.
 */
function mustOwnAccount(auth: Auth): void {
  if (auth.userId !== auth.tenantId && auth.role !== 'ADMIN') {
    throw new Problem(403, 'Forbidden', "Only the account's owner or an admin may export or erase a contact's data");
  }
}

/**
 * The parts in the order they erase: the plugins' first, then the core's (workflow runs:
 * it also drops the starts their erasures queued, such as a cancelled appointment's), and
 * the contact's own plugin last, so the others still find the contact.
 */
function partsInErasureOrder(registry: Registry) {
  const owner = registry.runContext.get(runSubject)?.plugin;
  const rank = (p: LoadedPlugin) => (p === owner ? 2 : p.definition.name === 'core' ? 1 : 0);
  return [...registry.contactData].sort((a, b) => rank(a.plugin) - rank(b.plugin));
}

function partContext(services: CoreServices, plugin: LoadedPlugin, tenantId: string, tx?: TenantTx): TenantContext {
  const base = services.tenantContext(plugin.definition.name, tenantId);
  // Inside the erasure, the part writes through its transaction as its own plugin.
  return tx ? { ...base, db: actingAs(tx, plugin.definition.name) as unknown as TenantDb } : base;
}

/** The contact as workflow runs read it (from the plugin that provides `contact`), or 404. */
async function loadContact(registry: Registry, db: TenantTx, id: string): Promise<Record<string, unknown>> {
  const record = plain(await registry.runContext.get(runSubject)?.provider.load(db, id));
  if (!record) throw notFound('Contact');
  return record;
}

const reportOf = (key: string, erasure: ContactErasure): PartReport => ({
  part: key,
  erased: erasure.erased,
  kept: erasure.kept ?? [],
  providers: erasure.providers ?? [],
});

export function contactDataRoutes(services: CoreServices): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/contacts/:id/export',
      summary: "A contact's complete data from every plugin, as a JSON file (owner or admin only)",
      params: contactParams,
      response: fileResponse('application/json'),
      async handler({ params, db, tenantId, auth, http }) {
        mustOwnAccount(auth);
        const contact = await loadContact(services.registry, db, params.id);
        const sections: Record<string, unknown> = {};
        for (const { plugin, part } of services.registry.contactData) {
          const key = `${plugin.definition.name}.${part.name}`;
          sections[key] = plain(await part.export(partContext(services, plugin, tenantId), params.id, contact));
        }
        const exportedAt = new Date();
        await audit(services.db, http, { userId: tenantId, actorId: auth.userId, action: 'contact.exported', details: { contactId: params.id, sections: Object.keys(sections) } });
        http.attachment(`contact-${params.id}-${exportedAt.toISOString().slice(0, 10)}.json`);
        http.type = 'application/json';
        http.body = JSON.stringify({ contactId: params.id, exportedAt: exportedAt.toISOString(), sections }, null, 2);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/contacts/:id/erase',
      summary: "Erases a contact's personal data everywhere (owner or admin only); 202 with what was removed, kept and queued at providers; a repeat answers the same report",
      status: 202,
      params: contactParams,
      // Said out loud, so no stray POST erases a person.
      body: z.object({ confirm: z.literal(true).describe('true: erase this contact for good') }),
      response: erasureResponse,
      async handler({ params, db, tenantId, auth, http }) {
        mustOwnAccount(auth);
        const contactId = params.id;
        return db.$transaction(async (tx) => {
          // One erasure per contact at a time: a second request waits, then finds the first's audit entry.
          await tx.$executeRaw(Prisma.sql`select pg_advisory_xact_lock(hashtextextended(${`contact-erasure:${tenantId}:${contactId}`}, 0))`);
          const earlier = await tx.auditLog.findFirst({
            where: { action: 'contact.erased', details: { path: ['contactId'], equals: contactId } },
            orderBy: { createdAt: 'desc' },
          });
          if (earlier) {
            const details = earlier.details as { erasedAt: string; parts: PartReport[] };
            return { contactId, erasedAt: new Date(details.erasedAt), alreadyErased: true, parts: details.parts };
          }
          const contact = await loadContact(services.registry, tx, contactId);
          const parts: PartReport[] = [];
          for (const { plugin, part } of partsInErasureOrder(services.registry)) {
            const own = actingAs(tx, plugin.definition.name);
            parts.push(reportOf(`${plugin.definition.name}.${part.name}`, await part.erase(partContext(services, plugin, tenantId, tx), contactId, own, contact)));
          }
          const erasedAt = new Date();
          await audit(tx as unknown as Prisma.TransactionClient, http, { userId: tenantId, actorId: auth.userId, action: 'contact.erased', details: { contactId, erasedAt: erasedAt.toISOString(), parts } });
          return { contactId, erasedAt, alreadyErased: false, parts };
        });
      },
    }),
  ];
}
