// messaging.record_consent: how another plugin (a form's consent checkbox) records that a
// contact opted in, with the words they agreed to and where. Messaging owns the ledger; an
// opt-in is recorded even when the contact could already be messaged, because the entry
// with its wording is the proof of consent.
import { defineAction } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { recordOptIn } from './service.ts';

export const recordConsent = defineAction({
  name: 'record_consent',
  version: 1,
  internal: true,
  displayName: 'Record consent',
  description: "Records a contact's express opt-in on channels, with the wording they agreed to and the evidence (where, when, from what address).",
  props: z.object({
    contactId: z.string().min(1).max(64),
    channels: z.array(z.enum(['EMAIL', 'SMS'])).min(1).max(2),
    source: z.enum(['form']),
    wording: z.string().trim().min(1).max(1000),
    evidence: z.record(z.string(), z.union([z.string().max(2000), z.null()])).describe('e.g. { formId, submissionId, sourceUrl, ipPrefix }'),
  }),
  output: z.object({ recorded: z.array(z.string()) }),
  // A second run with the same evidence adds another ledger line: callers run it once per
  // submission, in the transaction that marks the submission processed.
  idempotent: false,
  transactional: true,
  async run({ db, tenantId, props }) {
    const channels = [...new Set(props.channels)];
    for (const channel of channels) {
      await recordOptIn(db, tenantId, {
        contactId: props.contactId,
        channel,
        source: props.source,
        wording: props.wording,
        evidence: props.evidence as Prisma.InputJsonObject,
      });
    }
    return { recorded: channels };
  },
});
