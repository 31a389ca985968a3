// SendGrid's webhooks (being built): the Event Webhook, Inbound Parse, unsubscribe links.
import type { WebhookDefinition } from '@soshogle/core';

export const sendgridWebhooks: WebhookDefinition[] = [];
