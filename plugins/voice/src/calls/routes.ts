// The call log under /api/voice (signed in): calls newest first, filtered, and one call
// with its transcript.
import { defineRoute, keysetOf, notFound, olderThan, page, type AnyRoute } from '@soshogle/core';
import { idParams } from '../agents/schemas.ts';
import { callDetailJson, callJson } from './present.ts';
import { callDetailResponse, callList, callListQuery } from './schemas.ts';

export const callRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/calls',
    summary: 'The call log, newest first; filter by status, direction, agent and contact',
    query: callListQuery,
    response: callList,
    async handler({ db, query }) {
      const rows = await db.call.findMany({
        where: {
          ...olderThan(query.cursor),
          ...(query.status ? { status: query.status } : {}),
          ...(query.direction ? { direction: query.direction } : {}),
          ...(query.agentId ? { voiceAgentId: query.agentId } : {}),
          ...(query.contactId ? { contactId: query.contactId } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
      });
      const found = page(rows, query.limit, (last) => keysetOf(last.createdAt, last.id));
      return { items: found.items.map(callJson), nextCursor: found.nextCursor };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/calls/:id',
    summary: 'A call with its transcript, summary and what the agent collected',
    params: idParams,
    response: callDetailResponse,
    async handler({ db, params }) {
      const call = await db.call.findUnique({ where: { id: params.id } });
      if (!call) throw notFound('Call');
      return callDetailJson(call);
    },
  }),
];
