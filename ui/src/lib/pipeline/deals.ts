// The pipeline's shapes as the CRM API returns them, and the stage facts the board needs.
// Mirrors plugins/crm/src/deals/stages.ts so an optimistic move can show the new
// probability before the server answers.

export const stages = ['LEAD', 'QUALIFIED', 'PROPOSAL', 'NEGOTIATION', 'CLOSED_WON', 'CLOSED_LOST'] as const;
export type DealStage = (typeof stages)[number];

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

export interface ContactName {
  id: string;
  firstName: string | null;
  lastName: string | null;
}

export interface Deal {
  id: string;
  title: string;
  description: string | null;
  /** Exact decimal string with 4 decimals, e.g. "1200.0000". */
  value: string;
  currency: string;
  stage: DealStage;
  probability: number;
  expectedCloseDate: string | null;
  actualCloseDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DealCard extends Deal {
  primaryContact: ContactName | null;
}

export interface DealContact extends ContactName {
  email: string | null;
  phone: string | null;
  company: string | null;
  isPrimary: boolean;
}

export interface DealDetail extends Deal {
  contacts: DealContact[];
}

export interface CurrencyTotal {
  currency: string;
  count: number;
  value: string;
  weightedValue: string;
}

export interface BoardStage {
  stage: DealStage;
  count: number;
  /** Null when the stage is empty or mixes currencies (then read `totals`). */
  currency: string | null;
  value: string | null;
  weightedValue: string | null;
  totals: CurrencyTotal[];
  deals: DealCard[];
}

export { contactName } from '../components/contacts.ts';
