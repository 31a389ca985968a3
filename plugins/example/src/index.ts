// The reference plugin: one of every piece, each in its own file, around a tiny domain
// (pings). Copy what you need, or start from `npx -y pnpm@10 new:plugin <name>`.
// Not enabled by default in a production start (see soshogle.devPlugins in package.json).
import { definePlugin } from '@soshogle/core';
import { accountWebhook } from './account-webhook.ts';
import { exampleConfig } from './config.ts';
import { exampleAccount } from './connection.ts';
import { pingNewContacts } from './contact-created.ts';
import { pingsContactData } from './contact-data.ts';
import { deliverPing } from './deliver-ping.ts';
import { greet } from './greet.ts';
import { inboundWebhook } from './inbound-webhook.ts';
import { pinged } from './pinged.ts';
import { getPingRoute, greetingRoute, listPingsRoute, pingRoute } from './routes.ts';
import { sendPing } from './send-ping.ts';
import { pingsTimeline } from './timeline.ts';

export { signExample } from './inbound-webhook.ts';

export default definePlugin({
  name: 'example',
  displayName: 'Example',
  description: 'The reference plugin: one of every piece a plugin can declare, around pings.',
  // Its table, in prisma/schema/example.prisma; written only through its scoped ctx.db.
  models: ['ExamplePing'],
  // EXAMPLE_GREETING, EXAMPLE_WEBHOOK_SECRET: settings of the installation.
  config: exampleConfig,
  // Each tenant's provider account; without one, pings run in sandbox mode.
  connections: [exampleAccount],
  // A shared webhook signed with the config's secret, and one per tenant signed with its own.
  webhooks: [inboundWebhook, accountWebhook],
  // HTTP routes under /api/example.
  routes: [greetingRoute, pingRoute, listPingsRoute, getPingRoute],
  // example.pinged: raised for every ping; starts workflows.
  triggers: [pinged],
  // Workflow steps: a pure one (greet) and one that calls the provider (send_ping).
  actions: [greet, sendPing],
  // Background work: delivering each recorded ping to the provider.
  jobs: [deliverPing],
  // Another part's event: a ping for every new contact.
  subscribers: [pingNewContacts],
  // A contact's pings on its timeline.
  timeline: [pingsTimeline],
  // Its part of a contact's data export and erasure.
  contactData: [pingsContactData],
});

// What other plugins may call and hear, typed from these declarations (see Plugins in @soshogle/core).
declare module '@soshogle/core' {
  interface Plugins { example: { actions: [typeof greet, typeof sendPing]; triggers: [typeof pinged] } }
}
