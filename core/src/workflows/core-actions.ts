// The core's workflow actions: tags, contact fields, notes, deals, a signed outbound
// webhook and an in-app notification. Each one that changes CRM data raises the same
// event a person making that change would (so "tag added" workflows hear a workflow
// adding a tag), inside the step's transaction.
import { randomBytes } from 'node:crypto';
import { DealStage } from '@soshogle/db';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { defineAction, PermanentFailure, type ActionContext } from '../plugin.ts';
import { decryptSecret, encryptSecret, type KeyRing } from '../secrets.ts';
import type { TenantTx } from '../tenancy.ts';
import { sendWebhook } from './outbound-webhook.ts';

type Ctx = Pick<ActionContext<unknown>, 'db' | 'run' | 'events' | 'tenantId'>;

function contactOfRun(ctx: Ctx): string {
  if (!ctx.run.contactId) throw new PermanentFailure('This run has no contact (its trigger is not about a contact)');
  return ctx.run.contactId;
}

async function loadContact(ctx: Ctx) {
  const contact = await ctx.db.contact.findUnique({ where: { id: contactOfRun(ctx) } });
  if (!contact) throw new PermanentFailure('The contact of this run no longer exists');
  return contact;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const tagProps = z.object({ tag: z.string().trim().min(1).max(100).describe('Tag') });

/** Add tag / remove tag: the same change in two directions, each raising its event. */
function tagAction(change: 'add' | 'remove') {
  const adding = change === 'add';
  // The output says what happened in the marketer's words: steps.<id>.added / .removed.
  const key = adding ? 'added' : 'removed';
  return defineAction({
    name: `${change}_tag`,
    version: 1,
    displayName: adding ? 'Add tag' : 'Remove tag',
    description: adding ? 'Adds a tag to the contact (raises "Tag added").' : 'Removes a tag from the contact (raises "Tag removed").',
    props: tagProps,
    output: z.object({ [key]: z.boolean() }) as z.ZodObject<Record<string, z.ZodBoolean>>,
    idempotent: true,
    transactional: true,
    describe: (p) => (adding ? `Add the tag "${p.tag}" to the contact` : `Remove the tag "${p.tag}" from the contact`),
    async run(ctx) {
      const contact = await loadContact(ctx);
      const has = contact.tags.some((t) => same(t, ctx.props.tag));
      if (has === adding) return { [key]: false };
      const tags = adding ? [...contact.tags, ctx.props.tag] : contact.tags.filter((t) => !same(t, ctx.props.tag));
      await ctx.db.contact.update({ where: { id: contact.id }, data: { tags } });
      await ctx.events.raise(ctx.db, adding ? 'core.tag_added' : 'core.tag_removed', { contactId: contact.id, tag: ctx.props.tag }, { tenantId: ctx.tenantId });
      return { [key]: true };
    },
  });
}

export const editableContactFields = ['firstName', 'lastName', 'email', 'phone', 'company', 'source'] as const;

/** The tenant's outbound-webhook signing secret, created on first use; stored encrypted. */
export async function webhookSecret(db: Pick<TenantTx, 'webhookSecret'>, tenantId: string, keyRing: KeyRing): Promise<string> {
  const existing = await db.webhookSecret.findUnique({ where: { userId: tenantId } });
  if (existing) return decryptSecret(keyRing, existing.secret, `WebhookSecret.secret:${existing.id}`);
  const id = `whs_${randomBytes(12).toString('hex')}`;
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  await db.webhookSecret.upsert({
    where: { userId: tenantId },
    create: { id, userId: tenantId, secret: encryptSecret(keyRing, secret, `WebhookSecret.secret:${id}`) },
    update: {},
  });
  return webhookSecret(db, tenantId, keyRing);
}

export function coreActions(deps: { keyRing: KeyRing; config: Pick<Config, 'WEBHOOK_ALLOWED_HOSTS'> }) {
  return [
    tagAction('add'),
    tagAction('remove'),
    defineAction({
      name: 'update_contact_field',
      version: 1,
      displayName: 'Update contact field',
      description: 'Sets a field of the contact, or one of its custom fields (raises "Contact updated").',
      props: z.object({
        field: z.union([z.enum(editableContactFields), z.string().regex(/^customFields\.[A-Za-z0-9_]{1,64}$/, 'a contact field, or customFields.<name>')]),
        value: z.string().max(10_000).nullable().describe('New value; empty clears it'),
      }),
      output: z.object({ changed: z.boolean() }),
      idempotent: true,
      transactional: true,
      describe: (p) => `Set the contact's ${p.field} to ${p.value === null || p.value === '' ? '(empty)' : `"${p.value}"`}`,
      async run(ctx) {
        const contact = await loadContact(ctx);
        const value = ctx.props.value === '' ? null : ctx.props.value;
        const { field } = ctx.props;
        let data: Record<string, unknown>;
        if (field.startsWith('customFields.')) {
          const key = field.slice('customFields.'.length);
          const custom = { ...((contact.customFields as Record<string, unknown> | null) ?? {}) };
          if (custom[key] === value) return { changed: false };
          custom[key] = value;
          data = { customFields: custom };
        } else {
          if (field === 'firstName' && !value) throw new PermanentFailure('A contact must keep a first name');
          if ((contact as Record<string, unknown>)[field] === value) return { changed: false };
          data = { [field]: value };
        }
        await ctx.db.contact.update({ where: { id: contact.id }, data });
        await ctx.events.raise(ctx.db, 'core.contact_updated', { contactId: contact.id, changed: [field] }, { tenantId: ctx.tenantId });
        return { changed: true };
      },
    }),
    defineAction({
      name: 'create_note',
      version: 1,
      displayName: 'Create note',
      description: "Adds a note to the contact (and to the run's deal, if it has one).",
      props: z.object({ content: z.string().trim().min(1).max(20_000).describe('Note') }),
      output: z.object({ noteId: z.string() }),
      idempotent: true,
      transactional: true,
      describe: (p) => `Add a note: "${p.content.slice(0, 80)}"`,
      async run(ctx) {
        const note = await ctx.db.note.create({
          data: { userId: ctx.tenantId, content: ctx.props.content, contactId: contactOfRun(ctx), dealId: ctx.run.dealId },
          select: { id: true },
        });
        return { noteId: note.id };
      },
    }),
    defineAction({
      name: 'create_deal',
      version: 1,
      displayName: 'Create deal',
      description: 'Opens a deal for the contact (raises "Deal created").',
      props: z.object({
        title: z.string().trim().min(1).max(200),
        value: z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'an amount such as 1500 or 99.90').default('0'),
        currency: z.string().regex(/^[A-Z]{3}$/, 'a 3-letter currency code').default('USD'),
        stage: z.enum(DealStage).default('LEAD'),
      }),
      output: z.object({ dealId: z.string() }),
      idempotent: true,
      transactional: true,
      describe: (p) => `Create the deal "${p.title}" (${p.value} ${p.currency}) in stage ${p.stage}`,
      async run(ctx) {
        const contactId = contactOfRun(ctx);
        const deal = await ctx.db.deal.create({
          data: { userId: ctx.tenantId, title: ctx.props.title, value: ctx.props.value, currency: ctx.props.currency, stage: ctx.props.stage },
          select: { id: true },
        });
        await ctx.db.dealContact.create({ data: { dealId: deal.id, contactId } });
        await ctx.events.raise(ctx.db, 'core.deal_created', { dealId: deal.id, contactId, stage: ctx.props.stage }, { tenantId: ctx.tenantId });
        return { dealId: deal.id };
      },
    }),
    defineAction({
      name: 'move_deal',
      version: 1,
      displayName: 'Move deal',
      description: "Moves a deal to a pipeline stage: the given deal, else the run's deal, else the contact's newest deal (raises \"Deal stage changed\").",
      props: z.object({ stage: z.enum(DealStage), dealId: z.string().optional().describe('Leave empty for the run\'s deal') }),
      output: z.object({ dealId: z.string(), moved: z.boolean() }),
      idempotent: true,
      transactional: true,
      describe: (p) => `Move the deal to ${p.stage}`,
      async run(ctx) {
        const dealId = ctx.props.dealId || ctx.run.dealId;
        const deal = dealId
          ? await ctx.db.deal.findUnique({ where: { id: dealId } })
          : await ctx.db.deal.findFirst({ where: { contacts: { some: { contactId: contactOfRun(ctx) } } }, orderBy: { createdAt: 'desc' } });
        if (!deal) throw new PermanentFailure('No deal to move: the run has none and the contact has no deal');
        if (deal.stage === ctx.props.stage) return { dealId: deal.id, moved: false };
        const closed = ctx.props.stage === 'CLOSED_WON' || ctx.props.stage === 'CLOSED_LOST';
        await ctx.db.deal.update({ where: { id: deal.id }, data: { stage: ctx.props.stage, actualCloseDate: closed ? new Date() : null } });
        await ctx.events.raise(
          ctx.db,
          'core.deal_stage_changed',
          { dealId: deal.id, contactId: ctx.run.contactId, from: deal.stage, to: ctx.props.stage },
          { tenantId: ctx.tenantId },
        );
        return { dealId: deal.id, moved: true };
      },
    }),
    defineAction({
      name: 'send_webhook',
      version: 1,
      displayName: 'Send webhook',
      description:
        'Sends JSON to a URL, signed with your account\'s webhook secret (header Soshogle-Signature: t=<unix time>,v1=<HMAC-SHA256 of "t.body">). Private and internal addresses are refused.',
      props: z.object({
        url: z.url({ protocol: /^https?$/ }).describe('URL'),
        method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
        headers: z.record(z.string(), z.string()).default({}),
        body: z.record(z.string(), z.unknown()).optional().describe('JSON body; default: the contact, the event and the workflow'),
      }),
      output: z.object({ status: z.number(), body: z.string() }),
      // Receivers get the same Idempotency-Key on every retry.
      idempotent: true,
      maxAttempts: 6,
      describe: (p) => `${p.method} a signed JSON body to ${p.url}`,
      async run(ctx) {
        const secret = await webhookSecret(ctx.db, ctx.tenantId, deps.keyRing);
        const contact = ctx.run.contactId ? await ctx.db.contact.findUnique({ where: { id: ctx.run.contactId } }) : null;
        const body = ctx.props.body ?? { workflowId: ctx.run.workflowId, executionId: ctx.run.executionId, contact };
        const result = await sendWebhook(
          { url: ctx.props.url, method: ctx.props.method, headers: ctx.props.headers, body, secret, idempotencyKey: ctx.idempotencyKey, signal: ctx.signal },
          { allowedHosts: deps.config.WEBHOOK_ALLOWED_HOSTS },
        );
        const summary = `${ctx.props.url} answered ${result.status}`;
        if (result.status === 429 || result.status >= 500) throw new Error(summary); // worth retrying
        if (result.status >= 400) throw new PermanentFailure(summary);
        return { status: result.status, body: result.body.slice(0, 4096) };
      },
    }),
    defineAction({
      name: 'notify',
      version: 1,
      displayName: 'Internal notification',
      description: 'Shows a notification to your team in Soshogle.',
      props: z.object({
        title: z.string().trim().min(1).max(200),
        body: z.string().max(5000).optional(),
        link: z.string().max(2000).optional().describe('A page to open, e.g. /contacts/<id>'),
      }),
      output: z.object({ notificationId: z.string() }),
      idempotent: true,
      transactional: true,
      describe: (p) => `Notify the team: "${p.title}"`,
      async run(ctx) {
        const n = await ctx.db.notification.create({
          data: { userId: ctx.tenantId, title: ctx.props.title, body: ctx.props.body ?? null, link: ctx.props.link ?? null, source: `workflow:${ctx.run.workflowId}` },
          select: { id: true },
        });
        return { notificationId: n.id };
      },
    }),
  ];
}
