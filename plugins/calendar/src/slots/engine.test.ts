// The slot engine's cases (design §2.3), no database: each asserts exact instants, so a wrong
// offset, a lost DST hour or an off-by-one grid fails. Wall clocks in the assertions are read
// with Intl (not Luxon, which the engine uses), and the zone facts the cases rely on are checked
// first, so a changed tz database shows up as a fact failing, not as a puzzling slot list.
// Case 19 compares the engine with a brute-force reference (minute scan of Intl wall clocks) on
// seeded random calendars around DST changes.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { freeSlots, type SlotInput } from './engine.ts';
import { slotsByDay } from './present.ts';

type Type = SlotInput['type'];
type Slot = { start: number; end: number };

const minute = 60_000;
const day = 86_400_000;
const ms = (iso: string) => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad instant ${iso}`);
  return t;
};
const z = (t: number) => new Date(t).toISOString().replace(':00.000Z', 'Z');

function input(over: Omit<Partial<SlotInput>, 'type'> & { type?: Partial<Type>; zone: string; from: number; to: number }): SlotInput {
  const { type, ...rest } = over;
  return {
    rules: [],
    overrides: [],
    blocked: [],
    busy: [],
    dayCounts: new Map(),
    now: ms('2026-01-01T00:00Z'),
    ...rest,
    type: { id: 'type', durationMin: 30, slotIntervalMin: null, bufferBeforeMin: 0, bufferAfterMin: 0, minNoticeMin: 0, maxAdvanceDays: 730, dailyLimit: null, ...type },
  };
}
const every = (weekdays: number[], startMinute: number, endMinute: number) => weekdays.map((weekday) => ({ weekday, startMinute, endMinute }));
const weekdays = [1, 2, 3, 4, 5];
const allWeek = [1, 2, 3, 4, 5, 6, 7];

// Wall clocks through Intl, independent of Luxon.
const formatters = new Map<string, Intl.DateTimeFormat>();
function wallParts(t: number, zone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'weekday', string> {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'weekday', string>;
}
/** `2026-03-08 03:00` in `zone`. */
const wall = (t: number, zone: string) => {
  const p = wallParts(t, zone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
};
const label = (t: number, zone: string) => wall(t, zone).slice(11);
const localDay = (t: number, zone: string) => wall(t, zone).slice(0, 10);
const starts = (slots: Slot[]) => slots.map((s) => z(s.start));
const labels = (slots: Slot[], zone: string) => slots.map((s) => label(s.start, zone));
function countByDay(slots: Slot[], zone: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of slots) counts[localDay(s.start, zone)] = (counts[localDay(s.start, zone)] ?? 0) + 1;
  return counts;
}

describe('zone facts the cases rely on (tz database through Intl, and Luxon 3.7 behaviour)', () => {
  it('New York skips 02:00–03:00 on 2026-03-08 and shows 01:00–02:00 twice on 2026-11-01', () => {
    expect(wall(ms('2026-03-08T06:59Z'), 'America/New_York')).toBe('2026-03-08 01:59');
    expect(wall(ms('2026-03-08T07:00Z'), 'America/New_York')).toBe('2026-03-08 03:00');
    expect(wall(ms('2026-11-01T05:30Z'), 'America/New_York')).toBe('2026-11-01 01:30');
    expect(wall(ms('2026-11-01T06:30Z'), 'America/New_York')).toBe('2026-11-01 01:30');
  });

  it('Santiago skips midnight on 2026-09-06 (the day starts at 01:00), a Sunday', () => {
    expect(wall(ms('2026-09-06T03:59Z'), 'America/Santiago')).toBe('2026-09-05 23:59');
    expect(wall(ms('2026-09-06T04:00Z'), 'America/Santiago')).toBe('2026-09-06 01:00');
    expect(wallParts(ms('2026-09-06T04:00Z'), 'America/Santiago').weekday).toBe('Sun');
  });

  it('London changes at 01:00 UTC (2026-03-29, 2026-10-25); Lord Howe moves 30 minutes (2026-10-04, 2026-04-05)', () => {
    expect(wall(ms('2026-03-29T00:59Z'), 'Europe/London')).toBe('2026-03-29 00:59');
    expect(wall(ms('2026-03-29T01:00Z'), 'Europe/London')).toBe('2026-03-29 02:00');
    expect(wall(ms('2026-10-25T00:30Z'), 'Europe/London')).toBe('2026-10-25 01:30');
    expect(wall(ms('2026-10-25T01:30Z'), 'Europe/London')).toBe('2026-10-25 01:30');
    expect(wall(ms('2026-10-03T15:29Z'), 'Australia/Lord_Howe')).toBe('2026-10-04 01:59');
    expect(wall(ms('2026-10-03T15:30Z'), 'Australia/Lord_Howe')).toBe('2026-10-04 02:30');
    expect(wall(ms('2026-04-04T14:45Z'), 'Australia/Lord_Howe')).toBe('2026-04-05 01:45');
    expect(wall(ms('2026-04-04T15:15Z'), 'Australia/Lord_Howe')).toBe('2026-04-05 01:45');
  });

  it('Luxon moves a skipped wall time forward by the gap (so the engine does not use it as is) and lists both instants of a repeated one', () => {
    const skipped = DateTime.fromObject({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, { zone: 'America/New_York' });
    expect(z(skipped.toMillis())).toBe('2026-03-08T07:30Z'); // 03:30 EDT, not the jump at 07:00Z
    expect(skipped.getPossibleOffsets()).toHaveLength(1);
    const repeated = DateTime.fromObject({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, { zone: 'America/New_York' });
    expect(z(repeated.toMillis())).toBe('2026-11-01T06:30Z'); // the later offset
    expect(repeated.getPossibleOffsets().map((d) => z(d.toMillis()))).toEqual(['2026-11-01T05:30Z', '2026-11-01T06:30Z']);
  });
});

describe('freeSlots', () => {
  it('1. Mon–Fri 09:00–17:00 in Paris: 16 a weekday, none at weekends, 08:00Z in winter and 07:00Z in summer', () => {
    const paris = (from: string, to: string) => freeSlots(input({ zone: 'Europe/Paris', rules: every(weekdays, 540, 1020), from: ms(from), to: ms(to) }));
    const winter = paris('2026-01-05T00:00+01:00', '2026-01-12T00:00+01:00');
    expect(countByDay(winter, 'Europe/Paris')).toEqual({ '2026-01-05': 16, '2026-01-06': 16, '2026-01-07': 16, '2026-01-08': 16, '2026-01-09': 16 });
    expect(z(winter[0]!.start)).toBe('2026-01-05T08:00Z');
    expect(z(winter.at(-1)!.end)).toBe('2026-01-09T16:00Z');
    const summer = paris('2026-07-06T00:00+02:00', '2026-07-13T00:00+02:00');
    expect(Object.values(countByDay(summer, 'Europe/Paris'))).toEqual([16, 16, 16, 16, 16]);
    expect(z(summer[0]!.start)).toBe('2026-07-06T07:00Z');
    // The week Paris springs forward (Sunday 2026-03-29): Friday in winter time, Monday in summer time.
    const change = paris('2026-03-27T00:00+01:00', '2026-03-31T00:00+02:00');
    expect(countByDay(change, 'Europe/Paris')).toEqual({ '2026-03-27': 16, '2026-03-30': 16 });
    expect(starts(change.filter((s) => label(s.start, 'Europe/Paris') === '09:00'))).toEqual(['2026-03-27T08:00Z', '2026-03-30T07:00Z']);
  });

  describe('DST in New York', () => {
    const newYork = (rules: SlotInput['rules'], from: string, to: string) => freeSlots(input({ zone: 'America/New_York', rules, from: ms(from), to: ms(to) }));

    it('2. spring forward, hours 00:00–06:00: 5 real hours, no 02:xx, 03:00 is 07:00Z', () => {
      const slots = newYork(every([7], 0, 360), '2026-03-08T05:00Z', '2026-03-09T04:00Z');
      expect(starts(slots)).toEqual(['05:00', '05:30', '06:00', '06:30', '07:00', '07:30', '08:00', '08:30', '09:00', '09:30'].map((t) => `2026-03-08T${t}Z`));
      expect(labels(slots, 'America/New_York')).toEqual(['00:00', '00:30', '01:00', '01:30', '03:00', '03:30', '04:00', '04:30', '05:00', '05:30']);
      expect(z(slots.at(-1)!.end)).toBe('2026-03-08T10:00Z');
    });

    it('3. fall back, hours 00:00–04:00: 5 real hours, 01:00 and 01:30 twice', () => {
      const slots = newYork(every([7], 0, 240), '2026-11-01T04:00Z', '2026-11-02T05:00Z');
      expect(starts(slots)).toEqual(['04:00', '04:30', '05:00', '05:30', '06:00', '06:30', '07:00', '07:30', '08:00', '08:30'].map((t) => `2026-11-01T${t}Z`));
      expect(labels(slots, 'America/New_York')).toEqual(['00:00', '00:30', '01:00', '01:30', '01:00', '01:30', '02:00', '02:30', '03:00', '03:30']);
    });

    it('4. a window opening inside the gap opens at the jump (03:00 local); windows inside the gap are empty; one closing inside it closes at the jump', () => {
      const opening = newYork(every([7], 150, 300), '2026-03-08T05:00Z', '2026-03-09T04:00Z');
      expect(starts(opening)).toEqual(['2026-03-08T07:00Z', '2026-03-08T07:30Z', '2026-03-08T08:00Z', '2026-03-08T08:30Z']);
      expect(labels(opening, 'America/New_York')).toEqual(['03:00', '03:30', '04:00', '04:30']);
      expect(newYork(every([7], 120, 180), '2026-03-08T05:00Z', '2026-03-09T04:00Z')).toEqual([]);
      expect(newYork(every([7], 130, 170), '2026-03-08T05:00Z', '2026-03-09T04:00Z')).toEqual([]);
      const closing = newYork(every([7], 0, 150), '2026-03-08T05:00Z', '2026-03-09T04:00Z');
      expect(z(closing.at(-1)!.end)).toBe('2026-03-08T07:00Z');
      expect(closing).toHaveLength(4);
    });

    it('5. a window ending at a repeated time ends at its later instant; one starting at it starts at its earlier', () => {
      const ending = newYork(every([7], 0, 90), '2026-11-01T04:00Z', '2026-11-02T05:00Z');
      expect(z(ending.at(-1)!.end)).toBe('2026-11-01T06:30Z');
      expect(starts(ending)).toEqual(['04:00', '04:30', '05:00', '05:30', '06:00'].map((t) => `2026-11-01T${t}Z`));
      // Closing at 01:00: the second 01:00 comes straight after 01:59, outside the hours, so the first one.
      expect(z(newYork(every([7], 0, 60), '2026-11-01T04:00Z', '2026-11-02T05:00Z').at(-1)!.end)).toBe('2026-11-01T05:00Z');
      const starting = newYork(every([7], 90, 180), '2026-11-01T04:00Z', '2026-11-02T05:00Z');
      expect(z(starting[0]!.start)).toBe('2026-11-01T05:30Z');
      expect(z(starting.at(-1)!.end)).toBe('2026-11-01T08:00Z');
    });
  });

  it('6. Santiago, midnight skipped on Sunday 2026-09-06: the day opens at 01:00, and each date keeps its own weekday', () => {
    const zone = 'America/Santiago';
    // Saturday 22:00–24:00, Sunday 00:00–03:00, Monday 00:00–01:00.
    const rules = [...every([6], 1320, 1440), ...every([7], 0, 180), ...every([1], 0, 60)];
    const slots = freeSlots(input({ zone, rules, from: ms('2026-09-05T04:00Z'), to: ms('2026-09-08T03:00Z') }));
    expect(starts(slots)).toEqual([
      '2026-09-06T02:00Z', '2026-09-06T02:30Z', '2026-09-06T03:00Z', '2026-09-06T03:30Z', // Saturday 22:00–24:00 (−04)
      '2026-09-06T04:00Z', '2026-09-06T04:30Z', '2026-09-06T05:00Z', '2026-09-06T05:30Z', // Sunday 01:00–03:00 (−03)
      '2026-09-07T03:00Z', '2026-09-07T03:30Z', // Monday 00:00–01:00
    ]);
    expect(slots.map((s) => `${wallParts(s.start, zone).weekday} ${wall(s.start, zone)}`)).toEqual([
      'Sat 2026-09-05 22:00', 'Sat 2026-09-05 22:30', 'Sat 2026-09-05 23:00', 'Sat 2026-09-05 23:30',
      'Sun 2026-09-06 01:00', 'Sun 2026-09-06 01:30', 'Sun 2026-09-06 02:00', 'Sun 2026-09-06 02:30',
      'Mon 2026-09-07 00:00', 'Mon 2026-09-07 00:30',
    ]);
  });

  it('6b. Havana repeats midnight (Sunday 2026-11-01 00:00–01:00 twice): Saturday to 24:00 ends at the first midnight, Sunday owns both its first hours', () => {
    const zone = 'America/Havana';
    expect(wall(ms('2026-11-01T03:59Z'), zone)).toBe('2026-10-31 23:59');
    expect(wall(ms('2026-11-01T04:00Z'), zone)).toBe('2026-11-01 00:00');
    expect(wall(ms('2026-11-01T05:00Z'), zone)).toBe('2026-11-01 00:00');
    // Saturday 23:00–24:00 = 03:00Z–04:00Z, Sunday 00:00–01:00 = 04:00Z–06:00Z (two real hours).
    const rules = [...every([6], 1380, 1440), ...every([7], 0, 60)];
    const slots = freeSlots(input({ zone, rules, type: { durationMin: 45 }, from: ms('2026-10-31T04:00Z'), to: ms('2026-11-02T05:00Z') }));
    expect(starts(slots)).toEqual(['03:00', '03:45', '04:00', '04:45'].map((t) => `2026-11-01T${t}Z`));
    expect(slots.map((s) => wall(s.start, zone))).toEqual(['2026-10-31 23:00', '2026-10-31 23:45', '2026-11-01 00:00', '2026-11-01 00:45']);
    // Asking from Sunday's first instant gives Sunday's slots, no Saturday grid in it.
    expect(starts(freeSlots(input({ zone, rules, type: { durationMin: 45 }, from: ms('2026-11-01T04:00Z'), to: ms('2026-11-02T05:00Z') })))).toEqual(starts(slots.slice(2)));
  });

  it('7. London (one hour) and Lord Howe (30 minutes) on both transition days', () => {
    const sunday = (zone: string, durationMin: number, from: string, to: string) =>
      freeSlots(input({ zone, type: { durationMin }, rules: every([7], 0, 240), from: ms(from), to: ms(to) }));
    const londonSpring = sunday('Europe/London', 60, '2026-03-28T00:00Z', '2026-03-30T00:00Z');
    expect(starts(londonSpring)).toEqual(['2026-03-29T00:00Z', '2026-03-29T01:00Z', '2026-03-29T02:00Z']);
    expect(labels(londonSpring, 'Europe/London')).toEqual(['00:00', '02:00', '03:00']);
    const londonAutumn = sunday('Europe/London', 60, '2026-10-24T00:00Z', '2026-10-26T00:00Z');
    expect(starts(londonAutumn)).toEqual(['2026-10-24T23:00Z', '2026-10-25T00:00Z', '2026-10-25T01:00Z', '2026-10-25T02:00Z', '2026-10-25T03:00Z']);
    expect(labels(londonAutumn, 'Europe/London')).toEqual(['00:00', '01:00', '01:00', '02:00', '03:00']);
    const lordHoweSpring = sunday('Australia/Lord_Howe', 30, '2026-10-03T00:00Z', '2026-10-05T00:00Z');
    expect(z(lordHoweSpring[0]!.start)).toBe('2026-10-03T13:30Z'); // 00:00 +10:30
    expect(z(lordHoweSpring.at(-1)!.end)).toBe('2026-10-03T17:00Z'); // 04:00 +11
    expect(labels(lordHoweSpring, 'Australia/Lord_Howe')).toEqual(['00:00', '00:30', '01:00', '01:30', '02:30', '03:00', '03:30']);
    const lordHoweAutumn = sunday('Australia/Lord_Howe', 30, '2026-04-04T00:00Z', '2026-04-06T00:00Z');
    expect(z(lordHoweAutumn[0]!.start)).toBe('2026-04-04T13:00Z'); // 00:00 +11
    expect(z(lordHoweAutumn.at(-1)!.end)).toBe('2026-04-04T17:30Z'); // 04:00 +10:30
    expect(labels(lordHoweAutumn, 'Australia/Lord_Howe')).toEqual(['00:00', '00:30', '01:00', '01:30', '01:30', '02:00', '02:30', '03:00', '03:30']);
  });

  it('8. a booker far east (Kiritimati, +14) sees a New York Monday on their Monday night and Tuesday', () => {
    const slots = freeSlots(input({ zone: 'America/New_York', rules: every([1], 240, 360), from: ms('2026-01-05T00:00Z'), to: ms('2026-01-07T00:00Z') }));
    expect(slotsByDay(slots, 'America/New_York').map((d) => [d.date, d.slots.map((s) => s.time)])).toEqual([['2026-01-05', ['04:00', '04:30', '05:00', '05:30']]]);
    expect(slotsByDay(slots, 'Pacific/Kiritimati')).toEqual([
      { date: '2026-01-05', slots: [
        { start: '2026-01-05T09:00:00.000Z', end: '2026-01-05T09:30:00.000Z', time: '23:00' },
        { start: '2026-01-05T09:30:00.000Z', end: '2026-01-05T10:00:00.000Z', time: '23:30' },
      ] },
      { date: '2026-01-06', slots: [
        { start: '2026-01-05T10:00:00.000Z', end: '2026-01-05T10:30:00.000Z', time: '00:00' },
        { start: '2026-01-05T10:30:00.000Z', end: '2026-01-05T11:00:00.000Z', time: '00:30' },
      ] },
    ]);
  });

  // Cases 9–18: Paris in January (+01:00), where only the rule under test matters.
  const paris = 'Europe/Paris';
  const at = (t: string) => ms(`${t}+01:00`);
  const monday = { from: at('2026-01-05T00:00'), to: at('2026-01-06T00:00') };
  const local = (slots: Slot[]) => slots.map((s) => label(s.start, paris));

  it('9. buffers on both sides: the type’s 15 before / 10 after against an appointment blocking 09:45–10:40', () => {
    const slots = freeSlots(input({
      zone: paris, ...monday, rules: every([1], 540, 720),
      type: { durationMin: 30, slotIntervalMin: 5, bufferBeforeMin: 15, bufferAfterMin: 10 },
      blocked: [{ start: at('2026-01-05T09:45'), end: at('2026-01-05T10:40') }],
    }));
    expect(local(slots)).toEqual(['09:00', '09:05', '10:55', '11:00', '11:05', '11:10', '11:15', '11:20', '11:25', '11:30']);
  });

  it('10. between two buffered appointments, slots obey both', () => {
    const slots = freeSlots(input({
      zone: paris, ...monday, rules: every([1], 540, 840),
      type: { durationMin: 30, slotIntervalMin: 5, bufferBeforeMin: 15, bufferAfterMin: 10 },
      blocked: [{ start: at('2026-01-05T11:45'), end: at('2026-01-05T12:40') }, { start: at('2026-01-05T09:45'), end: at('2026-01-05T10:40') }],
    }));
    const between = slots.filter((s) => s.start > at('2026-01-05T10:30') && s.start < at('2026-01-05T12:00'));
    expect(local(between)).toEqual(['10:55', '11:00', '11:05']);
  });

  it('11. minimum notice 120 at 09:10: first slot 11:30 on the grid anchored at 09:00; the admin screen ignores notice, not the past', () => {
    const base = { zone: paris, ...monday, rules: every([1], 540, 1020), now: at('2026-01-05T09:10'), type: { minNoticeMin: 120 } };
    expect(local(freeSlots(input(base)))[0]).toBe('11:30');
    expect(local(freeSlots(input({ ...base, ignoreNotice: true })))[0]).toBe('09:30');
  });

  it('12. max advance 30 days: the last slot is on local day 30', () => {
    const slots = freeSlots(input({
      zone: paris, rules: every(allWeek, 540, 1020), now: at('2026-01-05T10:00'),
      from: at('2026-01-05T00:00'), to: at('2026-03-31T00:00'), type: { maxAdvanceDays: 30 },
    }));
    expect(wall(slots.at(-1)!.start, paris)).toBe('2026-02-04 16:30');
    expect(Object.keys(countByDay(slots, paris))).toHaveLength(31);
  });

  it('13. daily limit 2: a date with two bookings is empty, the next is full; dates are the calendar’s, not UTC’s', () => {
    const limited = (dayCounts: [string, number][]) => freeSlots(input({
      zone: paris, rules: every(weekdays, 540, 1020), from: at('2026-01-05T00:00'), to: at('2026-01-07T00:00'),
      type: { dailyLimit: 2 }, dayCounts: new Map(dayCounts),
    }));
    expect(countByDay(limited([['2026-01-05', 2]]), paris)).toEqual({ '2026-01-06': 16 });
    expect(countByDay(limited([['2026-01-05', 1]]), paris)).toEqual({ '2026-01-05': 16, '2026-01-06': 16 });
    // Los Angeles evenings run past midnight UTC: the whole local Monday closes, nothing else.
    const evenings = freeSlots(input({
      zone: 'America/Los_Angeles', rules: every(weekdays, 1020, 1200), from: ms('2026-01-05T08:00Z'), to: ms('2026-01-07T08:00Z'),
      type: { dailyLimit: 2 }, dayCounts: new Map([['2026-01-05', 2]]),
    }));
    expect(starts(evenings)).toEqual(['01:00', '01:30', '02:00', '02:30', '03:00', '03:30'].map((t) => `2026-01-07T${t}Z`));
  });

  it('14. overrides replace a date’s weekly hours: closed, extra hours, split, an opened Saturday', () => {
    const slots = freeSlots(input({
      zone: paris, rules: every(weekdays, 540, 1020), from: at('2026-01-05T00:00'), to: at('2026-01-12T00:00'),
      overrides: [
        { date: '2026-01-05', startMinute: null, endMinute: null },
        { date: '2026-01-06', startMinute: 720, endMinute: 1200 },
        { date: '2026-01-07', startMinute: 540, endMinute: 600 },
        { date: '2026-01-07', startMinute: 840, endMinute: 900 },
        { date: '2026-01-10', startMinute: 600, endMinute: 660 },
      ],
    }));
    expect(countByDay(slots, paris)).toEqual({ '2026-01-06': 16, '2026-01-07': 4, '2026-01-08': 16, '2026-01-09': 16, '2026-01-10': 2 });
    const on = (date: string) => slots.filter((s) => localDay(s.start, paris) === date).map((s) => label(s.start, paris));
    expect([on('2026-01-06')[0], on('2026-01-06').at(-1)]).toEqual(['12:00', '19:30']);
    expect(on('2026-01-07')).toEqual(['09:00', '09:30', '14:00', '14:30']);
    expect(on('2026-01-10')).toEqual(['10:00', '10:30']);
  });

  it('15. a rule to 24:00 (1440): last slot 23:30, ending at the next midnight', () => {
    const slots = freeSlots(input({ zone: paris, rules: every([1], 1320, 1440), from: at('2026-01-05T00:00'), to: at('2026-01-07T00:00') }));
    expect(local(slots)).toEqual(['22:00', '22:30', '23:00', '23:30']);
    expect(slots.at(-1)!.end).toBe(at('2026-01-06T00:00'));
  });

  it('15b. hours running through midnight (Mon 22:00–24:00, Tue 00:00–02:00): a slot may cross it, each date keeps its own grid, whatever range is asked', () => {
    const overnight = (from: string) => freeSlots(input({
      zone: paris, rules: [...every([1], 1320, 1440), ...every([2], 0, 120)], type: { durationMin: 45 }, from: at(from), to: at('2026-01-07T00:00'),
    }));
    const slots = overnight('2026-01-05T00:00');
    expect(slots.map((s) => wall(s.start, paris).slice(5))).toEqual(['01-05 22:00', '01-05 22:45', '01-05 23:30', '01-06 00:00', '01-06 00:45']);
    expect(slots[2]!.end).toBe(at('2026-01-06T00:15'));
    expect(starts(overnight('2026-01-06T00:00'))).toEqual(starts(slots.slice(3)));
    const lateMonday = freeSlots(input({ zone: paris, rules: [...every([1], 1320, 1440), ...every([2], 0, 120)], type: { durationMin: 45 }, from: at('2026-01-05T00:00'), to: at('2026-01-05T23:45') }));
    expect(starts(lateMonday)).toEqual(starts(slots.slice(0, 3)));
  });

  it('16. external busy time: a short block removes what it overlaps, an all-day block its date; touching removes nothing', () => {
    // All-day blocks arrive expanded to local midnights (load/sync); transparent or free events
    // never become busy blocks (sync), so they are not the engine's concern.
    const slots = freeSlots(input({
      zone: paris, rules: every(weekdays, 540, 1020), from: at('2026-01-05T00:00'), to: at('2026-01-08T00:00'),
      busy: [
        { start: at('2026-01-05T10:05'), end: at('2026-01-05T10:20') },
        { start: at('2026-01-05T12:00'), end: at('2026-01-05T12:30') },
        { start: at('2026-01-06T00:00'), end: at('2026-01-07T00:00') },
      ],
    }));
    expect(countByDay(slots, paris)).toEqual({ '2026-01-05': 14, '2026-01-07': 16 });
    const mondayLabels = slots.filter((s) => localDay(s.start, paris) === '2026-01-05').map((s) => label(s.start, paris));
    expect(mondayLabels).not.toContain('10:00');
    expect(mondayLabels).not.toContain('12:00');
    expect(mondayLabels).toContain('09:30');
    expect(mondayLabels).toContain('11:30');
    expect(mondayLabels).toContain('12:30');
  });

  it('17. rescheduling: with the appointment’s own block left out, its slot is offered again', () => {
    const own = { start: at('2026-01-05T10:00'), end: at('2026-01-05T10:30') };
    const other = { start: at('2026-01-05T11:00'), end: at('2026-01-05T11:30') };
    const base = { zone: paris, ...monday, rules: every([1], 540, 720) };
    expect(local(freeSlots(input({ ...base, blocked: [own, other] })))).toEqual(['09:00', '09:30', '10:30', '11:30']);
    expect(local(freeSlots(input({ ...base, blocked: [other] })))).toEqual(['09:00', '09:30', '10:00', '10:30', '11:30']);
  });

  it('18. 60 minutes every 15: overlapping candidates', () => {
    const slots = freeSlots(input({ zone: paris, ...monday, rules: every([1], 540, 1020), type: { durationMin: 60, slotIntervalMin: 15 } }));
    expect(slots).toHaveLength(29);
    expect(local(slots).slice(0, 5)).toEqual(['09:00', '09:15', '09:30', '09:45', '10:00']);
    expect(local(slots).at(-1)).toBe('16:00');
    expect(slots[1]!.start - slots[0]!.start).toBe(15 * minute);
    expect(slots[0]!.end - slots[0]!.start).toBe(60 * minute);
  });

  it('refuses an unknown zone and a zero interval instead of looping', () => {
    expect(() => freeSlots(input({ zone: 'Mars/Olympus', ...monday }))).toThrow(RangeError);
    expect(() => freeSlots(input({ zone: paris, ...monday, type: { slotIntervalMin: 0 } }))).toThrow(RangeError);
  });

  it('19. property: on seeded random calendars around DST changes, the slots are exactly the brute-force reference’s, inside hours, clear of blocks, after notice', () => {
    const random = mulberry32(20261206);
    for (let n = 0; n < 200; n++) {
      const c = randomCase(random);
      const actual = freeSlots(c);
      const expected = referenceSlots(c);
      const context = `case ${n}: ${JSON.stringify({ ...c, dayCounts: [...c.dayCounts] })}`;
      expect(starts(actual), context).toEqual(starts(expected));
      // A date's slots do not depend on where the asked range starts (the booking re-check asks a narrow one).
      const cut = actual[Math.floor(actual.length / 2)]?.start;
      if (cut !== undefined) {
        expect(starts(freeSlots({ ...c, from: cut })), context).toEqual(starts(actual.filter((s) => s.start >= cut)));
        expect(starts(freeSlots({ ...c, to: cut + 1 })), context).toEqual(starts(actual.filter((s) => s.start <= cut)));
      }
      const open = mergeRef(referenceWindows(c).flat());
      for (const s of actual) {
        expect(s.end - s.start, context).toBe(c.type.durationMin * minute);
        expect(open.some((w) => w.start <= s.start && s.end <= w.end), `${context} ${z(s.start)} outside hours`).toBe(true);
        const widened = { start: s.start - c.type.bufferBeforeMin * minute, end: s.end + c.type.bufferAfterMin * minute };
        for (const b of [...c.blocked, ...c.busy]) expect(b.start < widened.end && widened.start < b.end, `${context} ${z(s.start)} overlaps`).toBe(false);
        expect(s.start >= c.now + (c.ignoreNotice ? 0 : c.type.minNoticeMin * minute) && s.start >= c.from && s.start < c.to, `${context} ${z(s.start)} out of bounds`).toBe(true);
      }
    }
  });
});

// --- Case 19's generator and reference ------------------------------------------------------

/** A small seeded PRNG (mulberry32), so a failing case is reproducible without a dependency. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCase(random: () => number): SlotInput {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // Each zone starts just before one of its 2026 offset changes (or anywhere, for zones without DST).
  const changes: Record<string, string[]> = {
    'America/New_York': ['2026-03-08', '2026-11-01'],
    'America/St_Johns': ['2026-03-08', '2026-11-01'],
    'Europe/London': ['2026-03-29', '2026-10-25'],
    'Europe/Paris': ['2026-03-29', '2026-10-25'],
    'Australia/Lord_Howe': ['2026-04-05', '2026-10-04'],
    'America/Santiago': ['2026-04-05', '2026-09-06'],
    'America/Havana': ['2026-03-08', '2026-11-01'],
    'Asia/Kathmandu': ['2026-01-14'],
    'Pacific/Kiritimati': ['2026-06-10'],
    'UTC': ['2026-02-27'],
  };
  const zone = pick(Object.keys(changes));
  const base = ms(`${pick(changes[zone]!)}T00:00Z`) - Math.floor(random() * 3) * day;
  // Minutes near the usual change times half of the time, any 5-minute mark otherwise;
  // a fifth of the windows run to midnight, so windows of consecutive dates often touch.
  const someMinute = () => (random() < 0.5 ? pick([0, 0, 30, 60, 90, 105, 120, 135, 150, 180, 210, 240, 1320, 1380, 1410]) : Math.floor(random() * 288) * 5);
  const window = () => {
    const a = someMinute();
    const b = random() < 0.2 ? 1440 : Math.min(1440, a + 5 * (1 + Math.floor(random() * (random() < 0.3 ? 24 : 120))));
    return { startMinute: a, endMinute: b };
  };
  const rules = allWeek.flatMap((weekday) => Array.from({ length: pick([0, 1, 1, 2]) }, () => ({ weekday, ...window() })));
  const overrides: SlotInput['overrides'] = [];
  for (let d = 0; d < 5; d++) {
    const date = new Date(base + d * day).toISOString().slice(0, 10);
    const roll = random();
    if (roll < 0.15) overrides.push({ date, startMinute: null, endMinute: null });
    else if (roll < 0.35) for (let i = 0; i < pick([1, 2]); i++) overrides.push({ date, ...window() });
  }
  const from = base - 12 * 3_600_000 + Math.floor(random() * 24) * 3_600_000;
  const to = from + (1 + Math.floor(random() * 3)) * day;
  const someRange = (maxMin: number) => {
    const start = base - day + Math.floor(random() * 6 * 288) * 5 * minute;
    return { start, end: start + 5 * (1 + Math.floor(random() * (maxMin / 5))) * minute };
  };
  const dayCounts = new Map<string, number>();
  for (let d = -1; d < 5; d++) if (random() < 0.3) dayCounts.set(new Date(base + d * day).toISOString().slice(0, 10), pick([0, 1, 2, 3]));
  return {
    zone,
    type: {
      id: 'type',
      durationMin: pick([15, 30, 45, 60, 90]),
      slotIntervalMin: pick([null, null, 5, 10, 15, 20, 30]),
      bufferBeforeMin: pick([0, 0, 5, 15]),
      bufferAfterMin: pick([0, 0, 10, 15]),
      minNoticeMin: pick([0, 30, 120]),
      maxAdvanceDays: pick([1, 2, 3, 60]),
      dailyLimit: pick([null, null, 1, 2, 3]),
    },
    rules,
    overrides,
    blocked: Array.from({ length: pick([0, 1, 3, 6]) }, () => someRange(120)),
    busy: Array.from({ length: pick([0, 1, 3]) }, () => someRange(pick([30, 240, 1440]))),
    dayCounts,
    from,
    to,
    now: from - day + Math.floor(random() * 3 * 288) * 5 * minute,
    ignoreNotice: random() < 0.1,
  };
}

/**
 * The wall clock of every 5-minute instant around the case (all zones here change offset on
 * 5-minute marks), as minutes since 1970-01-01 00:00 wall time, read with Intl.
 */
function wallScan(c: SlotInput): { at: number[]; wall: number[] } {
  const at: number[] = [];
  const wallMinutes: number[] = [];
  for (let t = Math.floor((Math.min(c.from, c.now) - 3 * day) / (5 * minute)) * 5 * minute; t < c.to + 3 * day; t += 5 * minute) {
    const p = wallParts(t, c.zone);
    at.push(t);
    wallMinutes.push(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) / minute);
  }
  return { at, wall: wallMinutes };
}

/**
 * Each local date's windows, by definition rather than offset arithmetic: a window runs from the
 * first instant whose wall clock reaches its start to just after the last instant whose wall
 * clock is still before its end; so repeated wall times widen it and skipped ones open/close it at the jump.
 */
function referenceWindows(c: SlotInput, scan = wallScan(c)): Slot[][] {
  const firstReaching = (w: number) => scan.at[scan.wall.findIndex((x) => x >= w)];
  const lastBefore = (w: number) => scan.at[scan.wall.findLastIndex((x) => x < w)];
  const dates: Slot[][] = [];
  const firstDay = Math.floor(scan.wall[0]! / 1440) + 1;
  const lastDay = Math.floor(scan.wall.at(-1)! / 1440) - 1;
  for (let d = firstDay; d <= lastDay; d++) {
    const iso = new Date(d * day).toISOString().slice(0, 10);
    const weekday = ((new Date(d * day).getUTCDay() + 6) % 7) + 1;
    const own = c.overrides.filter((o) => o.date === iso);
    const rows = own.length > 0 ? own : c.rules.filter((r) => r.weekday === weekday);
    const windows: Slot[] = [];
    for (const r of rows) {
      if (r.startMinute === null || r.endMinute === null) continue;
      const start = firstReaching(d * 1440 + r.startMinute);
      const last = lastBefore(d * 1440 + r.endMinute);
      if (start !== undefined && last !== undefined && start < last + 5 * minute) windows.push({ start, end: last + 5 * minute });
    }
    dates.push(mergeRef(windows));
  }
  return dates;
}

function mergeRef(list: Slot[]): Slot[] {
  const out: Slot[] = [];
  for (const w of [...list].sort((a, b) => a.start - b.start)) {
    const last = out.at(-1);
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else out.push({ ...w });
  }
  return out;
}

/** Brute force over every window's grid, with every rule checked directly. */
function referenceSlots(c: SlotInput): Slot[] {
  const scan = wallScan(c);
  const windows = referenceWindows(c, scan).flat();
  const stretches = mergeRef(windows);
  const duration = c.type.durationMin * minute;
  const step = (c.type.slotIntervalMin ?? c.type.durationMin) * minute;
  const today = Math.floor(scan.wall[scan.at.indexOf(Math.floor(c.now / (5 * minute)) * 5 * minute)]! / 1440);
  const pastLastDay = scan.wall.findIndex((x) => x >= (today + c.type.maxAdvanceDays + 1) * 1440);
  const lower = Math.max(c.from, c.now + (c.ignoreNotice ? 0 : c.type.minNoticeMin * minute));
  const upper = Math.min(c.to, pastLastDay === -1 ? Infinity : scan.at[pastLastDay]!);
  const found = new Set<number>();
  for (const w of windows) {
    const stretch = stretches.find((s) => s.start <= w.start && w.end <= s.end)!;
    for (let s = w.start; s < w.end; s += step) {
      if (s < lower || s >= upper || s + duration > stretch.end) continue;
      const widened = { start: s - c.type.bufferBeforeMin * minute, end: s + duration + c.type.bufferAfterMin * minute };
      if ([...c.blocked, ...c.busy].some((b) => b.start < widened.end && widened.start < b.end)) continue;
      if (c.type.dailyLimit !== null && (c.dayCounts.get(localDay(s, c.zone)) ?? 0) >= c.type.dailyLimit) continue;
      found.add(s);
    }
  }
  return [...found].sort((a, b) => a - b).map((start) => ({ start, end: start + duration }));
}
