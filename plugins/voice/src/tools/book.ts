// The book tool: the caller booked through the calendar's own booking action
// (calendar.book_appointment: the engine's check, then the exclusion constraint, so a time
// is never booked twice), for the contact of our outbound call or the caller found or made by
// phone (crm.find_or_create_contact), in one transaction. Idempotent: the model may call
// twice (ElevenLabs gave up waiting, or it just repeats itself), so the booking is keyed by
// (agent, conversation, start) and a repeat answers the same appointment. A time someone
// else holds is not an error for the model: it hears "taken" and fresh times to offer.
import { isTransientConflict, PermanentFailure, type TenantContext } from '@soshogle/core';
import type { VoiceAgent } from '@soshogle/db';
import type { BookAnswer, BookInput } from './schemas.ts';
import { freeTimes, freeTimesMessage, spoken } from './slots.ts';

/** As the calendar books: a burst of bookers of one slot waits its turn rather than failing. */
const bookingTransaction = { maxWait: 15_000, timeout: 20_000 } as const;

function nameParts(name: string): { firstName: string; lastName: string | null } {
  const [firstName = '', ...rest] = name.split(/\s+/);
  return { firstName, lastName: rest.join(' ') || null };
}

async function book(ctx: TenantContext, input: BookInput, key: string) {
  return ctx.db.$transaction(async (tx) => {
    // Our own outbound call knows whom it called; a caller is found or made by phone (and email).
    const call = await tx.call.findFirst({ where: { conversationId: input.conversationId, direction: 'OUTBOUND' }, select: { contactId: true } });
    const contactId =
      call?.contactId ??
      (
        await ctx.actions.run(
          tx,
          'crm.find_or_create_contact',
          { phone: input.phone, email: input.email ?? null, ...nameParts(input.name), source: 'voice agent' },
          { tenantId: ctx.tenantId, idempotencyKey: `${key}:contact` },
        )
      ).contactId;
    return ctx.actions.run(tx, 'calendar.book_appointment', { appointmentTypeId: input.typeId, start: input.start }, { tenantId: ctx.tenantId, idempotencyKey: key, contactId });
  }, bookingTransaction);
}

export async function bookForCaller(ctx: TenantContext, agent: VoiceAgent, input: BookInput): Promise<BookAnswer> {
  const key = `voice:tools:${agent.id}:${input.conversationId}:${Date.parse(input.start)}`;
  let refusal: PermanentFailure | null = null;
  // A refusal is tried once more: a repeat sent while the first call was still booking waited
  // for it, saw the time taken, and now finds the first call's appointment by its key.
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const booked = await book(ctx, input, key);
      // The calendar's zone, from its own answer, for the words the agent says.
      const { timeZone } = await freeTimes(ctx, agent, { typeId: input.typeId, from: booked.start, days: 1 });
      const label = spoken(booked.start, timeZone, agent.language);
      return { status: 'booked', message: `Booked: ${label}.`, appointmentId: booked.appointmentId, start: booked.start, label, slots: [] };
    } catch (error) {
      // A deadlock between two exclusion checks wrote nothing: run again.
      if (isTransientConflict(error) && attempt < 5) continue;
      if (!(error instanceof PermanentFailure)) throw error;
      if (refusal) break;
      refusal = error;
    }
  }
  // Fresh times around the one asked for (an unknown type is a 422 on body.typeId here).
  const around = new Date(Math.max(Date.now(), Date.parse(input.start) - 12 * 3_600_000)).toISOString();
  const fresh = await freeTimes(ctx, agent, { typeId: input.typeId, from: around, days: 2 });
  const reason = refusal?.message ?? 'That time is not free';
  return { status: 'taken', message: `Not booked: ${reason}. ${freeTimesMessage(fresh)}`, appointmentId: null, start: null, label: null, slots: fresh.slots };
}
