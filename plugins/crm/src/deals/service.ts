// The deal pipeline: deals, their stage and win probability, and the contacts on them.
// Every change and the event it raises commit in one transaction. Routes and lead
// conversion write through here.
import { invalid, keysetOf, notFound, page, parseOrThrow, refuse, tenantSql, type EventPayloadInput, type EventType, type Keyset, type TenantDb, type TenantTx } from '@soshogle/core';
import { DealStage, Prisma, type Deal } from '@soshogle/db';
import { z } from 'zod';
import type { CrmScope } from '../contacts/service.ts';
import { defaultProbability, isClosed, pipeline } from './stages.ts';

// ---- Input ----

/** 15 digits before the point and 4 after: what Decimal(19,4) holds exactly. */
// No sign: a deal is worth something or nothing; a refund is not a deal.
const amount = /^\d{1,15}(\.\d{1,4})?$/;
const currencies = new Set(Intl.supportedValuesOf('currency'));

/** Text PostgreSQL can store: it refuses NUL characters, which would otherwise end as a 500. */
export const text = () => z.string().refine((value) => !value.includes('\u0000'), 'Must not contain NUL characters');
/** A row id, as a path segment or a reference in a body. */
export const rowId = text().min(1).max(64);

/**
 * Money as an exact decimal string. A JSON number is read by its shortest text, so 99.9
 * passes while float noise such as 0.30000000000000004 is refused, never rounded.
 */
export const dealValue = z
  .union([z.string().trim(), z.number()])
  .transform(String)
  .pipe(z.string().regex(amount, 'An amount of 0 or more, with at most 15 digits before the point and 4 after, such as 1234.50'));

export const currencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => /^[A-Z]{3}$/.test(code) && currencies.has(code), 'An ISO 4217 currency code such as USD or EUR');

const closeDate = z.union([z.date(), z.union([z.iso.date(), z.iso.datetime({ offset: true })]).transform((iso) => new Date(iso))], {
  error: 'A date as YYYY-MM-DD or an ISO timestamp',
});

const dealFields = {
  title: text().trim().min(1).max(200),
  description: text()
    .trim()
    .max(10_000)
    .transform((value) => value || null)
    .nullish(),
  value: dealValue.optional(),
  currency: currencyCode.optional(),
  stage: z.enum(DealStage).optional(),
  probability: z.number().int().min(0).max(100).optional(),
  expectedCloseDate: closeDate.nullish(),
};

const dealContactList = z
  .array(z.object({ contactId: rowId, isPrimary: z.boolean().optional() }))
  .max(100)
  .superRefine((links, ctx) => {
    const seen = new Set<string>();
    let primaries = 0;
    links.forEach((link, i) => {
      if (seen.has(link.contactId)) ctx.addIssue({ code: 'custom', path: [i, 'contactId'], message: 'This contact is listed twice' });
      seen.add(link.contactId);
      if (link.isPrimary && ++primaries > 1) ctx.addIssue({ code: 'custom', path: [i, 'isPrimary'], message: 'Only one contact can be primary' });
    });
  });

/** A new deal, as the API takes it. */
export const dealInput = z.object({ ...dealFields, contacts: dealContactList.optional() });
/** Changes to a deal: only the fields given change; null clears description and expectedCloseDate. */
export const dealPatch = z.object({ ...dealFields, title: dealFields.title.optional() });

export interface DealContactInput {
  contactId: string;
  /** At most one; without one, the first contact listed is the primary. */
  isPrimary?: boolean;
}

export interface DealInput {
  title: string;
  description?: string | null;
  /** Exact decimal string, e.g. "1234.50" (default "0"). */
  value?: string;
  /** ISO 4217 (default "USD"). */
  currency?: string;
  /** Default LEAD. */
  stage?: DealStage;
  /** 0-100; default: the stage's (see stages.ts). */
  probability?: number;
  expectedCloseDate?: Date | null;
  contacts?: DealContactInput[];
}

export type DealPatch = Partial<Omit<DealInput, 'contacts'>>;

// ---- Writing ----

async function raise<T extends EventType>(scope: CrmScope, type: T, payload: EventPayloadInput<T>) {
  if (scope.raise === false) return;
  await scope.events.raise(scope.tx, type, payload, { tenantId: scope.tenantId });
}

/**
 * Locks the deal row for the rest of the transaction, so concurrent stage moves and
 * contact changes queue up: each sees the previous one's result (one primary, true `from`).
 */
export async function lockDeal(scope: Pick<CrmScope, 'tx' | 'tenantId'>, id: string): Promise<Deal> {
  const t = tenantSql(scope.tenantId);
  const [row] = await scope.tx.$queryRaw<{ id: string }[]>(t`select id from "Deal" where id = ${id} and ${t.owns()} for update`);
  if (!row) throw notFound('Deal');
  return scope.tx.deal.findUniqueOrThrow({ where: { id } });
}

/**
 * Refuses contacts that are not the tenant's (unknown and another tenant's look the same)
 * with a 422 naming `field(i)`. The key-share lock keeps them from being deleted before
 * the link is written.
 */
async function checkContacts(scope: CrmScope, ids: string[], field: (i: number) => string): Promise<void> {
  if (!ids.length) return;
  const t = tenantSql(scope.tenantId);
  const rows = await scope.tx.$queryRaw<{ id: string }[]>(t`
    select id from "Contact" where ${t.owns()} and id in (${Prisma.join(ids)}) for key share`);
  const found = new Set(rows.map((r) => r.id));
  const problems = ids.flatMap((id, i) => (found.has(id) ? [] : [{ field: field(i), message: 'No such contact' }]));
  if (problems.length) throw invalid(problems);
}

async function primaryContactId(tx: TenantTx, dealId: string): Promise<string | null> {
  const link = await tx.dealContact.findFirst({ where: { dealId, isPrimary: true }, select: { contactId: true } });
  return link?.contactId ?? null;
}

/** Opens a deal, links its contacts and raises core.deal_created. */
export async function createDeal(scope: CrmScope, input: DealInput): Promise<Deal> {
  // Parsed again here: lead conversion and imports call this without a route's schema.
  const fields = parseOrThrow(dealInput, input);
  const stage = fields.stage ?? 'LEAD';
  const links = fields.contacts ?? [];
  await checkContacts(
    scope,
    links.map((l) => l.contactId),
    (i) => `contacts.${i}.contactId`,
  );
  const deal = await scope.tx.deal.create({
    data: {
      userId: scope.tenantId,
      title: fields.title,
      description: fields.description ?? null,
      value: fields.value ?? '0',
      currency: fields.currency ?? 'USD',
      stage,
      probability: fields.probability ?? defaultProbability[stage],
      expectedCloseDate: fields.expectedCloseDate ?? null,
      actualCloseDate: isClosed(stage) ? new Date() : null,
    },
  });
  const primary = links.find((l) => l.isPrimary) ?? links[0];
  // One create per link, not createMany: the scoped createMany checks its references
  // outside this transaction, where the new deal does not exist yet.
  for (const link of links) {
    await scope.tx.dealContact.create({ data: { userId: scope.tenantId, dealId: deal.id, contactId: link.contactId, isPrimary: link === primary } });
  }
  await raise(scope, 'core.deal_created', { dealId: deal.id, contactId: primary?.contactId ?? null, stage });
  return deal;
}

/**
 * Applies `patch` (only the fields given change). A stage change resets the probability
 * to the new stage's default unless the patch sets one, sets actualCloseDate on entering
 * a closed stage and clears it on leaving, and raises core.deal_stage_changed.
 */
export async function updateDeal(scope: CrmScope, id: string, patch: DealPatch): Promise<Deal> {
  const fields = parseOrThrow(dealPatch, patch);
  const current = await lockDeal(scope, id);
  const data: Prisma.DealUpdateInput = {};
  if (fields.title !== undefined) data.title = fields.title;
  if (fields.description !== undefined) data.description = fields.description;
  if (fields.value !== undefined) data.value = fields.value;
  if (fields.currency !== undefined) data.currency = fields.currency;
  if (fields.expectedCloseDate !== undefined) data.expectedCloseDate = fields.expectedCloseDate;
  if (fields.probability !== undefined) data.probability = fields.probability;
  const to = fields.stage;
  const moved = to !== undefined && to !== current.stage;
  if (moved) {
    data.stage = to;
    data.probability = fields.probability ?? defaultProbability[to];
    data.actualCloseDate = isClosed(to) ? new Date() : null;
  }
  if (!Object.keys(data).length) return current;
  const deal = await scope.tx.deal.update({ where: { id }, data });
  if (moved) {
    await raise(scope, 'core.deal_stage_changed', { dealId: id, contactId: await primaryContactId(scope.tx, id), from: current.stage, to });
  }
  return deal;
}

/**
 * Moves a deal to `stage`; `probability` overrides the stage's default. `moved` is false
 * when it was in that stage already: of two concurrent moves to one stage, exactly one
 * moves it (the row is locked before its stage is read).
 */
export async function moveDeal(scope: CrmScope, id: string, stage: DealStage, probability?: number): Promise<{ deal: Deal; moved: boolean }> {
  const before = await lockDeal(scope, id);
  const deal = await updateDeal(scope, id, { stage, ...(probability === undefined ? {} : { probability }) });
  return { deal, moved: before.stage !== stage };
}

/**
 * Puts a contact on a deal. The first contact on a deal becomes its primary; `isPrimary`
 * makes this one the primary instead of the previous one. Linking a linked contact only
 * changes the primary (if asked).
 */
export async function linkDealContact(scope: CrmScope, dealId: string, contactId: string, options: { isPrimary?: boolean } = {}): Promise<void> {
  await lockDeal(scope, dealId);
  await checkContacts(scope, [contactId], () => 'contactId');
  const links = await scope.tx.dealContact.findMany({ where: { dealId }, select: { contactId: true, isPrimary: true } });
  const existing = links.find((l) => l.contactId === contactId);
  // A deal with contacts always has a primary: one without (only possible through writes
  // that bypass this module) gets this contact.
  const primary = options.isPrimary === true || !links.some((l) => l.isPrimary);
  if (existing && (existing.isPrimary || !primary)) return;
  if (primary) await scope.tx.dealContact.updateMany({ where: { dealId, isPrimary: true }, data: { isPrimary: false } });
  if (existing) await scope.tx.dealContact.update({ where: { dealId_contactId: { dealId, contactId } }, data: { isPrimary: true } });
  else await scope.tx.dealContact.create({ data: { userId: scope.tenantId, dealId, contactId, isPrimary: primary } });
}

/** Makes a contact the deal's primary, linking it first if needed. */
export function setPrimaryContact(scope: CrmScope, dealId: string, contactId: string): Promise<void> {
  return linkDealContact(scope, dealId, contactId, { isPrimary: true });
}

/**
 * Takes a contact off a deal. When it was the primary, the contact longest in the CRM
 * becomes primary (links carry no date of their own, so "oldest link" is not knowable).
 */
export async function unlinkDealContact(scope: CrmScope, dealId: string, contactId: string): Promise<void> {
  await lockDeal(scope, dealId);
  const where = { dealId_contactId: { dealId, contactId } };
  const link = await scope.tx.dealContact.findUnique({ where, select: { isPrimary: true } });
  if (!link) throw refuse(404, 'That contact is not on this deal');
  await scope.tx.dealContact.delete({ where });
  if (!link.isPrimary) return;
  const next = await scope.tx.dealContact.findFirst({
    where: { dealId },
    orderBy: [{ contact: { createdAt: 'asc' } }, { contactId: 'asc' }],
    select: { contactId: true },
  });
  if (next) await scope.tx.dealContact.update({ where: { dealId_contactId: { dealId, contactId: next.contactId } }, data: { isPrimary: true } });
}

// ---- Reading ----

/** The contact's most recently opened deal, or null. */
export function newestDealOf(tx: TenantTx, contactId: string): Promise<Deal | null> {
  return tx.deal.findFirst({ where: { contacts: { some: { contactId } } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

const contactSummary = { id: true, firstName: true, lastName: true, email: true, phone: true, company: true } satisfies Prisma.ContactSelect;
const withPrimary = {
  contacts: { where: { isPrimary: true }, take: 1, select: { contact: { select: { id: true, firstName: true, lastName: true } } } },
} satisfies Prisma.DealInclude;
type DealWithPrimary = Prisma.DealGetPayload<{ include: typeof withPrimary }>;

/** A deal as the API returns it: money as an exact string with the column's 4 decimals. */
export function dealJson(deal: Deal) {
  return {
    id: deal.id,
    title: deal.title,
    description: deal.description,
    value: deal.value.toFixed(4),
    currency: deal.currency,
    stage: deal.stage,
    probability: deal.probability,
    expectedCloseDate: deal.expectedCloseDate,
    actualCloseDate: deal.actualCloseDate,
    createdAt: deal.createdAt,
    updatedAt: deal.updatedAt,
  };
}

const dealCard = ({ contacts, ...deal }: DealWithPrimary) => ({ ...dealJson(deal), primaryContact: contacts[0]?.contact ?? null });

/** One deal with its contacts, the primary first. */
export async function dealDetail(db: TenantTx, id: string) {
  const { contacts, ...deal } = await db.deal.findUniqueOrThrow({
    where: { id },
    include: { contacts: { select: { isPrimary: true, contact: { select: { ...contactSummary, createdAt: true } } } } },
  });
  const ordered = contacts.sort(
    (a, b) => Number(b.isPrimary) - Number(a.isPrimary) || a.contact.createdAt.getTime() - b.contact.createdAt.getTime(),
  );
  return { ...dealJson(deal), contacts: ordered.map(({ isPrimary, contact: { createdAt: _, ...contact } }) => ({ ...contact, isPrimary })) };
}

export interface DealFilter {
  stage?: DealStage;
  contactId?: string;
  /** Part of the title, any case. */
  q?: string;
  /** Where the previous page ended (a keyset cursor: the last deal's createdAt and id). */
  cursor?: Keyset;
  limit: number;
}

/** Newest first; keyset pages, so deals created meanwhile neither repeat nor go missing. */
export async function listDeals(db: TenantTx, filter: DealFilter) {
  const { cursor } = filter;
  const rows = await db.deal.findMany({
    where: {
      ...(filter.stage ? { stage: filter.stage } : {}),
      ...(filter.contactId ? { contacts: { some: { contactId: filter.contactId } } } : {}),
      ...(filter.q ? { title: { contains: filter.q, mode: 'insensitive' as const } } : {}),
      ...(cursor?.at ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: filter.limit + 1,
    include: withPrimary,
  });
  const { items, nextCursor } = page(rows, filter.limit, (last) => keysetOf(last.createdAt, last.id));
  return { items: items.map(dealCard), nextCursor };
}

interface StageTotal {
  stage: DealStage;
  currency: string;
  count: number;
  value: string;
  weightedValue: string;
}

/**
 * The board: every stage in pipeline order as
 *   { stage, count, currency, value, weightedValue, totals, deals }
 * - totals: one { currency, count, value, weightedValue } per currency in the stage, by
 *   currency code ([] for an empty stage).
 * - count: all deals in the stage, whatever their currency.
 * - currency, value, weightedValue: the stage's sums when its deals share one currency
 *   (an empty stage: null, "0.0000", "0.0000"); all null when it mixes currencies, since
 *   dollars plus euros means nothing: read `totals` then.
 * - deals: the `perStage` most recently updated, each with its primary contact.
 * Sums are computed by PostgreSQL in numeric and returned as strings with 4 decimals;
 * weightedValue = sum(value * probability) / 100, rounded half up to 4 decimals.
 * One repeatable-read snapshot, so counts and listed deals agree.
 */
export function dealBoard(db: TenantDb, tenantId: string, perStage: number) {
  return db.$transaction(
    async (tx) => {
      const t = tenantSql(tenantId);
      const totals = await tx.$queryRaw<StageTotal[]>(t`
        select stage::text as stage, currency, count(*)::int as count, sum(value)::text as value,
               round(sum(value * probability) / 100, 4)::text as "weightedValue"
        from "Deal" where ${t.owns()}
        group by stage, currency order by currency`);
      const stages = [];
      for (const stage of pipeline) {
        const deals = await tx.deal.findMany({ where: { stage }, orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }], take: perStage, include: withPrimary });
        const rows = totals.filter((t) => t.stage === stage).map(({ stage: _, ...total }) => total);
        const single = rows.length <= 1;
        stages.push({
          stage,
          count: rows.reduce((n, r) => n + r.count, 0),
          currency: single ? (rows[0]?.currency ?? null) : null,
          value: single ? (rows[0]?.value ?? '0.0000') : null,
          weightedValue: single ? (rows[0]?.weightedValue ?? '0.0000') : null,
          totals: rows,
          deals: deals.map(dealCard),
        });
      }
      return { stages };
    },
    { isolationLevel: 'RepeatableRead' },
  );
}
