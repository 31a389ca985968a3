// SendGrid as the email provider. The unsubscribe link and headers come with the message
// (messaging adds them to every email, whichever provider sends it).
import { defineProvider, type TenantContext } from '@soshogle/core';
import type { EmailMessage, Sent } from '../capabilities.ts';
import { messagingConfig, type MessagingConfig } from '../config.ts';
import { sendgridCredentials, type SendgridCredentials } from '../connections.ts';
import { sendEmail, sendgridMail } from './sendgrid-client.ts';

function email(ctx: TenantContext<MessagingConfig>, account: SendgridCredentials) {
  const mail = sendgridMail({ apiKey: account.apiKey, ...(ctx.config.sendgridApiUrl ? { apiBaseUrl: ctx.config.sendgridApiUrl } : {}) });
  return {
    sendsPerSecond: 10,
    async send(message: EmailMessage): Promise<Sent> {
      const sent = await sendEmail(mail, {
        from: account.fromName ? { email: account.fromEmail, name: account.fromName } : account.fromEmail,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        headers: message.headers,
        // Comes back on every event of this mail: the event webhook finds the message by it.
        customArgs: { soshogle_message_id: message.id },
      });
      return { sendgridId: sent.messageId, from: account.fromEmail };
    },
  };
}

export const sendgrid = defineProvider({
  config: messagingConfig,
  provider: 'sendgrid',
  displayName: 'SendGrid',
  description: 'Email, its delivery events and replies. Without it, email runs in sandbox mode.',
  credentials: sendgridCredentials,
  visible: ['fromEmail', 'fromName'],
  serves: { 'messaging.email': email },
});
