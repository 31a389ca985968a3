// The campaigns API: create and edit, preview for a contact, test send, schedule, send
// now, cancel; metrics, the recipient list and activity over time.
import { randomUUID } from 'node:crypto';
import { conflict, defineRoute, invalid, keysetCursor, keysetOf, listOf, listQuery, noContent, olderThan, notFound, page, Problem, TemplateError, type SignedInRouteContext, type TenantTx } from '@soshogle/core';
import type { Campaign } from '@soshogle/db';
import { z } from 'zod';
import { cancelCampaign, checkTarget, lockCampaign, startSending } from './fan-out.ts';
import { activityOf, countsOf, ratesOf, type Bucket } from './metrics.ts';
import { checkTemplates, renderFor } from './render.ts';
import { activityResponse, audienceResponse, campaignResponse, metricsResponse, recipientResponse, renderedResponse, testSendResponse } from './schemas.ts';
import { aCampaign, editable, moveCampaign } from './status.ts';

const id = z.object({ id: z.string().min(1).max(64) });
const tags = z.array(z.string().trim().min(1).max(100)).max(50);

const fields = z.object({
  name: z.string().trim().min(1, 'Give the campaign a name').max(200),
  type: z.enum(['EMAIL', 'SMS']),
  targetTags: tags,
  smartListId: z.string().min(1).max(64).nullable().optional(),
  subject: z.string().trim().min(1, 'An email campaign needs a subject').max(300).nullable().optional(),
  message: z.string().trim().min(1, 'Write the message').max(100_000),
  html: z.string().max(200_000).nullable().optional(),
});
// No default in the PATCH body: zod applies a default to a missing key even under
// partial(), so a PATCH of the name alone would have wiped the target tags.
const content = fields.extend({ targetTags: tags.default([]) });
type Content = z.output<typeof content>;

type Ctx = SignedInRouteContext<unknown, unknown, unknown>;


/** Checks a campaign's content as it will be saved: email needs a subject, SMS fits in 1,600 characters, templates parse, the smart list exists. */
async function checkContent(ctx: Ctx, tx: TenantTx, c: Pick<Content, 'type' | 'subject' | 'message' | 'html' | 'smartListId'>): Promise<void> {
  if (c.type === 'EMAIL' && !c.subject) throw invalid('body.subject', 'An email campaign needs a subject');
  if (c.type === 'SMS' && c.message.length > 1600) throw invalid('body.message', 'An SMS campaign message is at most 1,600 characters');
  checkTemplates({ subject: c.subject, message: c.message, html: c.html });
  await checkSmartList(ctx, tx, c.smartListId);
}

/** 422 on body.smartListId for a smart list that does not exist (or no longer: smart lists can be deleted). */
async function checkSmartList(ctx: Ctx, tx: TenantTx, smartListId: string | null | undefined): Promise<void> {
  if (!smartListId) return;
  try {
    await ctx.actions.run(tx, 'crm.count_contacts', { smartListId }, { tenantId: ctx.tenantId, idempotencyKey: randomUUID() });
  } catch (error) {
    if (error instanceof Problem && error.status === 422) throw invalid('body.smartListId', 'No such smart list');
    throw error;
  }
}

/** Before it starts or is scheduled: an audience, and its smart list still there (a status that cannot move answers 409 first). */
async function checkAudience(ctx: Ctx, tx: TenantTx, campaign: Campaign): Promise<void> {
  if (!editable.includes(campaign.status)) return;
  checkTarget(campaign);
  await checkSmartList(ctx, tx, campaign.smartListId);
}

/** 409 on status: only drafts and scheduled campaigns change. */
function notEditable(status: Campaign['status']): Problem {
  return conflict(`${aCampaign(status)} cannot be changed`, 'status');
}

/** SMS has no subject or HTML. */
const forType = <T extends Partial<Content>>(type: Campaign['type'], c: T): T => (type === 'SMS' ? { ...c, subject: null, html: null } : c);

async function campaignOf(tx: TenantTx, campaignId: string): Promise<Campaign> {
  const campaign = await tx.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw notFound('Campaign');
  return campaign;
}

async function withCounts(ctx: Ctx, campaign: Campaign) {
  const counts = await countsOf(ctx.db, ctx.tenantId, campaign.id);
  return { ...campaign, metrics: { ...counts, ...ratesOf(counts) } };
}

/** A contact field as the CRM's find_contacts gives it (any JSON): text, or null. */
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** One contact's fields, through the CRM (for previews and test sends). */
async function contactFor(ctx: Ctx, tx: TenantTx, contactId: string, field: string): Promise<Record<string, unknown>> {
  const { contacts } = await ctx.actions.run(tx, 'crm.find_contacts', { ids: [contactId], limit: 1 }, { tenantId: ctx.tenantId, idempotencyKey: randomUUID() });
  if (!contacts[0]) throw invalid(field, 'No such contact');
  return contacts[0];
}

export const campaignRoutes = [
  defineRoute({
    method: 'GET',
    path: '/campaigns',
    summary: 'Campaigns, newest first, with their counters',
    query: listQuery({ cursor: keysetCursor, size: 25, max: 100 }).extend({
      status: z.enum(['DRAFT', 'SCHEDULED', 'ACTIVE', 'COMPLETED', 'CANCELLED']).optional(),
    }),
    response: listOf(campaignResponse),
    async handler({ db, query }) {
      const after = query.cursor;
      const rows = await db.campaign.findMany({
        where: {
          ...(query.status ? { status: query.status } : {}),
          ...olderThan(after),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
      });
      return page(rows, query.limit, (last) => keysetOf(last.createdAt, last.id));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/campaigns',
    summary: 'Create a draft campaign',
    status: 201,
    body: content,
    response: campaignResponse,
    async handler(ctx) {
      const { body, db, tenantId } = ctx;
      return db.$transaction(async (tx) => {
        await checkContent(ctx as Ctx, tx, body);
        return tx.campaign.create({ data: { ...forType(body.type, body), userId: tenantId } });
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/campaigns/:id',
    summary: 'One campaign, with its metrics',
    params: id,
    response: campaignResponse,
    async handler(ctx) {
      return withCounts(ctx as Ctx, await campaignOf(ctx.db, ctx.params.id));
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/campaigns/:id',
    summary: 'Change a draft or scheduled campaign',
    params: id,
    body: fields.partial(),
    response: campaignResponse,
    async handler(ctx) {
      const { body, db, params } = ctx;
      return db.$transaction(async (tx) => {
        const current = await campaignOf(tx, params.id);
        if (!editable.includes(current.status)) throw notEditable(current.status);
        const type = body.type ?? current.type;
        const next = { ...current, ...body, type };
        await checkContent(ctx as Ctx, tx, next as Content);
        if (current.status === 'SCHEDULED') checkTarget(next);
        const changed = await tx.campaign.updateManyAndReturn({ where: { id: params.id, status: { in: editable } }, data: forType(type, body) });
        if (!changed[0]) throw notEditable((await campaignOf(tx, params.id)).status);
        return changed[0];
      });
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/campaigns/:id',
    summary: 'Delete a campaign that is not sending',
    params: id,
    response: noContent,
    async handler({ db, params }) {
      const removed = await db.campaign.deleteMany({ where: { id: params.id, status: { not: 'ACTIVE' } } });
      if (removed.count) return;
      const current = await campaignOf(db, params.id);
      throw conflict(`${aCampaign(current.status)} cannot be deleted; cancel it first`, 'status');
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/campaigns/:id/audience',
    summary: 'How many contacts the campaign targets now',
    params: id,
    response: audienceResponse,
    async handler(ctx) {
      return ctx.db.$transaction(async (tx) => {
        const campaign = await campaignOf(tx, ctx.params.id);
        if (!campaign.targetTags.length && !campaign.smartListId) return { count: 0 };
        return ctx.actions.run(
          tx,
          'crm.count_contacts',
          { ...(campaign.targetTags.length ? { tags: campaign.targetTags } : {}), ...(campaign.smartListId ? { smartListId: campaign.smartListId } : {}) },
          { tenantId: ctx.tenantId, idempotencyKey: randomUUID() },
        );
      });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/audience',
    summary: 'How many contacts some tags and/or a smart list reach (the editor counts before saving)',
    body: z.object({ targetTags: tags.default([]), smartListId: z.string().min(1).max(64).nullable().optional() }),
    response: audienceResponse,
    async handler(ctx) {
      const { body } = ctx;
      if (!body.targetTags.length && !body.smartListId) return { count: 0 };
      return ctx.db.$transaction(async (tx) => {
        await checkSmartList(ctx as Ctx, tx, body.smartListId);
        return ctx.actions.run(
          tx,
          'crm.count_contacts',
          { ...(body.targetTags.length ? { tags: body.targetTags } : {}), ...(body.smartListId ? { smartListId: body.smartListId } : {}) },
          { tenantId: ctx.tenantId, idempotencyKey: randomUUID() },
        );
      });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/campaigns/:id/preview',
    summary: 'The subject and message as one contact will get them; unsaved subject, message or HTML given here are previewed instead',
    params: id,
    body: z.object({
      contactId: z.string().min(1).max(64),
      // The editor previews what is being typed, before it is saved.
      type: z.enum(['EMAIL', 'SMS']).optional(),
      subject: z.string().max(300).nullable().optional(),
      message: z.string().max(100_000).optional(),
      html: z.string().max(200_000).nullable().optional(),
    }),
    response: renderedResponse,
    async handler(ctx) {
      const { contactId, type, ...draft } = ctx.body;
      checkTemplates(draft);
      return ctx.db.$transaction(async (tx) => {
        const saved = await campaignOf(tx, ctx.params.id);
        const content = forType(type ?? saved.type, { subject: saved.subject, message: saved.message, html: saved.html, ...draft });
        const contact = await contactFor(ctx as Ctx, tx, contactId, 'body.contactId');
        try {
          return renderFor({ subject: content.subject || null, message: content.message, html: content.html || null }, contact);
        } catch (error) {
          if (error instanceof TemplateError) throw invalid('body.message', `The template failed for this contact: ${error.message}`);
          throw error;
        }
      });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/campaigns/:id/test',
    summary: 'Send the campaign to yourself (or an address), filled in for a chosen contact',
    params: id,
    status: 202,
    body: z.object({ to: z.string().trim().min(3).max(320).optional(), contactId: z.string().min(1).max(64).optional() }),
    response: testSendResponse,
    async handler(ctx) {
      const { body, db, tenantId } = ctx;
      return db.$transaction(async (tx) => {
        const campaign = await campaignOf(tx, ctx.params.id);
        const me = await tx.user.findUnique({ where: { id: tenantId }, select: { email: true, phone: true } });
        const to = body.to ?? (campaign.type === 'EMAIL' ? me?.email : me?.phone);
        if (!to) throw invalid('body.to', 'Your account has no phone number: give one to send the test to');
        const rendered = renderFor(campaign, body.contactId ? await contactFor(ctx as Ctx, tx, body.contactId, 'body.contactId') : null);
        const { results } = await ctx.actions.run(
          tx,
          'messaging.queue_messages',
          {
            channel: campaign.type,
            messages: [{ to, body: rendered.body, ...(rendered.subject ? { subject: `[Test] ${rendered.subject}` } : {}), ...(rendered.html ? { html: rendered.html } : {}), idempotencyKey: `campaign-test:${randomUUID()}` }],
          },
          { tenantId, idempotencyKey: randomUUID() },
        );
        if (results[0]!.status !== 'queued') throw invalid('body.to', results[0]!.reason ?? 'Not sent');
        return { to, messageId: results[0]!.messageId, ...rendered };
      });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/campaigns/:id/schedule',
    summary: 'Schedule a draft (or reschedule a scheduled) campaign to start sending at a time',
    params: id,
    body: z.object({ at: z.iso.datetime({ offset: true }) }),
    response: campaignResponse,
    async handler(ctx) {
      const at = new Date(ctx.body.at);
      if (at.getTime() <= Date.now()) throw invalid('body.at', 'Choose a time in the future, or send now');
      return ctx.db.$transaction(async (tx) => {
        await checkAudience(ctx as Ctx, tx, await campaignOf(tx, ctx.params.id));
        const campaign = await moveCampaign(tx, ctx.params.id, 'SCHEDULED', { scheduledAt: at });
        // The job checks the time it was queued for: an older schedule's job does nothing.
        await ctx.jobs.enqueue(tx, 'campaigns.start', { campaignId: campaign.id, at: at.toISOString() }, { tenantId: ctx.tenantId, runAt: at });
        return campaign;
      });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/campaigns/:id/unschedule',
    summary: 'Take a scheduled campaign back to draft',
    params: id,
    response: campaignResponse,
    async handler(ctx) {
      return ctx.db.$transaction((tx) => moveCampaign(tx, ctx.params.id, 'DRAFT', { scheduledAt: null }));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/campaigns/:id/send',
    summary: 'Start sending a draft or scheduled campaign now',
    params: id,
    status: 202,
    response: campaignResponse,
    async handler(ctx) {
      return ctx.db.$transaction(async (tx) => {
        const campaign = await campaignOf(tx, ctx.params.id);
        await checkAudience(ctx as Ctx, tx, campaign);
        return startSending(tx, ctx, campaign);
      });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/campaigns/:id/cancel',
    summary: 'Cancel a scheduled campaign, or stop the remaining sends of an active one',
    params: id,
    response: campaignResponse,
    async handler(ctx) {
      return ctx.db.$transaction(async (tx) => {
        // Waits for a page being queued: after this, the fan-out sees CANCELLED and stops.
        await lockCampaign(tx, ctx.params.id);
        return cancelCampaign(tx, ctx, ctx.params.id);
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/campaigns/:id/metrics',
    summary: 'Recipients, sends, deliveries, opens, clicks, bounces, failures and unsubscribes, exact, with rates',
    params: id,
    response: metricsResponse,
    async handler(ctx) {
      await campaignOf(ctx.db, ctx.params.id);
      const counts = await countsOf(ctx.db, ctx.tenantId, ctx.params.id);
      return { ...counts, ...ratesOf(counts) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/campaigns/:id/activity',
    summary: 'Sends, deliveries, opens, clicks, bounces, failures and unsubscribes per minute, hour or day',
    params: id,
    query: z.object({ bucket: z.enum(['minute', 'hour', 'day']).default('hour') }),
    response: activityResponse,
    async handler(ctx) {
      await campaignOf(ctx.db, ctx.params.id);
      return { bucket: ctx.query.bucket, points: await activityOf(ctx.db, ctx.tenantId, ctx.params.id, ctx.query.bucket as Bucket) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/campaigns/:id/recipients',
    summary: 'Each recipient with its status and times, with the contact’s name and address',
    params: id,
    query: listQuery({ size: 50, max: 200 }).extend({
      status: z.enum(['QUEUED', 'SKIPPED', 'SENT', 'DELIVERED', 'OPENED', 'CLICKED', 'BOUNCED', 'FAILED', 'CANCELLED']).optional(),
    }),
    response: listOf(recipientResponse),
    async handler(ctx) {
      const { db, params, query, tenantId } = ctx;
      return db.$transaction(async (tx) => {
        await campaignOf(tx, params.id);
        // The cursor is the last recipient's id: ids are the order.
        const rows = await tx.campaignRecipient.findMany({
          where: { campaignId: params.id, ...(query.status ? { status: query.status } : {}), ...(query.cursor ? { id: { gt: query.cursor } } : {}) },
          orderBy: { id: 'asc' },
          take: query.limit + 1,
        });
        const { items, nextCursor } = page(rows, query.limit, (last) => last.id);
        const { contacts } = items.length
          ? await ctx.actions.run(tx, 'crm.find_contacts', { ids: items.map((r) => r.contactId), limit: items.length }, { tenantId, idempotencyKey: randomUUID() })
          : { contacts: [] };
        const byId = new Map(contacts.map((c) => [c.id as string, c]));
        return {
          items: items.map((r) => {
            const c = byId.get(r.contactId);
            return { ...r, contact: c ? { id: c.id, firstName: text(c.firstName), lastName: text(c.lastName), email: text(c.email), phone: text(c.phone) } : null };
          }),
          nextCursor,
        };
      });
    },
  }),
];
