// Each agent's tool secret. ElevenLabs does not sign server-tool calls: it sends the static
// headers the tool was defined with, so each agent's tools carry `X-Voice-Tool-Secret: <its
// secret>` and our tool endpoints compare it, in constant time, with the agent's own. (Not
// `Authorization: Bearer`: the core reads that as an API key and refuses it before any route.)
// Stored sealed with the installation's keys (key rotation re-encrypts it: encryptedColumns),
// made on the agent's first push with tools, replaced by a rotation (a new version, pushed).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PluginContext, TenantDb, TenantTx } from '@soshogle/core';
import type { VoiceAgent } from '@soshogle/db';

type Secrets = PluginContext['secrets'];

/** `<Model>.<column>:<id>`: an envelope copied to another agent does not open. */
const sealContext = (agentId: string) => `VoiceAgent.toolSecret:${agentId}`;

/** A new secret for the agent, sealed: the value of its `toolSecret` column. */
export const newToolSecret = (secrets: Secrets, agentId: string): string => secrets.seal(randomBytes(32).toString('base64url'), sealContext(agentId));

/** The agent's secret in clear, made and stored first if it has none yet. */
export async function toolSecretOf(secrets: Secrets, db: TenantDb | TenantTx, agent: VoiceAgent): Promise<string> {
  let sealed = agent.toolSecret;
  if (!sealed) {
    // Two pushes may race here: the first write wins and both read it back.
    await db.voiceAgent.updateMany({ where: { id: agent.id, toolSecret: null }, data: { toolSecret: newToolSecret(secrets, agent.id) } });
    sealed = (await db.voiceAgent.findUniqueOrThrow({ where: { id: agent.id }, select: { toolSecret: true } })).toolSecret!;
  }
  return secrets.open(sealed, sealContext(agent.id));
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The header ElevenLabs sends the secret in (the tool definition names it). */
export const toolSecretHeader = 'X-Voice-Tool-Secret';

/** Whether `given` (the request's header) is the agent's secret, compared in constant time. */
export function toolCallAllowed(secrets: Secrets, agent: VoiceAgent, given: unknown): boolean {
  if (!agent.toolSecret || typeof given !== 'string' || !given || given.length > 500) return false;
  let stored: string;
  try {
    stored = secrets.open(agent.toolSecret, sealContext(agent.id));
  } catch {
    return false; // sealed under a key no longer in SECRETS_KEYS: rotate the agent's secret
  }
  // Equal-length digests: the compare takes as long whatever was sent.
  return timingSafeEqual(digest(given), digest(stored));
}
