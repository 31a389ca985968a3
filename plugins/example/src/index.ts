// The reference plugin: copy this folder to start one. It declares one route file, one
// action, one trigger, a connection and two webhooks (one shared, one per tenant); the
// core does the rest.
import { definePlugin } from '@soshogle/core';
import { accountWebhook, exampleAccount } from './account-webhook.ts';
import { exampleConfig } from './config.ts';
import { greet } from './greet.ts';
import { inboundWebhook } from './inbound-webhook.ts';
import { pinged } from './pinged.ts';
import { greetingRoute, pingRoute } from './routes.ts';

export { signExample } from './inbound-webhook.ts';

export default definePlugin({
  name: 'example',
  displayName: 'Example',
  description: 'A small plugin that shows the plugin contract: a route, an action, a trigger and a webhook.',
  config: exampleConfig,
  routes: [greetingRoute, pingRoute],
  connections: [exampleAccount],
  webhooks: [inboundWebhook, accountWebhook],
  triggers: [pinged],
  actions: [greet],
});

// What other plugins may call and hear, typed from these declarations (see Plugins in @soshogle/core).
declare module '@soshogle/core' {
  interface Plugins { example: { actions: [typeof greet]; triggers: [typeof pinged] } }
}
