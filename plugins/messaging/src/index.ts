// Messaging: SMS and WhatsApp through Twilio, email through SendGrid, Facebook Messenger
// and Instagram through Meta's Graph API, in one inbox of conversations. Each channel is a
// capability (capabilities.ts): other plugins may ship providers for it, and each tenant's
// connection picks the provider. Every send goes
// through one policy (consent, quiet hours, rate limits) and one delivery job; every
// provider webhook lands at the tenant's own URL, verified with its own credentials.
import { definePlugin } from '@soshogle/core';
import { messagingActions } from './actions.ts';
import { messagingCapabilities } from './capabilities.ts';
import { messagingConfig } from './config.ts';
import { contactData } from './contact-data.ts';
import { messagesCount } from './counts.ts';
import { messageEvent } from './message-events.ts';
import { consentRoutes } from './consent/routes.ts';
import { moveMessagesOfMergedContact } from './conversations/merge.ts';
import { meta } from './providers/meta.ts';
import { sendgrid } from './providers/sendgrid.ts';
import { twilio } from './providers/twilio.ts';
import { conversationRoutes } from './conversations/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { sandboxRoutes } from './sandbox-routes.ts';
import { deliver } from './sending/deliver.ts';
import { settingsRoutes } from './settings-routes.ts';
import { messagesTimeline } from './timeline.ts';
import { metaWebhooks } from './webhooks/meta.ts';
import { sendgridWebhooks } from './webhooks/sendgrid.ts';
import { twilioInbound, twilioStatus } from './webhooks/twilio.ts';

export default definePlugin({
  name: 'messaging',
  displayName: 'Messaging',
  description: 'SMS, WhatsApp, email, Facebook Messenger and Instagram in one inbox, with consent and quiet hours.',
  screens: [{ path: '/inbox', label: 'Inbox', icon: 'M4 4h16v12H7l-3 3z', order: 50 }],
  config: messagingConfig,
  // Its conversations belong to the CRM's contacts; an unknown sender becomes one through crm.create_contact.
  dependsOn: ['crm'],
  models: ['Message', 'Conversation', 'MessageEvent', 'ConsentChange', 'MessagingSettings', 'SendThrottle'],
  routes: [...conversationRoutes, ...consentRoutes, ...settingsRoutes, ...sandboxRoutes, ...reportRoutes],
  capabilities: messagingCapabilities,
  providers: [twilio, sendgrid, meta],
  webhooks: [twilioInbound, twilioStatus, ...sendgridWebhooks, ...metaWebhooks],
  triggers: [messageEvent],
  actions: messagingActions,
  jobs: [deliver],
  subscribers: [moveMessagesOfMergedContact],
  counts: [messagesCount],
  timeline: [messagesTimeline],
  contactData: [contactData],
});

// What other plugins may call and hear, typed from these declarations (see Plugins in @soshogle/core).
declare module '@soshogle/core' {
  interface Plugins { messaging: { actions: typeof messagingActions; triggers: [typeof messageEvent] } }
}
