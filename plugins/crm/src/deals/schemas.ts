// What the deals API answers: a deal (money as an exact decimal string), as a card with
// its primary contact, in full with its contacts, and the pipeline board.
import { decimal, isoDate } from '@soshogle/core';
import { DealStage } from '@soshogle/db';
import { z } from 'zod';

const stage = z.enum(DealStage);

const dealFields = {
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  /** Exact, with the column's 4 decimals: "1200.5000". */
  value: decimal,
  /** ISO 4217 */
  currency: z.string(),
  stage,
  /** 0-100 */
  probability: z.number().int(),
  expectedCloseDate: isoDate.nullable(),
  actualCloseDate: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
};

export const dealContactName = z
  .object({ id: z.string(), firstName: z.string(), lastName: z.string().nullable() })
  .meta({ id: 'DealContactName', description: 'A contact on a deal, by name' });

export const dealCardResponse = z
  .object({ ...dealFields, primaryContact: dealContactName.nullable() })
  .meta({ id: 'DealCard', description: 'A deal with its primary contact, as lists and the board show it' });

export const dealContactResponse = z
  .object({
    id: z.string(),
    firstName: z.string(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    company: z.string().nullable(),
    isPrimary: z.boolean(),
  })
  .meta({ id: 'DealContact', description: 'A contact on a deal' });

export const dealResponse = z
  .object({ ...dealFields, contacts: z.array(dealContactResponse) })
  .meta({ id: 'Deal', description: 'A deal with its contacts, the primary first' });

const currencyTotal = z.object({ currency: z.string(), count: z.number().int(), value: decimal, weightedValue: decimal });

export const dealBoardResponse = z
  .object({
    stages: z.array(
      z.object({
        stage,
        /** All deals in the stage, whatever their currency. */
        count: z.number().int(),
        /** The stage's sums when its deals share one currency; null when it mixes currencies (read `totals`). */
        currency: z.string().nullable(),
        value: decimal.nullable(),
        weightedValue: decimal.nullable(),
        /** One per currency in the stage. */
        totals: z.array(currencyTotal),
        /** The most recently updated deals of the stage. */
        deals: z.array(dealCardResponse),
      }),
    ),
  })
  .meta({ id: 'DealBoard', description: 'The pipeline: every stage in order with its totals and most recent deals' });
