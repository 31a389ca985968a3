import type { VoiceAgent } from '@soshogle/db';
import type { z } from 'zod';
import type { agentResponse } from './schemas.ts';

export function agentJson(agent: VoiceAgent): z.output<typeof agentResponse> {
  return {
    id: agent.id,
    name: agent.name,
    firstMessage: agent.firstMessage,
    systemPrompt: agent.systemPrompt,
    language: agent.language,
    voiceId: agent.voiceId,
    status: agent.status,
    sandbox: agent.sandbox,
    elevenLabsAgentId: agent.elevenLabsAgentId,
    twilioPhoneNumber: agent.twilioPhoneNumber,
    push: { status: agent.pushStatus, error: agent.pushError, version: agent.version, pushedVersion: agent.pushedVersion },
    createdAt: agent.createdAt,
    updatedAt: agent.updatedAt,
  };
}
