// The find_slots tool: free times from the calendar's slot engine (calendar.find_slots, the
// one engine the booking page uses, minimum notice included), cut to a short list a person
// can hear (a few per day, spread over the day) and worded in the agent's language.
import { invalid, PermanentFailure, type TenantContext } from '@soshogle/core';
import type { VoiceAgent } from '@soshogle/db';
import type { OfferedTime } from './schemas.ts';

const dayMs = 86_400_000;
const perDay = 3;
const atMost = 9;

/** The time in words, as the agent says it: "Tuesday, December 8 at 9:00 AM". */
export function spoken(start: string, timeZone: string, language: string): string {
  const options: Intl.DateTimeFormatOptions = { timeZone, weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(language, options).format(new Date(start));
  } catch {
    return new Intl.DateTimeFormat('en', options).format(new Date(start));
  }
}

/** `count` of `items`, evenly spread (first and last included): a morning and an afternoon, not three at 9. */
function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]!);
}

const nextDate = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

/** What the tool (or book, for fresh times) asks: the type by slug or id, and from when. */
export interface SlotsAsked {
  typeSlug?: string;
  typeId?: string;
  from?: string;
  days?: number;
  timeZone?: string;
}

export interface FreeTimes {
  typeId: string;
  typeName: string;
  timeZone: string;
  slots: OfferedTime[];
}

/**
 * The free times of the type the input names, from its `from` (a local date, or an instant;
 * never before now) for `days`. An unknown type is a 422 on the field that named it.
 */
export async function freeTimes(ctx: TenantContext, agent: VoiceAgent, input: SlotsAsked): Promise<FreeTimes> {
  const now = Date.now();
  const days = input.days || 7;
  const localDate = input.from && input.from.length === 10 ? input.from : null;
  // A local date's day starts up to 14 hours either side of UTC's: ask for a little more, keep the dates asked for.
  const from = localDate ? Date.parse(`${localDate}T00:00:00Z`) - 14 * 3_600_000 : input.from ? Date.parse(input.from) : now;
  const to = localDate ? Date.parse(`${localDate}T00:00:00Z`) + days * dayMs + 14 * 3_600_000 : Math.max(from, now) + days * dayMs;
  const props = {
    ...(input.typeId ? { appointmentTypeId: input.typeId } : { typeSlug: input.typeSlug! }),
    from: new Date(Math.max(from, now)).toISOString(),
    to: new Date(Math.max(to, now)).toISOString(),
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
  };
  let found;
  try {
    found = await ctx.db.$transaction((tx) => ctx.actions.run(tx, 'calendar.find_slots', props, { tenantId: ctx.tenantId, idempotencyKey: `voice:tools:${agent.id}:find_slots` }));
  } catch (error) {
    if (error instanceof PermanentFailure) throw invalid(input.typeId ? 'body.typeId' : 'body.typeSlug', error.message);
    throw error;
  }
  const wanted = localDate ? found.slots.filter((s) => s.date >= localDate && s.date < nextDate(localDate, days)) : found.slots;
  const byDate = new Map<string, typeof wanted>();
  for (const slot of wanted) byDate.set(slot.date, [...(byDate.get(slot.date) ?? []), slot]);
  const short = [...byDate.values()].flatMap((daySlots) => spread(daySlots, perDay)).slice(0, atMost);
  return {
    typeId: found.appointmentTypeId,
    typeName: found.typeName,
    timeZone: found.timeZone,
    slots: short.map((s) => ({ start: s.start, label: spoken(s.start, found.timeZone, agent.language) })),
  };
}

/** The free times in a sentence, for the model. */
export function freeTimesMessage(times: FreeTimes): string {
  if (!times.slots.length) return `No free times for ${times.typeName} in those days: ask the caller about later days.`;
  return `Free times for ${times.typeName} (${times.timeZone}): ${times.slots.map((s) => s.label).join('; ')}. Offer only these.`;
}
