// The agents API under /api/voice (signed in): create, list, read, edit, pause, resume and
// delete agents. Each change answers at once with the push to ElevenLabs PENDING
// (push-job.ts carries it); GET shows where it stands.
import { defineRoute, noContent, type AnyRoute } from '@soshogle/core';
import { agentJson } from './present.ts';
import { agentInput, agentList, agentPatch, agentResponse, idParams, numberInput } from './schemas.ts';
import { changeAgent, createAgent, deleteAgent, listAgents, liveAgent, rotateToolSecret, setAgentNumber } from './service.ts';

export const agentRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/agents',
    summary: 'Create a voice agent; it is pushed to ElevenLabs (sandbox: kept here only)',
    status: 201,
    body: agentInput,
    response: agentResponse,
    handler: async (ctx) => agentJson(await createAgent(ctx, ctx.body)),
  }),
  defineRoute({
    method: 'GET',
    path: '/agents',
    summary: 'The voice agents, newest first, with the state of each push to ElevenLabs',
    response: agentList,
    handler: async ({ db }) => ({ items: (await listAgents(db)).map(agentJson) }),
  }),
  defineRoute({
    method: 'GET',
    path: '/agents/:id',
    summary: 'A voice agent, with the state of its push to ElevenLabs',
    params: idParams,
    response: agentResponse,
    handler: async ({ db, params }) => agentJson(await liveAgent(db, params.id)),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/agents/:id',
    summary: 'Edit a voice agent (the fields given); the change is pushed to ElevenLabs',
    params: idParams,
    body: agentPatch,
    response: agentResponse,
    handler: async (ctx) => agentJson(await changeAgent(ctx, ctx.params.id, ctx.body)),
  }),
  defineRoute({
    method: 'POST',
    path: '/agents/:id/pause',
    summary: 'Pause a voice agent: it places no calls until resumed',
    params: idParams,
    response: agentResponse,
    handler: async (ctx) => agentJson(await changeAgent(ctx, ctx.params.id, { status: 'INACTIVE' })),
  }),
  defineRoute({
    method: 'POST',
    path: '/agents/:id/resume',
    summary: 'Resume a paused voice agent',
    params: idParams,
    response: agentResponse,
    handler: async (ctx) => agentJson(await changeAgent(ctx, ctx.params.id, { status: 'ACTIVE' })),
  }),
  defineRoute({
    method: 'PUT',
    path: '/agents/:id/number',
    summary: "Give the agent the tenant's Twilio number: imported into ElevenLabs and assigned to the agent; 409 when another agent has it",
    params: idParams,
    body: numberInput,
    response: agentResponse,
    handler: async (ctx) => agentJson(await setAgentNumber(ctx, ctx.params.id, ctx.body.phoneNumber)),
  }),
  defineRoute({
    method: 'POST',
    path: '/agents/:id/tool-secret',
    summary: "Replace the secret ElevenLabs sends on the agent's tool calls (find slots, book): the old one stops working; the new one is pushed with the agent",
    params: idParams,
    response: agentResponse,
    handler: async (ctx) => agentJson(await rotateToolSecret(ctx, ctx.params.id)),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/agents/:id',
    summary: 'Delete a voice agent (at ElevenLabs too); its calls stay in the log',
    params: idParams,
    response: noContent,
    handler: async (ctx) => void (await deleteAgent(ctx, ctx.params.id)),
  }),
];
