// The agent's tool endpoints, called by ElevenLabs mid-call (definitions.ts says how):
// public routes whose URL names the tenant and the agent (/api/voice/tools/<tenant>/<agent>/...).
// The tenant's data only: another tenant's agent is a missing one (404). Then the agent's
// own secret, compared in constant time (401), and the agent must be active (409) and have
// its tools (the calendar enabled).
import { defineRoute, notFound, Problem, refuse, type AnyRoute, type PublicTenantRouteContext, type WebhookLookup } from '@soshogle/core';
import type { VoiceAgent } from '@soshogle/db';
import { bookForCaller } from './book.ts';
import { toolsAvailable } from './definitions.ts';
import { bookAnswer, bookInput, findSlotsAnswer, findSlotsInput, toolParams } from './schemas.ts';
import { toolCallAllowed, toolSecretHeader } from './secret.ts';
import { freeTimes, freeTimesMessage } from './slots.ts';

/** The agent the URL names, if the call carries its secret and it is active. */
async function callingAgent(ctx: PublicTenantRouteContext<unknown, unknown, unknown>, agentId: string): Promise<VoiceAgent> {
  const agent = await ctx.db.voiceAgent.findFirst({ where: { id: agentId, deletedAt: null } });
  if (!agent) throw notFound('Voice agent');
  if (!toolCallAllowed(ctx.secrets, agent, ctx.http.get(toolSecretHeader))) {
    throw new Problem(401, 'Unauthorized', `Send the agent's tool secret in ${toolSecretHeader}`);
  }
  if (agent.status !== 'ACTIVE') throw refuse(409, 'The agent is paused: resume it to use its tools');
  // Its tools were taken away at the next push; a call in between finds none.
  if (!toolsAvailable(ctx.actions)) throw refuse(404, 'The agent has no tools: the calendar is not enabled');
  return agent;
}

/** The tenant the URL names (its agents are looked up in its data only). */
async function tenantOf({ params }: { params: { tenant: string } }, lookup: WebhookLookup): Promise<string | null> {
  return (await lookup.user.findUnique({ where: { id: params.tenant }, select: { id: true } }))?.id ?? null;
}

export const toolRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/tools/:tenant/:agentId/find_slots',
    summary: "The voice agent's find_slots tool (ElevenLabs calls it with the agent's secret): free times of an appointment type, worded for the agent",
    access: 'public',
    params: toolParams,
    body: findSlotsInput,
    response: findSlotsAnswer,
    tenant: tenantOf,
    handler: async (ctx) => {
      const agent = await callingAgent(ctx, ctx.params.agentId);
      const times = await freeTimes(ctx, agent, ctx.body);
      return { ...times, message: freeTimesMessage(times) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/tools/:tenant/:agentId/book',
    summary: "The voice agent's book tool (ElevenLabs calls it with the agent's secret): books the caller, or answers taken with fresh times; a repeat in one conversation answers the same appointment",
    access: 'public',
    params: toolParams,
    body: bookInput,
    response: bookAnswer,
    tenant: tenantOf,
    handler: async (ctx) => bookForCaller(ctx, await callingAgent(ctx, ctx.params.agentId), ctx.body),
  }),
];
