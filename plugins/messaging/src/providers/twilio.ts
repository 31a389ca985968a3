// Twilio as the SMS and WhatsApp provider: one account serves both channels.
import { defineProvider, type TenantContext } from '@soshogle/core';
import type { Sent, TextMessage, WhatsappMessage } from '../capabilities.ts';
import { messagingConfig, type MessagingConfig } from '../config.ts';
import { twilioCredentials, type TwilioCredentials } from '../connections.ts';
import { isProviderError, providerError } from './errors.ts';
import { sendTwilioMessage, twilioClient, type TwilioMessageInput } from './twilio-client.ts';

/** Twilio's long-code rate for SMS. */
const sendsPerSecond = 1;
/** Twilio's error for a recipient who texted STOP. */
const unsubscribed = '21610';

const whatsapp = (number: string) => `whatsapp:${number}`;

function sender(ctx: TenantContext<MessagingConfig>, account: TwilioCredentials) {
  const client = twilioClient({ accountSid: account.accountSid, authToken: account.authToken, ...(ctx.config.twilioApiUrl ? { apiBaseUrl: ctx.config.twilioApiUrl } : {}) });
  return async (id: string, input: Omit<TwilioMessageInput, 'statusCallback'>) => {
    // Names the message: a callback may arrive before the sid Twilio answered with is stored.
    const statusCallback = ctx.publicUrl(`/webhooks/messaging/${ctx.tenantId}/twilio/status?m=${id}`);
    try {
      return await sendTwilioMessage(client, { ...input, statusCallback });
    } catch (error) {
      if (isProviderError(error) && error.code === unsubscribed) error.optedOut = true;
      throw error;
    }
  };
}

function sms(ctx: TenantContext<MessagingConfig>, account: TwilioCredentials) {
  const send = sender(ctx, account);
  return {
    sendsPerSecond,
    async send(message: TextMessage): Promise<Sent> {
      const sent = await send(message.id, { from: account.smsFrom, to: message.to, body: message.body });
      return { twilioSid: sent.sid, from: account.smsFrom };
    },
  };
}

function whatsApp(ctx: TenantContext<MessagingConfig>, account: TwilioCredentials) {
  const send = sender(ctx, account);
  return {
    sendsPerSecond,
    async send(message: WhatsappMessage): Promise<Sent> {
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
      const sent = await send(message.id, {
        from,
        to: whatsapp(message.to),
        ...(template ? { contentSid: template, contentVariables: { '1': message.body } } : { body: message.body }),
      });
      return { twilioSid: sent.sid, from, ...(template ? { templateSid: template } : {}) };
    },
  };
}

export const twilio = defineProvider({
  config: messagingConfig,
  provider: 'twilio',
  displayName: 'Twilio',
  description: 'SMS and WhatsApp. Without it, SMS and WhatsApp run in sandbox mode.',
  credentials: twilioCredentials,
  visible: ['accountSid', 'smsFrom', 'whatsappFrom', 'whatsappTemplateSid'],
  serves: { 'messaging.sms': sms, 'messaging.whatsapp': whatsApp },
});
