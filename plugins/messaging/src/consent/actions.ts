// messaging.record_consent: how another plugin (a form's consent checkbox) records that a
// contact opted in, with the words they agreed to and where. Messaging owns the ledger; an
// opt-in is recorded even when the contact could already be messaged, because the entry
// with its wording is the proof of consent.
import { defineAction } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { recordOptIns } from './service.ts';

export const recordConsent = defineAction({
  name: 'record_consent',
  version: 1,
  internal: true,
  displayName: 'Record consent',
  description:
    "Records contacts' express opt-ins on channels, with the wording each agreed to and the evidence (where, when, from what address): one ledger line per contact and channel.",
  props: z.object({
    items: z
      .array(
        z.object({
          contactId: z.string().min(1).max(64),
          channels: z.array(z.enum(['EMAIL', 'SMS'])).min(1).max(2),
          source: z.enum(['form']),
          wording: z.string().trim().min(1).max(1000),
          evidence: z.record(z.string(), z.union([z.string().max(2000), z.null()])).describe('e.g. { formId, submissionId, sourceUrl, ipPrefix }'),
        }),
      )
      .min(1)
      .max(1000),
  }),
  output: z.object({ recorded: z.number().describe('Ledger lines written') }),
  // A second run with the same evidence adds more ledger lines: callers run it once per
  // batch of submissions, in the transaction that marks them processed.
  idempotent: false,
  transactional: true,
  async run({ db, tenantId, props }) {
    const optIns = props.items.flatMap((item) =>
      [...new Set(item.channels)].map((channel) => ({
        contactId: item.contactId,
        channel,
        source: item.source,
        wording: item.wording,
        evidence: item.evidence as Prisma.InputJsonObject,
      })),
    );
    await recordOptIns(db, tenantId, optIns);
    return { recorded: optIns.length };
  },
});
