// The reference plugin: copy this folder to start one. It declares one route file, one
// action, one trigger and one webhook; the core does the rest.
import { definePlugin } from '@soshogle/core';
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
  webhooks: [inboundWebhook],
  triggers: [pinged],
  actions: [greet],
});
