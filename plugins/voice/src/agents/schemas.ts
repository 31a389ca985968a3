// What the agents API takes and answers.
import { isoDate, itemsOf } from '@soshogle/core';
import { AgentPushStatus, AgentStatus } from '@soshogle/db';
import { z } from 'zod';
import { e164 } from '../connection.ts';

export const rowId = z.string().min(1).max(64);
export const idParams = z.object({ id: rowId });

const text = (max: number) => z.string().trim().max(max).transform((v) => v || null).nullish();

export const agentInput = z.object({
  name: z.string().trim().min(1).max(100),
  /** What the agent says first when a call connects. */
  firstMessage: text(2000),
  /** How the agent behaves: its instructions. */
  systemPrompt: text(20_000),
  /** ISO 639-1, optionally with a region: en, es, pt-BR. */
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'A language code such as en, es or pt-BR').default('en'),
  /** An ElevenLabs voice id (null: ElevenLabs' default voice). */
  voiceId: z.string().regex(/^[A-Za-z0-9]{8,40}$/, 'An ElevenLabs voice id, e.g. 21m00Tcm4TlvDq8ikWAM').nullish(),
});
export type AgentInput = z.output<typeof agentInput>;

/** An edit: only the fields given change. */
export const agentPatch = agentInput.partial().refine((v) => Object.keys(v).length > 0, 'Send at least one field to change');
export type AgentPatch = z.output<typeof agentPatch>;

export const agentResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    firstMessage: z.string().nullable(),
    systemPrompt: z.string().nullable(),
    language: z.string(),
    voiceId: z.string().nullable(),
    /** ACTIVE, or INACTIVE (paused: places no calls). */
    status: z.enum(AgentStatus),
    /** Made without an ElevenLabs connection: nothing is pushed, calls are simulated. */
    sandbox: z.boolean(),
    elevenLabsAgentId: z.string().nullable(),
    twilioPhoneNumber: z.string().nullable(),
    /** Where the latest change stands at ElevenLabs. */
    push: z.object({
      status: z.enum(AgentPushStatus),
      /** ElevenLabs' reason for a failed push, or why it needs review. */
      error: z.string().nullable(),
      version: z.number().int(),
      pushedVersion: z.number().int(),
    }),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'VoiceAgent', description: 'An AI voice agent: what it says and how, and whether ElevenLabs has its latest version' });

export const agentList = itemsOf(agentResponse);

export const numberInput = z.object({
  /** The tenant's Twilio number, E.164 (it must be in the Twilio account of the connection). */
  phoneNumber: e164,
});
