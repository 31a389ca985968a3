// The Voice plugin: AI voice agents (ElevenLabs) answer and place calls on the business's
// Twilio numbers. Agents are kept here and pushed to ElevenLabs by a durable job
// (agents/push-job.ts); outbound calls are queued under messaging's contact policy and
// dialled once by another (calls/dial-job.ts); the post-call webhook brings each call's
// transcript and outcome (webhooks/elevenlabs.ts). Without an ElevenLabs connection it
// runs in sandbox mode: agents and calls say `sandbox: true` and nothing leaves this server.
// With the calendar enabled, agents get server tools to find free times and book them
// (tools/), through the calendar's actions only: voice does not depend on it.
import { definePlugin } from '@soshogle/core';
import { pushAgent } from './agents/push-job.ts';
import { agentRoutes } from './agents/routes.ts';
import { voiceActions } from './calls/actions.ts';
import { contactData, deleteConversations } from './calls/contact-data.ts';
import { dialCall } from './calls/dial-job.ts';
import { recordingRoutes } from './calls/recording.ts';
import { callRoutes } from './calls/routes.ts';
import { voiceConfig } from './config.ts';
import { elevenlabsConnection } from './connection.ts';
import { toolRoutes } from './tools/routes.ts';
import { callCompleted, callFailed } from './triggers.ts';
import { elevenlabsPostCall } from './webhooks/elevenlabs.ts';

export default definePlugin({
  name: 'voice',
  displayName: 'Voice',
  description: 'AI voice agents on your Twilio numbers (ElevenLabs), and the call log.',
  config: voiceConfig,
  // Calls are to the CRM's contacts (callers become contacts through crm.find_or_create_contact),
  // and messaging's contact policy (consent, quiet hours) decides whether one may be called.
  dependsOn: ['crm', 'messaging'],
  // The agents; the call log and each call's page are under it (/voice/calls).
  screens: [{ path: '/voice', label: 'Voice', icon: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2', order: 56 }],
  models: ['VoiceAgent', 'Call'],
  connections: [elevenlabsConnection],
  routes: [...agentRoutes, ...callRoutes, ...recordingRoutes, ...toolRoutes],
  // The agents' tool secrets (tools/secret.ts), re-encrypted by key rotation.
  encryptedColumns: { VoiceAgent: ['toolSecret'] },
  actions: voiceActions,
  triggers: [callCompleted, callFailed],
  webhooks: [elevenlabsPostCall],
  jobs: [pushAgent, dialCall, deleteConversations],
  contactData: [contactData],
});

// What other plugins may call and hear, typed from these declarations (see Plugins in @soshogle/core).
declare module '@soshogle/core' {
  interface Plugins { voice: { actions: typeof voiceActions; triggers: [typeof callCompleted, typeof callFailed] } }
}
