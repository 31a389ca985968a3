// Sandbox mode: without a provider connection, sends are recorded as sandbox messages and
// an inbound message can be simulated here, through the same path a provider's webhook
// takes, so the inbox, consent keywords and workflows work offline.
import { defineRoute, invalid, refuse } from '@soshogle/core';
import { z } from 'zod';
import { capabilityOf } from './capabilities.ts';
import { sendChannels } from './channels.ts';
import { receiveMessage } from './conversations/inbound.ts';
import { messageResponse, shownMessage } from './conversations/schemas.ts';

export const sandboxRoutes = [
  defineRoute({
    method: 'POST',
    path: '/sandbox/inbound',
    summary: 'Simulate a message from a contact on a channel that runs in sandbox mode',
    status: 201,
    body: z.object({
      channel: z.enum(sendChannels),
      /** A phone number in E.164 form (SMS, WhatsApp), an email address, or any id (Messenger, Instagram). */
      from: z.string().trim().min(3).max(254),
      body: z.string().max(10_000),
      subject: z.string().max(300).optional(),
      name: z.string().max(100).optional(),
    }),
    response: messageResponse,
    async handler({ body, db, tenantId, events, actions, providers }) {
      const connected = await providers.get(capabilityOf[body.channel]);
      if (connected) {
        throw refuse(409, `${body.channel} is connected to ${connected.provider}: messages come from it, not from the sandbox`, [{ field: 'body.channel', message: 'This channel is live' }]);
      }
      const phone = body.channel === 'SMS' || body.channel === 'WHATSAPP';
      if (phone && !/^\+[1-9]\d{6,14}$/.test(body.from)) throw invalid('body.from', 'A phone number in E.164 form, e.g. +15125550100');
      const from = body.channel === 'EMAIL' ? body.from.toLowerCase() : body.from;
      if (body.channel === 'EMAIL' && !z.email().safeParse(from).success) throw invalid('body.from', 'Not an email address');
      return shownMessage(await db.$transaction((tx) => receiveMessage({ tx, tenantId, events, actions }, { channel: body.channel, from, to: 'sandbox', body: body.body, subject: body.subject ?? null, name: body.name ?? null })));
    },
  }),
];
