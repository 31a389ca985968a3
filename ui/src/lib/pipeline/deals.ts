// The pipeline's shapes as the CRM API returns them, and the stage facts the board needs.
// Mirrors plugins/crm/src/deals/stages.ts so an optimistic move can show the new
// probability before the server answers.
import type { Reply, Schema } from '../api.ts';

export type DealStage = Schema<'Deal'>['stage'];
export const stages = ['LEAD', 'QUALIFIED', 'PROPOSAL', 'NEGOTIATION', 'CLOSED_WON', 'CLOSED_LOST'] as const satisfies readonly DealStage[];

export const stageLabel: Record<DealStage, string> = {
  LEAD: 'Lead',
  QUALIFIED: 'Qualified',
  PROPOSAL: 'Proposal',
  NEGOTIATION: 'Negotiation',
  CLOSED_WON: 'Closed won',
  CLOSED_LOST: 'Closed lost',
};

/** The server's default win chance per stage; a move resets the probability to it. */
export const defaultProbability: Record<DealStage, number> = {
  LEAD: 10,
  QUALIFIED: 25,
  PROPOSAL: 50,
  NEGOTIATION: 75,
  CLOSED_WON: 100,
  CLOSED_LOST: 0,
};

/** A deal as lists and the board show it, with its primary contact. */
export type DealCard = Schema<'DealCard'>;
/** A deal with its contacts, the primary first. */
export type DealDetail = Schema<'Deal'>;
/** A stage of the board with its totals (per currency) and most recent deals. */
export type BoardStage = Reply<'/crm/deals/board'>['stages'][number];
export type CurrencyTotal = BoardStage['totals'][number];

export { contactName } from '../components/contacts.ts';
