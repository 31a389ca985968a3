// A booking from the public page (design §3.2): checks outside the transaction (spam, the
// type, the answers, the connected calendars say the time is free: sync/live-busy.ts), then
// one transaction: the contact found or made through the CRM, the appointment inserted through
// the appointments service (which raises core.appointment_scheduled; reminders follow it), for
// a type with a price its payment asked of the payments plugin (payment/request.ts), the
// confirmation queued through messaging. Two visitors racing for one slot: the exclusion
// constraint lets one commit; the other's whole transaction rolls back (no contact, no event, no
// email) and is answered 409 with the fresh slots of that day and the next.
import { createHash, randomBytes } from 'node:crypto';
import { conflict, formTokenAge, invalid, ipPrefix, type TenantContext } from '@soshogle/core';
import type { z } from 'zod';
import { bookingTransaction, orFreshSlots, slotTakenProblem } from '../appointments/conflict.ts';
import { bookAppointment } from '../appointments/service.ts';
import type { CalendarConfig } from '../config.ts';
import { askForPayment, isPriced, paymentDueAt, takesPayments, type PriceOf } from '../payment/request.ts';
import { liveBusy } from '../sync/live-busy.ts';
import { checkAnswers } from './answers.ts';
import { confirmationMessage } from './confirmation.ts';
import { managePath, manageToken } from './links.ts';
import { openPage, publicType } from './page.ts';
import type { bookingBody } from './schemas.ts';
import { limitBookings } from './limits.ts';

type Body = z.output<typeof bookingBody>;
type Ctx = TenantContext<CalendarConfig>;

export interface Booked {
  appointmentId: string;
  start: Date;
  end: Date;
  manageUrl: string;
  /** A type with a price: where the booker pays, and by when (unpaid by then, the booking is cancelled). */
  payUrl: string | null;
  paymentDueAt: Date | null;
}

const minuteMs = 60_000;

// Spam defences (the form token: core's form-token.ts): faster than a person fills the form,
// and a form left open longer is reloaded (its slots are stale anyway). The purpose is the
// one tokens were signed for before the helper moved to the core, so none in flight breaks.
const minFormAgeMs = 2_000;
const maxFormAgeMs = 12 * 3_600_000;
export const formTokenPurpose = 'booking-form-token';

/** What a bot caught by the honeypot or the form token is told: a plausible booking that does not exist. */
function madeUp(ctx: Ctx, start: Date, type: PriceOf & { durationMin: number }): Booked {
  const appointmentId = `c${randomBytes(12).toString('hex')}`;
  const priced = isPriced(type);
  return {
    appointmentId,
    start,
    end: new Date(+start + type.durationMin * minuteMs),
    manageUrl: ctx.publicUrl(managePath(`${appointmentId}-${randomBytes(32).toString('base64url')}`)),
    payUrl: priced ? ctx.publicUrl(`/pay/${randomBytes(24).toString('base64url')}`) : null,
    paymentDueAt: priced ? paymentDueAt(type, start) : null,
  };
}

/** "Ada King Lovelace" → first name "Ada", last name "King Lovelace", as the CRM keeps them. */
export function splitName(name: string): { firstName: string; lastName: string | null } {
  const [firstName = name, ...rest] = name.trim().split(/\s+/);
  return { firstName, lastName: rest.join(' ') || null };
}

export interface BookingRequest {
  slug: string;
  body: Body;
  /** The visitor's address (behind a proxy: TRUST_PROXY), kept as its prefix in the consent record. */
  ip: string;
}

export async function bookOnPage(ctx: Ctx, { slug, body, ip }: BookingRequest): Promise<Booked> {
  const calendar = await openPage(ctx.db, slug);
  await limitBookings(ctx, ip, calendar.id);
  const type = await publicType(ctx.db, calendar.id, body.typeSlug);
  const start = new Date(body.start);

  // Spam: the honeypot, or a form sent back faster than a person fills it.
  const age = formTokenAge(ctx.secrets, calendar.id, body.formToken, { purpose: formTokenPurpose, maxAgeMs: maxFormAgeMs });
  if (body.website || (age !== null && age < minFormAgeMs)) {
    ctx.log.info({ calendarId: calendar.id, honeypot: Boolean(body.website), formAgeMs: age }, 'booking refused as spam (answered with a made-up booking)');
    return madeUp(ctx, start, type);
  }
  if (age === null) throw invalid('body.formToken', 'This form has expired: reload the page and choose a time again');
  const answers = checkAnswers(type.questions, body.answers);

  const consent = {
    email: body.consent.email,
    sms: body.consent.sms,
    textSha256: createHash('sha256').update(calendar.consentText ?? '').digest('hex'),
    at: new Date().toISOString(),
    ipPrefix: ipPrefix(ip),
  };
  if (isPriced(type) && !takesPayments(ctx)) throw conflict('This appointment type takes payment, and payments are not turned on: ask the business to book it');
  const { tenantId } = ctx;
  // One booking request: its retries (a transient conflict) find the contact made by an earlier attempt.
  const request = randomBytes(16).toString('base64url');
  const asked = { calendarId: calendar.id, appointmentTypeId: type.id, start, timeZone: body.timeZone };
  // The connected calendars, asked now (outside the transaction: it may wait up to 1.5 s), for
  // the time the booking would block, buffers included, as the engine compares busy time.
  const blocked = { start: new Date(+start - type.bufferBeforeMin * minuteMs), end: new Date(+start + (type.durationMin + type.bufferAfterMin) * minuteMs) };
  const busy = await liveBusy(ctx, calendar.id, blocked);
  if (busy.length > 0) throw await slotTakenProblem(ctx.db, { ...asked, busy });
  const appointment = await orFreshSlots(ctx.db, asked, () =>
    ctx.db.$transaction(async (tx) => {
      const { contactId } = await ctx.actions.run(
        tx,
        'crm.find_or_create_contact',
        { email: body.email, phone: body.phone ?? null, ...splitName(body.name), source: 'booking' },
        { tenantId, idempotencyKey: `booking:${request}` },
      );
      const booked = await bookAppointment(tx, ctx, {
        calendarId: calendar.id, appointmentTypeId: type.id, start, contactId, timeZone: body.timeZone, source: 'BOOKING_PAGE', answers, consent,
      });
      const payment = await askForPayment(tx, ctx, booked, type);
      const key = `booking-confirmation:${booked.id}`;
      const manageUrl = ctx.publicUrl(managePath(manageToken(ctx.secrets, booked.id)));
      const message = confirmationMessage({
        name: splitName(body.name).firstName, type: type.name, start, zone: body.timeZone, location: booked.location, manageUrl,
        payment: payment ? { url: payment.payUrl, dueAt: payment.dueAt } : null,
      });
      await ctx.actions.run(tx, 'messaging.queue_messages', { channel: 'EMAIL', messages: [{ contactId, ...message, idempotencyKey: key }] }, { tenantId, idempotencyKey: key, contactId });
      return { ...booked, manageUrl, payment };
    }, bookingTransaction),
  );
  const { payment } = appointment;
  return {
    appointmentId: appointment.id, start: appointment.startTime, end: appointment.endTime, manageUrl: appointment.manageUrl,
    payUrl: payment?.payUrl ?? null, paymentDueAt: payment?.dueAt ?? null,
  };
}
