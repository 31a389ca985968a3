// The call log under /api/voice (signed in): calls newest first, filtered, and one call
// with its transcript; and placing a call (the contact page's button).
import { randomUUID } from 'node:crypto';
import { defineRoute, isUniqueViolation, keysetOf, notFound, olderThan, page, type AnyRoute } from '@soshogle/core';
import { idParams } from '../agents/schemas.ts';
import { callDetailJson, callJson } from './present.ts';
import { placeCall } from './place.ts';
import { callDetailResponse, callInput, callList, callListQuery, callResponse } from './schemas.ts';

export const callRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/calls',
    summary: "Call a contact with a voice agent: queued now, dialled at once or when the contact's quiet hours end. Send `Idempotency-Key` to call once.",
    status: 201,
    body: callInput,
    response: callResponse,
    async handler({ db, tenantId, jobs, actions, body, http }) {
      const given = http.get('idempotency-key').slice(0, 200);
      const idempotencyKey = `api:${given || randomUUID()}`;
      const place = () => db.$transaction((tx) => placeCall({ tenantId, tx, jobs, actions }, { ...body, idempotencyKey, fieldPrefix: 'body.' }));
      // Two requests with one key at once: the second finds the first's call.
      const call = await place().catch((error: unknown) => {
        if (isUniqueViolation(error)) return place();
        throw error;
      });
      return callJson(call);
    },
  }),
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
