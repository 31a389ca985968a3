// The sales pipeline: its stages in board order and what each stage implies.
import type { DealStage } from '@soshogle/db';

/** The stages, left to right on the board. */
export const pipeline: readonly DealStage[] = ['LEAD', 'QUALIFIED', 'PROPOSAL', 'NEGOTIATION', 'CLOSED_WON', 'CLOSED_LOST'];

/** The chance of winning a deal in each stage, used until someone sets their own estimate. */
export const defaultProbability: Record<DealStage, number> = {
  LEAD: 10,
  QUALIFIED: 25,
  PROPOSAL: 50,
  NEGOTIATION: 75,
  CLOSED_WON: 100,
  CLOSED_LOST: 0,
};

/** A deal in a closed stage has an actual close date. */
export const isClosed = (stage: DealStage): boolean => stage === 'CLOSED_WON' || stage === 'CLOSED_LOST';
