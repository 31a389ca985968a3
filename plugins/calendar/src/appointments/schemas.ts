// What the appointments API takes and answers.
import { isoDate, keysetCursor, listQuery } from '@soshogle/core';
import { AppointmentStatus } from '@soshogle/db';
import { z } from 'zod';
import { rowId, timeZone } from '../availability/schemas.ts';

const instant = z.iso.datetime({ offset: true, error: 'An ISO instant with its offset, such as 2026-12-07T09:00:00-05:00' }).transform((iso) => new Date(iso));
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => value || null)
    .nullish();
const durationMin = z.number().int().min(5).max(720);

export const appointmentParams = z.object({ id: rowId });

export const appointmentListQuery = listQuery({ cursor: keysetCursor, size: 200, max: 500 })
  .extend({
    from: instant,
    to: instant,
    calendarId: rowId.optional(),
    contactId: rowId.optional(),
    status: z.enum(AppointmentStatus).optional(),
  })
  .refine((q) => q.from < q.to, { message: 'Must be after "from"', path: ['to'] })
  .refine((q) => +q.to - +q.from <= 62 * 86_400_000, { message: 'At most 62 days after "from"', path: ['to'] });

export const appointmentInput = z.object({
  calendarId: rowId,
  /** Without a type: no grid, no buffers; `durationMin` is then required. */
  appointmentTypeId: rowId.nullish(),
  start: instant,
  durationMin: durationMin.optional(),
  contactId: rowId.nullish(),
  title: optionalText(200),
  description: optionalText(10_000),
  location: optionalText(1000),
  /** The contact's zone, for how times are shown to them; default the calendar's. */
  timeZone: timeZone.nullish(),
  answers: z.record(z.string().max(40), z.string().max(5000)).optional(),
  /** Book outside the hours or the type's grid; overlaps are still refused (409). */
  outsideHours: z.boolean().optional(),
});

export const appointmentPatch = z.object({
  title: z.string().trim().min(1).max(200).optional(),
  description: optionalText(10_000),
  location: optionalText(1000),
  contactId: rowId.nullish(),
});

export const rescheduleInput = z.object({
  start: instant,
  /** Default: its current length. */
  durationMin: durationMin.optional(),
  outsideHours: z.boolean().optional(),
});

export const cancelInput = z.object({ reason: optionalText(500) });

export const statusInput = z.object({ status: z.enum(['CONFIRMED', 'COMPLETED', 'NO_SHOW']) });

export const appointmentResponse = z
  .object({
    id: z.string(),
    calendarId: z.string().nullable(),
    appointmentTypeId: z.string().nullable(),
    contactId: z.string().nullable(),
    contact: z
      .object({ id: z.string(), firstName: z.string(), lastName: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() })
      .nullable()
      .meta({ id: 'AppointmentContact', description: 'Who the appointment is with' }),
    title: z.string(),
    description: z.string().nullable(),
    location: z.string().nullable(),
    startTime: isoDate,
    endTime: isoDate,
    /** The time it keeps others from booking: start − buffer before, end + buffer after. */
    blockStart: isoDate,
    blockEnd: isoDate,
    timezone: z.string(),
    status: z.enum(AppointmentStatus),
    cancelledAt: isoDate.nullable(),
    cancelReason: z.string().nullable(),
    source: z.string(),
    /** The type's questions answered, by question id. */
    answers: z.unknown(),
    /** Bumped on every change. */
    version: z.number().int(),
    externalEventId: z.string().nullable(),
    calendarProvider: z.string().nullable(),
    /** A booking of a type with a price: its payment (the payments plugin's), AWAITING, PAID or EXPIRED; null: none asked. */
    paymentId: z.string().nullable(),
    paymentStatus: z.string().nullable(),
    /** Unpaid by then, it is cancelled. */
    paymentDueAt: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Appointment', description: 'An appointment on a calendar' });
