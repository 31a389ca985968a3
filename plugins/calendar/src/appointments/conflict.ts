// "That time was just taken": the answer when an appointment would overlap another. The
// database's exclusion constraint (calendar.sql) is the last word: of two concurrent bookings of
// one slot exactly one commits, the other fails with 23P01 and its transaction is aborted, so
// the fresh slots are read after it, outside it (design §12), and sent with the 409.
import { setTimeout as sleep } from 'node:timers/promises';
import { isExclusionViolation, isTransientConflict, Problem, type TenantTx } from '@soshogle/core';
import { DateTime } from 'luxon';
import { freeSlots } from '../slots/engine.ts';
import { loadSlotInput } from '../slots/load.ts';

/** Thrown inside the transaction when the engine already sees the time taken (no SQL error to wait for). */
export class SlotTaken extends Error {
  override name = 'SlotTaken';
}

/** The time asked for, to offer others in its place. */
export interface AskedTime {
  calendarId: string;
  appointmentTypeId: string | null;
  start: Date;
  /** The zone the offered slots' dates and times are in (the booker's); default the calendar's. */
  timeZone?: string;
  /** A reschedule: the appointment's own time counts as free. */
  excludeAppointmentId?: string;
  /** The admin screen offers slots inside the minimum notice. */
  ignoreNotice?: boolean;
  /** Busy time the synced blocks do not show yet (the live check at booking): not offered either. */
  busy?: { start: Date; end: Date }[];
}

export interface OfferedSlot {
  start: string;
  end: string;
  /** YYYY-MM-DD and HH:mm in the zone asked for. */
  date: string;
  time: string;
}

/** The free slots of the asked time's local date and the next one (none without a type). */
export async function freshSlots(db: TenantTx, asked: AskedTime): Promise<OfferedSlot[]> {
  if (!asked.appointmentTypeId) return [];
  const calendar = await db.calendar.findFirst({ where: { id: asked.calendarId }, select: { timeZone: true, userId: true } });
  if (!calendar) return [];
  const zone = asked.timeZone ?? calendar.timeZone;
  const day = DateTime.fromJSDate(asked.start, { zone }).startOf('day');
  const input = await loadSlotInput(db, calendar.userId, asked.calendarId, asked.appointmentTypeId, { from: day.toJSDate(), to: day.plus({ days: 2 }).toJSDate() }, asked);
  input.busy.push(...(asked.busy ?? []).map((b) => ({ start: +b.start, end: +b.end })));
  return freeSlots(input).map(({ start, end }) => {
    const local = DateTime.fromMillis(start, { zone });
    return { start: new Date(start).toISOString(), end: new Date(end).toISOString(), date: local.toISODate()!, time: local.toFormat('HH:mm') };
  });
}

/** The 409 for a taken time, naming `field` and carrying the fresh slots as `slots`. */
export async function slotTakenProblem(db: TenantTx, asked: AskedTime, field = 'start'): Promise<Problem> {
  const slots = await freshSlots(db, asked);
  const detail = 'That time was just booked';
  return new Problem(409, 'Conflict', detail, { errors: [{ field, message: detail }], extensions: { slots } });
}

/**
 * Transaction options for booking and moving: a burst of bookers (a popular slot opening) may
 * queue for the pool's connections and for each other's exclusion checks longer than Prisma's
 * 2 s default wait; they should wait their turn and get their 201 or 409, not a 500.
 */
export const bookingTransaction = { maxWait: 15_000, timeout: 20_000 } as const;

/**
 * Runs `work` (a whole transaction that books or moves an appointment); a time someone else
 * took meanwhile becomes the 409 with fresh slots. Catch outside the transaction: after 23P01
 * it is aborted, so `db` must be the tenant's client, not the transaction. Two bookings whose
 * exclusion checks saw each other's uncommitted rows may end in a deadlock (40P01) instead:
 * nothing was written, so the work runs again, and then sees the winner (409) or a free time.
 */
export async function orFreshSlots<T>(db: TenantTx, asked: AskedTime, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (error instanceof SlotTaken || isExclusionViolation(error)) throw await slotTakenProblem(db, asked);
      if (!isTransientConflict(error) || attempt === 4) throw error;
      await sleep(Math.random() * 20 * attempt);
    }
  }
}
