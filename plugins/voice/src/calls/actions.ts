// voice.call_contact: the workflow step "call the contact with agent X". It records the
// call QUEUED with its dial job in the step's own transaction (transactional: the step and
// the call commit together), keyed by the step, so a retried step places one call; the job
// dials (dial-job.ts). A contact who may not be called fails the step with the reason, not retried.
import { defineAction, PermanentFailure, Problem } from '@soshogle/core';
import { z } from 'zod';
import { placeCall } from './place.ts';

const id = z.string().trim().min(1).max(64);

export const callContact = defineAction({
  name: 'call_contact',
  version: 1,
  displayName: 'Call the contact',
  description: "A voice agent calls the run's contact (or the given one), respecting their consent and quiet hours.",
  props: z.object({
    agentId: id.describe('The voice agent that calls'),
    contactId: id.optional().describe("The contact to call (default: the run's contact)"),
  }),
  output: z.object({
    callId: z.string(),
    status: z.string(),
    /** When the call is dialled: now, or the end of the contact's quiet hours. */
    dialAt: z.string().nullable(),
  }),
  idempotent: true,
  transactional: true,
  maxAttempts: 3,
  describe: (props) => `Call the contact with voice agent ${props.agentId}`,
  async run(ctx) {
    const contactId = ctx.props.contactId ?? ctx.run.contactId;
    if (!contactId) throw new PermanentFailure('This run is about no contact: there is nobody to call');
    try {
      const call = await placeCall(
        { tenantId: ctx.tenantId, tx: ctx.db, jobs: ctx.jobs, actions: ctx.actions },
        { agentId: ctx.props.agentId, contactId, idempotencyKey: `step:${ctx.idempotencyKey}`, fieldPrefix: 'props.' },
      );
      return { callId: call.id, status: call.status, dialAt: call.dialAt?.toISOString() ?? null };
    } catch (error) {
      // Refusals (consent, no phone, no such agent) do not change on a retry.
      if (error instanceof Problem && error.status < 500) throw new PermanentFailure(error.message);
      throw error;
    }
  },
});

export const voiceActions = [callContact];
