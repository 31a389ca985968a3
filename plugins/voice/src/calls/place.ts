// Placing an outbound call, for the workflow step and the contact page's button alike:
// messaging's policy is asked first (voice never reads the consent ledger), then the call
// is recorded QUEUED with the job that dials it, at once or when the contact's quiet hours
// end, in one transaction. One call per idempotency key: a retried step or request finds
// the call it made.
import { notFound, refuse, type Actions, type Jobs, type TenantTx } from '@soshogle/core';
import type { Call } from '@soshogle/db';

export const dialCallJob = 'voice.dial_call';

/** Why a call is not placed (the contact's consent, no phone, a paused agent), on the field that says so. */
const refused = (status: 409 | 422, field: string, message: string) => refuse(status, message, [{ field, message }]);

export interface PlaceScope {
  tenantId: string;
  tx: TenantTx;
  jobs: Jobs;
  actions: Actions;
}

export interface PlaceRequest {
  agentId: string;
  contactId: string;
  /** One call per key (a step's idempotency key, a request's Idempotency-Key). */
  idempotencyKey: string;
  /** Where refusals point: `body.` for the API, `props.` for a workflow step. */
  fieldPrefix: string;
}

export async function placeCall({ tenantId, tx, jobs, actions }: PlaceScope, request: PlaceRequest): Promise<Call> {
  const earlier = await tx.call.findFirst({ where: { idempotencyKey: request.idempotencyKey } });
  if (earlier) return earlier;
  const agent = await tx.voiceAgent.findFirst({ where: { id: request.agentId, deletedAt: null } });
  if (!agent) throw notFound('Voice agent');
  const field = (name: string) => `${request.fieldPrefix}${name}`;
  if (agent.status !== 'ACTIVE') throw refused(409, field('agentId'), 'The agent is paused: resume it to place calls');
  if (!agent.sandbox && !agent.twilioPhoneNumber) throw refused(409, field('agentId'), 'The agent has no phone number to call from');
  const policy = await actions.run(tx, 'messaging.contact_policy', { contactId: request.contactId, channel: 'VOICE' }, { tenantId, idempotencyKey: request.idempotencyKey });
  if (!policy.allowed) {
    // No contact and another tenant's contact answer alike (422); a contact who said no is a conflict (409).
    const status = policy.reason === 'No such contact' || !policy.address ? 422 : 409;
    throw refused(status, field('contactId'), policy.reason ?? 'The contact may not be called');
  }
  const dialAt = new Date(policy.notBefore);
  const call = await tx.call.create({
    data: {
      userId: tenantId,
      voiceAgentId: agent.id,
      contactId: request.contactId,
      direction: 'OUTBOUND',
      from: agent.twilioPhoneNumber ?? 'sandbox',
      to: policy.address!,
      sandbox: agent.sandbox,
      idempotencyKey: request.idempotencyKey,
      dialAt,
    },
  });
  await jobs.enqueue(tx, dialCallJob, { callId: call.id }, { tenantId, runAt: dialAt, jobKey: `dial:${call.id}` });
  return call;
}
