// The deals API under /api/crm: the pipeline board, deals and the contacts on them.
// Handlers only parse and shape; the rules live in service.ts.
import { defineRoute, keysetCursor, listOf, listQuery, noContent, type AnyRoute, type Events, type TenantTx } from '@soshogle/core';
import { DealStage } from '@soshogle/db';
import { z } from 'zod';
import { dealBoardResponse, dealCardResponse, dealResponse } from './schemas.ts';
import {
  createDeal,
  dealBoard,
  dealDetail,
  dealInput,
  dealPatch,
  linkDealContact,
  listDeals,
  rowId,
  setPrimaryContact,
  text,
  unlinkDealContact,
  updateDeal,
} from './service.ts';

const dealParams = z.object({ id: rowId });
const linkParams = z.object({ id: rowId, contactId: rowId });
const contactBody = z.object({ contactId: rowId });
const limit = (max: number) => z.coerce.number().int().min(1).max(max).default(50);

const scope = (tx: TenantTx, ctx: { tenantId: string; events: Events }) => ({ tx, tenantId: ctx.tenantId, events: ctx.events });

// Before /deals/:id, so "board" is never read as a deal id.
const boardRoute = defineRoute({
  method: 'GET',
  path: '/deals/board',
  summary: 'The pipeline: each stage with its totals (per currency) and its most recently updated deals',
  query: z.object({ limit: limit(200) }),
  response: dealBoardResponse,
  handler: ({ db, tenantId, query }) => dealBoard(db, tenantId, query.limit),
});

const listRoute = defineRoute({
  method: 'GET',
  path: '/deals',
  summary: 'Deals, newest first, filtered by stage, contact or title; pages with `cursor`',
  query: listQuery({ cursor: keysetCursor }).extend({
    stage: z.enum(DealStage).optional(),
    contactId: rowId.optional(),
    q: text().trim().min(1).max(200).optional(),
  }),
  response: listOf(dealCardResponse),
  handler: ({ db, query }) => listDeals(db, query),
});

const createRoute = defineRoute({
  method: 'POST',
  path: '/deals',
  summary: 'Open a deal (raises "Deal created")',
  status: 201,
  body: dealInput,
  response: dealResponse,
  handler: (ctx) =>
    ctx.db.$transaction(async (tx) => {
      const deal = await createDeal(scope(tx, ctx), ctx.body);
      return dealDetail(tx, deal.id);
    }),
});

const getRoute = defineRoute({
  method: 'GET',
  path: '/deals/:id',
  summary: 'A deal with its contacts, the primary first',
  params: dealParams,
  response: dealResponse,
  handler: ({ db, params }) => dealDetail(db, params.id),
});

const updateRoute = defineRoute({
  method: 'PATCH',
  path: '/deals/:id',
  summary: 'Change a deal; a new stage raises "Deal stage changed"',
  params: dealParams,
  body: dealPatch,
  response: dealResponse,
  handler: (ctx) =>
    ctx.db.$transaction(async (tx) => {
      await updateDeal(scope(tx, ctx), ctx.params.id, ctx.body);
      return dealDetail(tx, ctx.params.id);
    }),
});

const deleteRoute = defineRoute({
  method: 'DELETE',
  path: '/deals/:id',
  summary: 'Delete a deal with its contact links and notes',
  params: dealParams,
  response: noContent,
  async handler({ db, params }) {
    await db.deal.delete({ where: { id: params.id }, select: { id: true } });
  },
});

const linkRoute = defineRoute({
  method: 'POST',
  path: '/deals/:id/contacts',
  summary: 'Put a contact on a deal (the first one becomes primary)',
  status: 201,
  params: dealParams,
  body: contactBody.extend({ isPrimary: z.boolean().optional() }),
  response: dealResponse,
  handler: (ctx) =>
    ctx.db.$transaction(async (tx) => {
      await linkDealContact(scope(tx, ctx), ctx.params.id, ctx.body.contactId, { isPrimary: ctx.body.isPrimary });
      return dealDetail(tx, ctx.params.id);
    }),
});

const unlinkRoute = defineRoute({
  method: 'DELETE',
  path: '/deals/:id/contacts/:contactId',
  summary: 'Take a contact off a deal (the primary passes to the longest-known contact left)',
  params: linkParams,
  response: dealResponse,
  handler: (ctx) =>
    ctx.db.$transaction(async (tx) => {
      await unlinkDealContact(scope(tx, ctx), ctx.params.id, ctx.params.contactId);
      return dealDetail(tx, ctx.params.id);
    }),
});

const primaryRoute = defineRoute({
  method: 'PUT',
  path: '/deals/:id/primary-contact',
  summary: "Make a contact the deal's primary contact, putting it on the deal if needed",
  params: dealParams,
  body: contactBody,
  response: dealResponse,
  handler: (ctx) =>
    ctx.db.$transaction(async (tx) => {
      await setPrimaryContact(scope(tx, ctx), ctx.params.id, ctx.body.contactId);
      return dealDetail(tx, ctx.params.id);
    }),
});

export const dealRoutes: AnyRoute[] = [boardRoute, listRoute, createRoute, getRoute, updateRoute, deleteRoute, linkRoute, unlinkRoute, primaryRoute];
