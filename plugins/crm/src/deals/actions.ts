// The "Create deal" and "Move deal" workflow steps: the pipeline's own rules (stage
// probability, close date, the primary contact, the row lock on a move) through the
// service the deals API uses, raising core.deal_created / core.deal_stage_changed.
import { defineAction, PermanentFailure } from '@soshogle/core';
import { DealStage } from '@soshogle/db';
import { z } from 'zod';
import { formerKey, runContactId, stepScope } from '../steps.ts';
import { createDeal, moveDeal, newestDealOf } from './service.ts';

export const createDealStep = defineAction({
  name: 'create_deal',
  aliases: formerKey('create_deal'),
  version: 1,
  displayName: 'Create deal',
  description: 'Opens a deal with the contact as its primary contact (raises "Deal created").',
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
    const contactId = await runContactId(ctx);
    const { title, value, currency, stage } = ctx.props;
    const deal = await createDeal(stepScope(ctx), { title, value, currency, stage, contacts: [{ contactId, isPrimary: true }] });
    return { dealId: deal.id };
  },
});

export const moveDealStep = defineAction({
  name: 'move_deal',
  aliases: formerKey('move_deal'),
  version: 1,
  displayName: 'Move deal',
  description: "Moves a deal to a pipeline stage: the given deal, else the run's deal, else the contact's newest deal (raises \"Deal stage changed\").",
  props: z.object({ stage: z.enum(DealStage), dealId: z.string().optional().describe("Leave empty for the run's deal") }),
  output: z.object({ dealId: z.string(), moved: z.boolean() }),
  idempotent: true,
  transactional: true,
  describe: (p) => `Move the deal to ${p.stage}`,
  async run(ctx) {
    const dealId = ctx.props.dealId || ctx.run.dealId || (await newestDealOf(ctx.db, await runContactId(ctx)))?.id;
    if (!dealId) throw new PermanentFailure('No deal to move: the run has none and the contact has no deal');
    const { moved } = await moveDeal(stepScope(ctx), dealId, ctx.props.stage);
    return { dealId, moved };
  },
});

export const dealSteps = [createDealStep, moveDealStep];
