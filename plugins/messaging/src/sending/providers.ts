// A channel's provider as the delivery job uses it: the tenant's connected provider for the
// channel's capability, handed the message in that capability's terms. Policy that holds
// whichever provider sends stays here (every email carries its unsubscribe link).
import type { PluginContext, Providers } from '@soshogle/core';
import type { Message, MessageChannel } from '@soshogle/db';
import { capabilityOf, type Sent } from '../capabilities.ts';
import { escapeHtml, unsubscribePath } from '../email/unsubscribe.ts';
import { providerError } from '../providers/errors.ts';

export type { Sent } from '../capabilities.ts';

export type Outgoing = Pick<Message, 'id' | 'channel' | 'to' | 'content' | 'subject' | 'html' | 'unsubscribeKey'> & {
  /** WhatsApp: whether the contact wrote within the last 24 hours (free-form allowed). */
  sessionOpen: boolean;
};

/** A channel's connected provider. */
export interface ChannelSender {
  /** The provider's name, recorded on the messages it sends and keying its send rate. */
  provider: string;
  sendsPerSecond: number;
  send(message: Outgoing): Promise<Sent>;
}

export interface SendContext {
  tenantId: string;
  providers: Providers;
  publicUrl: PluginContext['publicUrl'];
}

/** The HTML body with the unsubscribe footer, inside its body element when it has one. */
function withHtmlFooter(html: string, unsubscribe: string): string {
  const footer = `<p style="font-size:12px;color:#666"><a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p>`;
  const end = html.search(/<\/body\s*>/i);
  return end < 0 ? html + footer : html.slice(0, end) + footer + html.slice(end);
}

/** The tenant's provider for `channel`, or null: none is connected (sandbox mode). */
export async function senderFor(ctx: SendContext, channel: MessageChannel): Promise<ChannelSender | null> {
  const text = (m: Outgoing) => ({ id: m.id, to: m.to, body: m.content });
  // One case per capability, so each provider's interface is typed as its capability says.
  switch (channel) {
    case 'SMS':
    case 'FACEBOOK':
    case 'INSTAGRAM': {
      const found = await ctx.providers.get(capabilityOf[channel]);
      return found && { provider: found.provider, sendsPerSecond: found.service.sendsPerSecond, send: (m) => found.service.send(text(m)) };
    }
    case 'WHATSAPP': {
      const found = await ctx.providers.get(capabilityOf.WHATSAPP);
      return found && { provider: found.provider, sendsPerSecond: found.service.sendsPerSecond, send: (m) => found.service.send({ ...text(m), sessionOpen: m.sessionOpen }) };
    }
    case 'VOICE':
      // Calls are the voice plugin's; a VOICE entry in a conversation is a record, never queued.
      throw providerError({ provider: 'voice', status: null, code: null, message: 'Not sent: calls are placed by the voice plugin', retryable: false });
    case 'EMAIL': {
      const found = await ctx.providers.get(capabilityOf.EMAIL);
      if (!found) return null;
      return {
        provider: found.provider,
        sendsPerSecond: found.service.sendsPerSecond,
        send: async (m) => {
          // Every email carries its unsubscribe link; queueMessage gives each one a key.
          if (!m.unsubscribeKey) {
            throw providerError({ provider: found.provider, status: null, code: null, message: 'Not sent: the email has no unsubscribe key', retryable: false });
          }
          const unsubscribe = ctx.publicUrl(unsubscribePath(ctx.tenantId, m.unsubscribeKey));
          return found.service.send({
            id: m.id,
            to: m.to,
            subject: m.subject ?? '',
            text: `${m.content}\n\nUnsubscribe: ${unsubscribe}`,
            html: m.html ? withHtmlFooter(m.html, unsubscribe) : null,
            // One-click unsubscribe from the mail client (RFC 8058), as Gmail and Yahoo require of bulk
            // senders: the client POSTs "List-Unsubscribe=One-Click" to the same link.
            headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          });
        },
      };
    }
  }
}
