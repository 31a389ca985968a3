// A contact's consent per channel and its ledger; a person changing it is recorded as them.
import { defineRoute, notFound } from '@soshogle/core';
import { MessageChannel } from '@soshogle/db';
import { z } from 'zod';
import { consentChangeResult, consentResponse } from './schemas.ts';
import { changeConsent, doNotDisturb } from './service.ts';

const contactParams = z.object({ contactId: z.string().min(1).max(64) });

export const consentRoutes = [
  defineRoute({
    method: 'GET',
    path: '/contacts/:contactId/consent',
    summary: "A contact's do-not-disturb per channel, and every change to it",
    params: contactParams,
    response: consentResponse,
    async handler({ params, db }) {
      if (!(await db.contact.findUnique({ where: { id: params.contactId }, select: { id: true } }))) throw notFound('Contact');
      const state = async (channel: MessageChannel) => ({ doNotDisturb: await doNotDisturb(db, params.contactId, channel) });
      // Each channel by name: a new channel is a type error here until it is answered too.
      const [SMS, EMAIL, WHATSAPP, FACEBOOK, INSTAGRAM, VOICE] = await Promise.all([
        state('SMS'),
        state('EMAIL'),
        state('WHATSAPP'),
        state('FACEBOOK'),
        state('INSTAGRAM'),
        state('VOICE'),
      ]);
      const history = await db.consentChange.findMany({ where: { contactId: params.contactId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 200 });
      return { channels: { SMS, EMAIL, WHATSAPP, FACEBOOK, INSTAGRAM, VOICE }, history };
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/contacts/:contactId/consent/:channel',
    summary: "Set a contact's do-not-disturb on a channel (recorded with who and why)",
    params: contactParams.extend({ channel: z.enum(MessageChannel) }),
    body: z.object({ doNotDisturb: z.boolean(), reason: z.string().trim().min(1).max(500) }),
    response: consentChangeResult,
    async handler({ params, body, db, tenantId, auth }) {
      return db.$transaction(async (tx) => {
        if (!(await tx.contact.findUnique({ where: { id: params.contactId }, select: { id: true } }))) throw notFound('Contact');
        const changed = await changeConsent(tx, tenantId, {
          contactId: params.contactId,
          channel: params.channel,
          doNotDisturb: body.doNotDisturb,
          source: auth.via === 'api_key' ? 'api' : 'user',
          reason: body.reason,
          actorId: auth.userId,
        });
        return { channel: params.channel, doNotDisturb: body.doNotDisturb, changed };
      });
    },
  }),
];
