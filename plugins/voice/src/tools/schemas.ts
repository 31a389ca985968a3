// What the agent's tool endpoints take (the bodies ElevenLabs sends as the tool definitions
// in definitions.ts describe them) and answer. The model sends "" for what it leaves out:
// that counts as not given.
import { z } from 'zod';
import { e164 } from '../connection.ts';
import { rowId } from '../agents/schemas.ts';

const blank = (v: string | undefined) => v?.trim() || undefined;
/** An optional text the model may send as "". */
const optionalText = (max: number) => z.string().max(max).optional().transform(blank);

const isZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const toolParams = z.object({ tenant: rowId, agentId: rowId });

export const findSlotsInput = z
  .object({
    /** The appointment type's slug (the booking page's name for it). */
    typeSlug: optionalText(100),
    /** The appointment type's id, from an earlier answer. */
    typeId: optionalText(64),
    /** The first day (YYYY-MM-DD, in the answer's zone) or instant to look from; default now. */
    from: optionalText(40).pipe(z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional()),
    /** How many days to look at, 1 to 14 (0 or none: 7). */
    days: z.number().int().min(0).max(14).optional(),
    /** The caller's IANA zone; default the calendar's. */
    timeZone: optionalText(64).refine((zone) => !zone || isZone(zone), 'An IANA time zone, e.g. America/New_York'),
  })
  .refine((input) => !!input.typeSlug !== !!input.typeId, { message: 'Give typeSlug or typeId (one of them)', path: ['typeSlug'] });

export const bookInput = z.object({
  /** A start find_slots gave: an ISO instant with its offset. */
  start: z.iso.datetime({ offset: true }),
  typeId: z.string().trim().min(1).max(64),
  /** The caller's name, as they said it. */
  name: z.string().trim().min(1).max(200),
  email: optionalText(254).pipe(z.email('An email address').optional()),
  /** The caller's number (ElevenLabs' system__caller_id). */
  phone: e164,
  /** ElevenLabs' conversation (system__conversation_id): a repeated book of one start in one conversation is the same booking. */
  conversationId: z.string().trim().min(1).max(200),
});
export type BookInput = z.output<typeof bookInput>;

const offered = z.object({
  /** ISO instant: what book takes. */
  start: z.string(),
  /** The same time in words, in the zone and the agent's language: what the agent says. */
  label: z.string(),
});
export type OfferedTime = z.output<typeof offered>;

export const findSlotsAnswer = z
  .object({
    typeId: z.string(),
    typeName: z.string(),
    timeZone: z.string(),
    slots: z.array(offered),
    /** The answer in a sentence, for the model. */
    message: z.string(),
  })
  .meta({ id: 'VoiceToolSlots', description: "Free times for the voice agent's find_slots tool" });

export const bookAnswer = z
  .object({
    /** booked; or taken (the time is not free any more, or never was): offer `slots` instead. */
    status: z.enum(['booked', 'taken']),
    message: z.string(),
    appointmentId: z.string().nullable(),
    start: z.string().nullable(),
    label: z.string().nullable(),
    /** Fresh free times around the one asked for, when it was taken. */
    slots: z.array(offered),
  })
  .meta({ id: 'VoiceToolBooking', description: "The voice agent's book tool: the appointment, or fresh times when the one asked for was taken" });
export type BookAnswer = z.output<typeof bookAnswer>;
