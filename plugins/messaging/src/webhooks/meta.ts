// Meta's webhook for Facebook Messenger and Instagram (being built).
import type { WebhookDefinition } from '@soshogle/core';

export const metaWebhooks: WebhookDefinition[] = [];
