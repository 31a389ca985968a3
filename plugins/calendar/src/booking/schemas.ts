// What the public booking page and the manage link send and get back.
import { decimal, isoDate } from '@soshogle/core';
import { z } from 'zod';
import { questionsInput, slotDaysResponse, timeZone as zone } from '../availability/schemas.ts';

const slug = z.string().min(1).max(120);

export const pageParams = z.object({ slug });
export const typeParams = z.object({ slug, typeSlug: slug });
export const tokenParams = z.object({ token: z.string().min(20).max(100) });

const dayMs = 86_400_000;
/** The most one read of the page's slots covers. */
export const maxSlotRangeDays = 42;

export const slotsQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).transform((iso) => new Date(iso)).optional().describe('Default: now'),
    to: z.iso.datetime({ offset: true }).transform((iso) => new Date(iso)).optional().describe(`Default: 7 days after from; at most ${maxSlotRangeDays}`),
    tz: zone.optional().describe("The booker's zone for dates and labels (default: the calendar's)"),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'Must be after "from"', path: ['to'] })
  .refine((q) => !q.to || +q.to - +(q.from ?? Date.now()) <= maxSlotRangeDays * dayMs, { message: `At most ${maxSlotRangeDays} days after "from"`, path: ['to'] });

export const publicPage = z
  .object({
    name: z.string(),
    title: z.string().nullable(),
    intro: z.string().nullable(),
    timeZone: z.string(),
    consentText: z.string().nullable(),
    types: z.array(
      z.object({
        slug: z.string(),
        name: z.string(),
        description: z.string().nullable(),
        durationMin: z.number().int(),
        locationKind: z.string(),
        questions: questionsInput,
        /** Paid at booking (the booker is sent to the pay page); null: free. */
        price: decimal.nullable(),
        currency: z.string().nullable(),
        /** Minutes a booking waits for its payment before it is cancelled. */
        paymentHoldMinutes: z.number().int().nullable(),
      }),
    ),
  })
  .meta({ id: 'PublicBookingPage', description: "A calendar's public booking page: its public, active appointment types" });

export const publicSlots = slotDaysResponse
  .extend({ formToken: z.string().describe('Sent back with the booking') })
  .meta({ id: 'PublicSlots', description: 'Free start times of an appointment type on its booking page, by local date' });

export const bookingBody = z.object({
  typeSlug: slug,
  start: z.iso.datetime({ offset: true }),
  timeZone: zone,
  name: z.string().trim().min(1).max(100),
  email: z.email().max(254),
  phone: z.string().trim().max(40).optional(),
  answers: z.record(z.string(), z.string().max(2000)).default({}),
  consent: z.object({ email: z.boolean().default(false), sms: z.boolean().default(false) }).default({ email: false, sms: false }),
  formToken: z.string().max(200),
  /** The honeypot: hidden on the page, so only bots fill it. */
  website: z.string().max(500).optional(),
});

export const booked = z
  .object({
    appointmentId: z.string(),
    start: isoDate,
    end: isoDate,
    manageUrl: z.string(),
    /** A type with a price: the pay page to send the booker to; null: nothing to pay. */
    payUrl: z.string().nullable(),
    /** Unpaid by then, the booking is cancelled and its time freed. */
    paymentDueAt: isoDate.nullable(),
  })
  .meta({ id: 'PublicBooking', description: 'A booking made on the public page, with its reschedule/cancel link (and its pay link for a type with a price)' });

export const managedBooking = z
  .object({
    appointmentId: z.string(),
    status: z.string(),
    start: isoDate,
    end: isoDate,
    timeZone: z.string().describe("The calendar's zone"),
    typeName: z.string(),
    typeSlug: z.string().nullable(),
    calendarName: z.string(),
    pageSlug: z.string(),
    location: z.string().nullable(),
    canReschedule: z.boolean(),
    canCancel: z.boolean(),
  })
  .meta({ id: 'ManagedBooking', description: 'A booking as its manage link shows it' });

export const rescheduleBody = z.object({ start: z.iso.datetime({ offset: true }) });
export const cancelBody = z.object({ reason: z.string().trim().max(500).optional() });
