// The Voice plugin: AI voice agents (ElevenLabs) answer and place calls on the business's
// Twilio numbers. Agents are kept here and pushed to ElevenLabs by a durable job
// (agents/push-job.ts). Without an ElevenLabs connection it runs in sandbox mode: agents
// and calls say `sandbox: true` and nothing leaves this server.
import { definePlugin } from '@soshogle/core';
import { pushAgent } from './agents/push-job.ts';
import { agentRoutes } from './agents/routes.ts';
import { callRoutes } from './calls/routes.ts';
import { voiceConfig } from './config.ts';
import { elevenlabsConnection } from './connection.ts';

export default definePlugin({
  name: 'voice',
  displayName: 'Voice',
  description: 'AI voice agents on your Twilio numbers (ElevenLabs), and the call log.',
  config: voiceConfig,
  models: ['VoiceAgent', 'Call'],
  connections: [elevenlabsConnection],
  routes: [...agentRoutes, ...callRoutes],
  jobs: [pushAgent],
});
