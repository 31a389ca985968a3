// The agent's server tools as ElevenLabs takes them (webhook tools in the agent's prompt,
// pushed with the agent by push-job.ts): find free times and book one, backed by the
// calendar through our tool endpoints (routes.ts). Only while the calendar offers its
// actions: without it the agent has no tools. ElevenLabs fills `conversationId` and the
// caller's `phone` from its system variables, the model the rest from the descriptions.
import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import type { Actions } from '@soshogle/core';
import type { VoiceAgent } from '@soshogle/db';
import { toolSecretHeader } from './secret.ts';

type Tool = ElevenLabs.PromptAgentApiModelOutputToolsItem;
type Property = ElevenLabs.LiteralJsonSchemaProperty;

/** What the calendar must offer for the agent to book. */
export const calendarActionsUsed = ['calendar.find_slots', 'calendar.book_appointment'] as const;

export const toolsAvailable = (actions: Pick<Actions, 'offers'>): boolean => calendarActionsUsed.every((key) => actions.offers(key));

/** Our tool endpoint `name` of the agent, as ElevenLabs reaches it. */
export const toolPath = (agent: Pick<VoiceAgent, 'id' | 'userId'>, name: 'find_slots' | 'book') => `/api/voice/tools/${agent.userId}/${agent.id}/${name}`;

const llm = (type: 'string' | 'integer', description: string): Property => ({ type, description });
const fromCall = (variable: string): Property => ({ type: 'string', dynamicVariable: variable });

function webhookTool(name: string, description: string, url: string, secret: string, properties: Record<string, Property>, required: string[]): Tool {
  return {
    type: 'webhook',
    name,
    description,
    responseTimeoutSecs: 20,
    // The model reads our problem's words (which field, why) and can ask again.
    toolErrorHandlingMode: 'passthrough',
    apiSchema: {
      url,
      method: 'POST',
      requestHeaders: { [toolSecretHeader]: secret },
      requestBodySchema: { type: 'object', properties, required },
    },
  };
}

/** The agent's tools, or none when the calendar does not offer its actions. */
export function agentTools(ctx: { actions: Pick<Actions, 'offers'>; publicUrl(path: string): string }, agent: VoiceAgent, secret: string): Tool[] {
  if (!toolsAvailable(ctx.actions)) return [];
  return [
    webhookTool(
      'find_slots',
      'Finds free appointment times. Call it before offering any time to the caller, and offer only times it returns.',
      ctx.publicUrl(toolPath(agent, 'find_slots')),
      secret,
      {
        typeSlug: llm('string', 'The kind of appointment, by its short name from your instructions (e.g. cleaning). Leave empty when you give typeId.'),
        typeId: llm('string', 'The appointment type id from an earlier find_slots answer. Leave empty when you give typeSlug.'),
        from: llm('string', 'The first day to look at, YYYY-MM-DD (the caller may name a day); empty for today.'),
        days: llm('integer', 'How many days to look at, 1 to 14; empty for 7.'),
        timeZone: llm('string', "The caller's IANA time zone (e.g. America/New_York) if they are not in the business's; else empty."),
      },
      [],
    ),
    webhookTool(
      'book',
      'Books the caller into a free time that find_slots returned, once they have chosen it. If the answer says the time was taken, offer the fresh times it lists.',
      ctx.publicUrl(toolPath(agent, 'book')),
      secret,
      {
        start: llm('string', 'The start of the chosen time, exactly as find_slots gave it (an ISO date-time).'),
        typeId: llm('string', 'The typeId from the find_slots answer.'),
        name: llm('string', "The caller's full name."),
        email: llm('string', "The caller's email address if they gave one; else empty."),
        phone: fromCall('system__caller_id'),
        conversationId: fromCall('system__conversation_id'),
      },
      ['start', 'typeId', 'name', 'phone', 'conversationId'],
    ),
  ];
}
