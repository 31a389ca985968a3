// Meta's Graph API as the Facebook Messenger and Instagram provider: one Page token serves both.
import { defineProvider, type TenantContext } from '@soshogle/core';
import type { Sent, TextMessage } from '../capabilities.ts';
import { messagingConfig, type MessagingConfig } from '../config.ts';
import { metaCredentials, type MetaCredentials } from '../connections.ts';
import { metaClient } from './meta-client.ts';

function chat(ctx: TenantContext<MessagingConfig>, account: MetaCredentials) {
  const client = metaClient({ accessToken: account.pageAccessToken, apiBaseUrl: ctx.config.metaApiUrl, version: ctx.config.metaApiVersion });
  return {
    sendsPerSecond: 5,
    async send(message: TextMessage): Promise<Sent> {
      const sent = await client.sendMessage({ recipientId: message.to, text: message.body, messagingType: 'RESPONSE' });
      return { metaMid: sent.messageId, from: 'page' };
    },
  };
}

export const meta = defineProvider({
  config: messagingConfig,
  provider: 'meta',
  displayName: 'Meta (Facebook Messenger, Instagram)',
  description: 'Facebook Messenger and Instagram direct messages. Without it, both run in sandbox mode.',
  credentials: metaCredentials,
  serves: { 'messaging.facebook': chat, 'messaging.instagram': chat },
});
