// What the consent routes answer: a contact's do-not-disturb per channel and its ledger.
import { isoDate } from '@soshogle/core';
import { MessageChannel } from '@soshogle/db';
import { z } from 'zod';

const consentChange = z
  .object({
    id: z.string(),
    contactId: z.string(),
    channel: z.enum(MessageChannel),
    doNotDisturb: z.boolean(),
    source: z.string().describe('keyword, unsubscribe_link, unsubscribe, spam_report, bounce, user, api, form'),
    reason: z.string(),
    actorId: z.string().nullable().describe('The user who made it, when a person did'),
    messageId: z.string().nullable().describe('The message that caused it, when one did'),
    wording: z.string().nullable().describe('What the person agreed to, word for word (an opt-in on a form)'),
    evidence: z.unknown().describe('Where and how it was given: { formId, submissionId, sourceUrl, ipPrefix }'),
    createdAt: isoDate,
  })
  .meta({ id: 'ConsentChange', description: "A change of a contact's do-not-disturb on a channel, with who or what made it and why" });

export const consentResponse = z
  .object({
    channels: z.record(z.enum(MessageChannel), z.object({ doNotDisturb: z.boolean() })),
    history: z.array(consentChange).describe('Newest first, at most 200'),
  })
  .meta({ id: 'Consent', description: "A contact's do-not-disturb per channel, and its changes" });

export const consentChangeResult = z.object({
  channel: z.enum(MessageChannel),
  doNotDisturb: z.boolean(),
  changed: z.boolean().describe('False when it already was so (nothing recorded)'),
});
