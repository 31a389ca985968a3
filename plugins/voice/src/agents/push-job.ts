// Pushes an agent's latest version to ElevenLabs (create, update or delete), once per
// version. Creating is the one call that is not idempotent at ElevenLabs (it takes no
// idempotency key), so it is claimed first: `pushCalled` is committed before the call,
// and a retry that finds it set without an ElevenLabs id does not know whether an agent
// was made: the push goes to REVIEW (a person looks for the agent tagged with our id),
// never a blind second create. Updates send the whole agent and deletes treat 404 as
// done, so repeating them is harmless and they are retried. Then the agent's number.
// The agent carries its server tools (find free times, book) while the calendar offers them.
import type { ElevenLabs, ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { defineJob, type JobContext } from '@soshogle/core';
import type { VoiceAgent } from '@soshogle/db';
import { z } from 'zod';
import { voiceConfig, type VoiceConfig } from '../config.ts';
import { elevenlabsAccount, type ElevenlabsCredentials } from '../connection.ts';
import { elevenlabsClient, voiceFailure } from '../elevenlabs.ts';
import { whileHolding } from '../held-lock.ts';
import { agentTools, toolsAvailable } from '../tools/definitions.ts';
import { toolSecretOf } from '../tools/secret.ts';
import { forgetAgent } from './service.ts';

const unanswered = 'ElevenLabs was asked to create this agent but its answer was never recorded: find the agent tagged with this id at ElevenLabs before pushing again.';

/** The tag that finds our agent at ElevenLabs. */
export const agentTag = (agent: VoiceAgent) => `soshogle:${agent.id}`;

/**
 * The agent as ElevenLabs takes it (create, and a whole-agent PATCH). Its tools are always
 * sent, none included, so tools the agent no longer has are removed there.
 */
export function agentBody(agent: VoiceAgent, tools: ElevenLabs.PromptAgentApiModelOutputToolsItem[] = []) {
  return {
    name: agent.name,
    tags: [agentTag(agent), agent.status === 'ACTIVE' ? 'active' : 'paused'],
    conversationConfig: {
      agent: {
        firstMessage: agent.firstMessage ?? '',
        language: agent.language,
        prompt: { prompt: agent.systemPrompt ?? '', tools },
      },
      ...(agent.voiceId ? { tts: { voiceId: agent.voiceId } } : {}),
    },
  };
}

class NumberError extends Error {}

/**
 * The agent's number, imported into ElevenLabs (with the Twilio SID and token of the
 * connection) and assigned to the agent. Importing is not idempotent at ElevenLabs, so the
 * account's numbers are looked up first: a number imported by an earlier try whose answer
 * was lost is found and used, never imported twice.
 */
async function assignNumber(ctx: JobContext<VoiceConfig>, client: ElevenLabsClient, account: ElevenlabsCredentials, agent: VoiceAgent & { elevenLabsAgentId: string }): Promise<void> {
  const phoneNumber = agent.twilioPhoneNumber!;
  let phoneNumberId = agent.phoneNumberId;
  if (!phoneNumberId) {
    const numbers = await client.conversationalAi.phoneNumbers.list();
    phoneNumberId = numbers.find((n) => n.phoneNumber === phoneNumber)?.phoneNumberId ?? null;
  }
  if (phoneNumberId) {
    await client.conversationalAi.phoneNumbers.update(phoneNumberId, { agentId: agent.elevenLabsAgentId });
  } else {
    if (!account.twilioAccountSid || !account.twilioAuthToken) {
      throw new NumberError('Add the Twilio Account SID and Auth Token of the voice number to the ElevenLabs connection');
    }
    ({ phoneNumberId } = await client.conversationalAi.phoneNumbers.create({
      provider: 'twilio',
      phoneNumber,
      label: agent.name,
      sid: account.twilioAccountSid,
      token: account.twilioAuthToken,
      agentId: agent.elevenLabsAgentId,
    }));
  }
  await ctx.db.voiceAgent.updateMany({ where: { id: agent.id, twilioPhoneNumber: phoneNumber }, data: { phoneNumberId } });
}

export const pushAgent = defineJob({
  name: 'push_agent',
  config: voiceConfig,
  payload: z.object({ agentId: z.string().min(1) }),
  maxAttempts: 8,
  // One push of an agent at a time (pushes are keyed by the agent, but an edit while one
  // runs queues another): a PATCH of an older version must never land after a newer one. The
  // job that finds the lock taken retries later and then sends the latest version.
  async run(ctx, { agentId }) {
    if (!(await whileHolding(ctx.db, `voice.push_agent:${agentId}`, () => push(ctx, agentId)))) throw new Error('Another push of this agent is under way: retried later');
  },
});

async function push(ctx: JobContext<VoiceConfig>, agentId: string): Promise<void> {
  const agent = await ctx.db.voiceAgent.findUnique({ where: { id: agentId } });
  // Gone, sandbox, waiting for a person, or this version is there already.
  if (!agent || agent.sandbox || agent.pushStatus === 'REVIEW') return;
  if (agent.pushedVersion >= agent.version && !agent.deletedAt) return;
  const version = agent.version;
  const fail = (error: string) =>
    ctx.db.voiceAgent.updateMany({ where: { id: agentId, version, pushStatus: { not: 'REVIEW' } }, data: { pushStatus: 'FAILED', pushError: error } });
  const account = await elevenlabsAccount(ctx);
  if (!account) return void (await fail('ElevenLabs is not connected any more'));
  const client = elevenlabsClient(ctx.config, account);

  if (!agent.elevenLabsAgentId && agent.pushCalled) {
    ctx.log.warn({ agentId }, 'agent create outcome unknown: marked for review, not repeated');
    return void (await ctx.db.voiceAgent.updateMany({ where: { id: agentId }, data: { pushStatus: 'REVIEW', pushError: unanswered } }));
  }
  if (agent.deletedAt && !agent.elevenLabsAgentId) return void (await ctx.db.$transaction((tx) => forgetAgent(tx, agentId)));

  let elevenLabsAgentId = agent.elevenLabsAgentId;
  const tools = !agent.deletedAt && toolsAvailable(ctx.actions) ? agentTools(ctx, agent, await toolSecretOf(ctx.secrets, ctx.db, agent)) : [];
  try {
    if (agent.deletedAt && elevenLabsAgentId) {
      const id = elevenLabsAgentId;
      await client.conversationalAi.agents.delete(id).catch((error: unknown) => {
        if (voiceFailure(error).status !== 404) throw error;
      });
      return void (await ctx.db.$transaction((tx) => forgetAgent(tx, agentId)));
    }
    if (elevenLabsAgentId) {
      await client.conversationalAi.agents.update(elevenLabsAgentId, agentBody(agent, tools));
    } else {
      // Claimed and committed before the call: see the top of this file.
      const { count } = await ctx.db.voiceAgent.updateMany({ where: { id: agentId, pushCalled: null, elevenLabsAgentId: null }, data: { pushCalled: new Date() } });
      if (!count) return;
      elevenLabsAgentId = (await client.conversationalAi.agents.create(agentBody(agent, tools))).agentId;
      await ctx.db.voiceAgent.updateMany({ where: { id: agentId }, data: { elevenLabsAgentId } });
    }
  } catch (error) {
    const failure = voiceFailure(error);
    const creating = !agent.elevenLabsAgentId && !agent.deletedAt;
    if (creating && failure.outcomeUnknown) {
      ctx.log.warn({ agentId, status: failure.status }, 'agent create outcome unknown: marked for review, not repeated');
      return void (await ctx.db.voiceAgent.updateMany({ where: { id: agentId }, data: { pushStatus: 'REVIEW', pushError: `${failure.message}. ${unanswered}` } }));
    }
    // Not made (refused before sending, throttled): the claim is released for the retry.
    if (creating) await ctx.db.voiceAgent.updateMany({ where: { id: agentId, elevenLabsAgentId: null }, data: { pushCalled: null } });
    if ((failure.retryable || (!creating && failure.outcomeUnknown)) && ctx.attempt < ctx.maxAttempts) throw error;
    return void (await fail(failure.status ? `${failure.status}: ${failure.message}` : failure.message));
  }
  try {
    if (agent.twilioPhoneNumber && elevenLabsAgentId) await assignNumber(ctx, client, account, { ...agent, elevenLabsAgentId });
  } catch (error) {
    if (error instanceof NumberError) return void (await fail(error.message));
    // Looking up and assigning are safe to repeat; importing is guarded by the lookup.
    const failure = voiceFailure(error);
    if ((failure.retryable || failure.outcomeUnknown) && ctx.attempt < ctx.maxAttempts) throw error;
    return void (await fail(failure.status ? `${failure.status}: ${failure.message}` : failure.message));
  }
  // This version is there; a newer one (edited meanwhile) has its own job queued.
  await ctx.db.voiceAgent.updateMany({
    where: { id: agentId, pushedVersion: { lt: version }, pushStatus: { not: 'REVIEW' } },
    data: { pushedVersion: version, pushError: null },
  });
  await ctx.db.voiceAgent.updateMany({ where: { id: agentId, version, pushStatus: { not: 'REVIEW' } }, data: { pushStatus: 'SYNCED' } });
}
