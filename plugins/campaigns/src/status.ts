// The campaign's life: DRAFT -> SCHEDULED -> ACTIVE -> COMPLETED, or CANCELLED. Every
// change is one conditional UPDATE, so two requests (or a request and the scheduler)
// racing cannot both move it; the loser gets a 409 naming the status.
import { conflict, notFound, type Problem, type TenantTx } from '@soshogle/core';
import type { Campaign, CampaignStatus, Prisma } from '@soshogle/db';

/** Which statuses each may be reached from. */
export const reachableFrom: Record<CampaignStatus, CampaignStatus[]> = {
  DRAFT: ['SCHEDULED'],
  SCHEDULED: ['DRAFT', 'SCHEDULED'],
  ACTIVE: ['DRAFT', 'SCHEDULED'],
  COMPLETED: ['ACTIVE'],
  CANCELLED: ['SCHEDULED', 'ACTIVE'],
};

const verbs: Record<CampaignStatus, string> = {
  DRAFT: 'moved back to draft',
  SCHEDULED: 'scheduled',
  ACTIVE: 'sent',
  COMPLETED: 'completed',
  CANCELLED: 'cancelled',
};

/** "A draft campaign", "An active campaign". */
export const aCampaign = (status: CampaignStatus) => `${status === 'ACTIVE' ? 'An' : 'A'} ${status.toLowerCase()} campaign`;

export function refused(status: CampaignStatus, to: CampaignStatus): Problem {
  return conflict(`${aCampaign(status)} cannot be ${verbs[to]}`, 'status');
}

/** Moves the campaign to `to` if its status allows; 404 for none, 409 for a status that does not. */
export async function moveCampaign(tx: TenantTx, id: string, to: CampaignStatus, data: Prisma.CampaignUpdateManyMutationInput = {}): Promise<Campaign> {
  const moved = await tx.campaign.updateManyAndReturn({ where: { id, status: { in: reachableFrom[to] } }, data: { ...data, status: to } });
  if (moved[0]) return moved[0];
  const current = await tx.campaign.findUnique({ where: { id }, select: { status: true } });
  if (!current) throw notFound('Campaign');
  throw refused(current.status, to);
}

/** Content and target may change until the campaign starts sending. */
export const editable: CampaignStatus[] = ['DRAFT', 'SCHEDULED'];
