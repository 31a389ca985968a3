// One message out through its provider: the channel picks the provider, the tenant's
// connection its account. Returns the provider's id for the message, as stored.
import type { PluginContext } from '@soshogle/core';
import type { Message } from '@soshogle/db';
import type { Provider } from '../channels.ts';
import type { MessagingConfig } from '../config.ts';
import type { MetaCredentials, ProviderCredentials, SendgridCredentials, TwilioCredentials } from '../connections.ts';
import { escapeHtml, unsubscribePath } from '../email/unsubscribe.ts';
import { providerError } from '../providers/errors.ts';
import { metaClient } from '../providers/meta-client.ts';
import { sendEmail, sendgridMail } from '../providers/sendgrid-client.ts';
import { sendTwilioMessage, twilioClient } from '../providers/twilio-client.ts';

export type Sent = Partial<Pick<Message, 'twilioSid' | 'sendgridId' | 'metaMid' | 'templateSid'>> & { from: string };

export type Outgoing = Pick<Message, 'id' | 'channel' | 'to' | 'content' | 'subject' | 'html' | 'unsubscribeKey'> & {
  /** WhatsApp: whether the contact wrote within the last 24 hours (free-form allowed). */
  sessionOpen: boolean;
};

export interface SendContext {
  tenantId: string;
  config: MessagingConfig;
  publicUrl: PluginContext['publicUrl'];
}

const whatsapp = (number: string) => `whatsapp:${number}`;

export async function sendThroughTwilio(ctx: SendContext, account: TwilioCredentials, message: Outgoing): Promise<Sent> {
  const client = twilioClient({ accountSid: account.accountSid, authToken: account.authToken, ...(ctx.config.twilioApiUrl ? { apiBaseUrl: ctx.config.twilioApiUrl } : {}) });
  // Names the message: a callback may arrive before the sid Twilio answered with is stored.
  const statusCallback = ctx.publicUrl(`/webhooks/messaging/${ctx.tenantId}/twilio/status?m=${message.id}`);
  if (message.channel === 'SMS') {
    const sent = await sendTwilioMessage(client, { from: account.smsFrom, to: message.to, body: message.content, statusCallback });
    return { twilioSid: sent.sid, from: account.smsFrom };
  }
  const from = whatsapp(account.whatsappFrom ?? account.smsFrom);
  // Outside the 24-hour session WhatsApp only delivers an approved template.
  const template = message.sessionOpen ? undefined : account.whatsappTemplateSid;
  if (!message.sessionOpen && !template) {
    // Twilio would accept it and WhatsApp drop it later (error 63016): say so now.
    throw providerError({
      provider: 'twilio',
      status: null,
      code: '63016',
      message: 'WhatsApp only delivers approved templates more than 24 hours after the contact last wrote; set an approved template (whatsappTemplateSid) on the Twilio connection',
      retryable: false,
    });
  }
  const sent = await sendTwilioMessage(client, {
    from,
    to: whatsapp(message.to),
    statusCallback,
    ...(template ? { contentSid: template, contentVariables: { '1': message.content } } : { body: message.content }),
  });
  return { twilioSid: sent.sid, from, ...(template ? { templateSid: template } : {}) };
}

/** The HTML body with the unsubscribe footer, inside its body element when it has one. */
function withHtmlFooter(html: string, unsubscribe: string): string {
  const footer = `<p style="font-size:12px;color:#666"><a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p>`;
  const end = html.search(/<\/body\s*>/i);
  return end < 0 ? html + footer : html.slice(0, end) + footer + html.slice(end);
}

export async function sendThroughSendgrid(ctx: SendContext, account: SendgridCredentials, message: Outgoing): Promise<Sent> {
  // Every email carries its unsubscribe link; queueMessage gives each one a key.
  if (!message.unsubscribeKey) {
    throw providerError({ provider: 'sendgrid', status: null, code: null, message: 'Not sent: the email has no unsubscribe key', retryable: false });
  }
  const mail = sendgridMail({ apiKey: account.apiKey, ...(ctx.config.sendgridApiUrl ? { apiBaseUrl: ctx.config.sendgridApiUrl } : {}) });
  const unsubscribe = ctx.publicUrl(unsubscribePath(ctx.tenantId, message.unsubscribeKey));
  const sent = await sendEmail(mail, {
    from: account.fromName ? { email: account.fromEmail, name: account.fromName } : account.fromEmail,
    to: message.to,
    subject: message.subject ?? '',
    text: `${message.content}\n\nUnsubscribe: ${unsubscribe}`,
    ...(message.html ? { html: withHtmlFooter(message.html, unsubscribe) } : {}),
    // One-click unsubscribe from the mail client (RFC 8058), as Gmail and Yahoo require of bulk
    // senders: the client POSTs "List-Unsubscribe=One-Click" to the same link.
    headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    // Comes back on every event of this mail: the event webhook finds the message by it.
    customArgs: { soshogle_message_id: message.id },
  });
  return { sendgridId: sent.messageId, from: account.fromEmail };
}

export async function sendThroughMeta(ctx: SendContext, account: MetaCredentials, message: Outgoing): Promise<Sent> {
  const client = metaClient({ accessToken: account.pageAccessToken, apiBaseUrl: ctx.config.metaApiUrl, version: ctx.config.metaApiVersion });
  const sent = await client.sendMessage({ recipientId: message.to, text: message.content, messagingType: 'RESPONSE' });
  return { metaMid: sent.messageId, from: 'page' };
}

/** The message out through `provider` with the tenant's account for it. */
export function sendThrough(provider: Provider, ctx: SendContext, account: ProviderCredentials[Provider], message: Outgoing): Promise<Sent> {
  if (provider === 'twilio') return sendThroughTwilio(ctx, account as TwilioCredentials, message);
  if (provider === 'sendgrid') return sendThroughSendgrid(ctx, account as SendgridCredentials, message);
  return sendThroughMeta(ctx, account as MetaCredentials, message);
}
