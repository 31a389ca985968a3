// Agents: every change is a new version of the agent, committed with the push job that
// carries it to ElevenLabs (push-job.ts), so a change is never lost and never pushed
// out of order: the job always sends the latest version. Sandbox agents (no ElevenLabs
// connection when made) are never pushed.
import { conflict, isUniqueViolation, notFound, type TenantContext, type TenantDb, type TenantTx } from '@soshogle/core';
import type { Prisma, VoiceAgent } from '@soshogle/db';
import { elevenlabsAccount } from '../connection.ts';
import { newToolSecret } from '../tools/secret.ts';
import type { AgentInput, AgentPatch } from './schemas.ts';

export const pushAgentJob = 'voice.push_agent';

/** A live (not deleted) agent of the tenant, or 404. */
export async function liveAgent(db: TenantDb | TenantTx, id: string): Promise<VoiceAgent> {
  const agent = await db.voiceAgent.findFirst({ where: { id, deletedAt: null } });
  if (!agent) throw notFound('Voice agent');
  return agent;
}

export async function listAgents(db: TenantDb): Promise<VoiceAgent[]> {
  return db.voiceAgent.findMany({ where: { deletedAt: null }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 500 });
}

// Keyed by the agent: quick edits replace the push still waiting instead of queueing a
// second one that would only find the first one's lock taken (push-job.ts).
async function queuePush(ctx: TenantContext, tx: TenantTx, agent: VoiceAgent): Promise<void> {
  if (!agent.sandbox) await ctx.jobs.enqueue(tx, pushAgentJob, { agentId: agent.id }, { tenantId: ctx.tenantId, jobKey: agent.id });
}

/**
 * Writes `data` as a new version of the live agent `current` and queues its push. A push
 * under review stays under review: a person settles it first.
 */
async function newVersion(ctx: TenantContext, tx: TenantTx, current: VoiceAgent, data: Prisma.VoiceAgentUpdateInput): Promise<VoiceAgent> {
  const pending = current.sandbox || current.pushStatus === 'REVIEW' ? {} : { pushStatus: 'PENDING' as const };
  const agent = await tx.voiceAgent.update({ where: { id: current.id }, data: { ...data, ...pending, version: { increment: 1 } } });
  await queuePush(ctx, tx, agent);
  return agent;
}

export async function createAgent(ctx: TenantContext, input: AgentInput): Promise<VoiceAgent> {
  return ctx.db.$transaction(async (tx) => {
    const sandbox = !(await elevenlabsAccount(ctx, { tx }));
    const agent = await tx.voiceAgent.create({
      data: {
        userId: ctx.tenantId,
        name: input.name,
        firstMessage: input.firstMessage ?? null,
        systemPrompt: input.systemPrompt ?? null,
        language: input.language,
        voiceId: input.voiceId ?? null,
        sandbox,
        // Nothing leaves this server in sandbox mode: there is nothing to push.
        pushStatus: sandbox ? 'SYNCED' : 'PENDING',
      },
    });
    await queuePush(ctx, tx, agent);
    return agent;
  });
}

/** A new version of the agent: the given fields (an edit) or its status (pause, resume). */
export async function changeAgent(ctx: TenantContext, id: string, change: AgentPatch | { status: 'ACTIVE' | 'INACTIVE' }): Promise<VoiceAgent> {
  return ctx.db.$transaction(async (tx) => newVersion(ctx, tx, await liveAgent(tx, id), change));
}

/**
 * A new tool secret for the agent (a leaked one stops working at once): a new version, so the
 * push gives ElevenLabs the agent's tools with the new one. Tool calls in between are refused.
 */
export async function rotateToolSecret(ctx: TenantContext, id: string): Promise<VoiceAgent> {
  return ctx.db.$transaction(async (tx) => newVersion(ctx, tx, await liveAgent(tx, id), { toolSecret: newToolSecret(ctx.secrets, id) }));
}

/** Gone from the API at once; the push job deletes it at ElevenLabs, then the row. */
export async function deleteAgent(ctx: TenantContext, id: string): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const agent = await newVersion(ctx, tx, await liveAgent(tx, id), { deletedAt: new Date() });
    if (agent.sandbox) await forgetAgent(tx, agent.id);
  });
}

/** Removes the row; its calls stay in the log without it (the FK is NoAction: clear it first). */
export async function forgetAgent(tx: TenantTx, id: string): Promise<void> {
  await tx.call.updateMany({ where: { voiceAgentId: id }, data: { voiceAgentId: null } });
  await tx.voiceAgent.deleteMany({ where: { id } });
}

/**
 * Gives the agent the tenant's Twilio number (E.164): callers to it reach the agent, and
 * its calls go out from it. Another agent's number is a 409. Changing the number forgets
 * the ElevenLabs id of the old one, so the push imports or finds the new one.
 */
export async function setAgentNumber(ctx: TenantContext, id: string, phoneNumber: string): Promise<VoiceAgent> {
  return ctx.db.$transaction(async (tx) => {
    const current = await liveAgent(tx, id);
    if (current.twilioPhoneNumber === phoneNumber) return current;
    return newVersion(ctx, tx, current, { twilioPhoneNumber: phoneNumber, phoneNumberId: null }).catch((error: unknown) => {
      throw isUniqueViolation(error) ? conflict('Another agent has this number') : error;
    });
  });
}
