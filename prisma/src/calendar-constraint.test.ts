// No double booking is the database's job (prisma/schema/calendar.sql): two active
// appointments of one calendar never overlap in their blocked time, whatever the timing of
// the transactions that write them.
import { createTestDatabase } from '@soshogle/db/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from './client.ts';

const url = await createTestDatabase();
const admin = new pg.Client({ connectionString: url });
let userId = '';
let calendarId = '';
let otherCalendarId = '';
let n = 0;

interface Slot {
  calendarId?: string | null;
  status?: string;
  /** Wall-clock UTC, e.g. '2027-01-04 10:00' (the columns are timestamp without time zone). */
  start: string;
  end: string;
  blockStart?: string;
  blockEnd?: string;
}

function insert(client: pg.Client, slot: Slot) {
  n += 1;
  return client.query(
    `insert into "Appointment" (id, "userId", "calendarId", title, status, "startTime", "endTime", "blockStart", "blockEnd", "updatedAt")
     values ($1, $2, $3, 'Cleaning', $4, $5, $6, $7, $8, now()) returning id`,
    [`appt-${n}`, userId, slot.calendarId === undefined ? calendarId : slot.calendarId, slot.status ?? 'SCHEDULED', slot.start, slot.end, slot.blockStart ?? slot.start, slot.blockEnd ?? slot.end],
  );
}

/** The SQLSTATE an insert fails with, or 'ok'. */
async function outcome(slot: Slot): Promise<string> {
  try {
    await insert(admin, slot);
    return 'ok';
  } catch (e) {
    return (e as { code: string }).code;
  }
}

beforeAll(async () => {
  await admin.connect();
  userId = (await admin.query(`insert into "User" (id, email, "updatedAt") values ('u-cal', 'cal@example.test', now()) returning id`)).rows[0].id;
  const calendar = (name: string) =>
    admin.query(`insert into "Calendar" (id, "userId", name, "timeZone", "publicSlug", "updatedAt") values ($1, $2, $1, 'UTC', $1, now()) returning id`, [name, userId]);
  calendarId = (await calendar('chair-1')).rows[0].id;
  otherCalendarId = (await calendar('chair-2')).rows[0].id;
});
afterAll(() => admin.end());

describe('no double booking (Appointment_no_overlap)', () => {
  /** 20 transactions on their own connections, all in flight at once, each inserting the same slot. */
  async function race(beforeInsert?: (c: pg.Client) => Promise<unknown>, start = '2027-01-04 10:00', end = '2027-01-04 10:30') {
    const clients = Array.from({ length: 20 }, () => new pg.Client({ connectionString: url }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const results = await Promise.allSettled(
        clients.map(async (c) => {
          await c.query('begin');
          try {
            await beforeInsert?.(c);
            await insert(c, { start, end });
            await c.query('commit');
          } catch (e) {
            await c.query('rollback');
            throw e;
          }
        }),
      );
      const rows = await admin.query(`select count(*)::int as count from "Appointment" where "startTime" = $1`, [start]);
      return {
        committed: results.filter((r) => r.status === 'fulfilled').length,
        codes: results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code: string }).code] : [])),
        rows: rows.rows[0].count as number,
      };
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  }

  it('of 20 concurrent bookings of one slot, exactly one commits; the others are refused', async () => {
    const { committed, codes, rows } = await race();
    expect(committed).toBe(1);
    expect(rows).toBe(1);
    // An exclusion constraint is checked after the row is in: two inserts that see each
    // other's uncommitted row wait on each other, and Postgres breaks the cycle with 40P01.
    // Either way the loser's transaction is rolled back.
    expect(codes).toHaveLength(19);
    expect(codes.every((code) => code === '23P01' || code === '40P01')).toBe(true);
  });

  it('behind a per-calendar lock, every loser gets 23P01 (the deadlock is an artefact of racing checks)', async () => {
    const { committed, codes } = await race(
      (c) => c.query(`select pg_advisory_xact_lock(hashtext('calendar-book:' || $1))`, [calendarId]),
      '2027-01-11 10:00', '2027-01-11 10:30',
    );
    expect(committed).toBe(1);
    expect(codes).toEqual(Array(19).fill('23P01'));
  });

  it('lets back-to-back, another calendar, and appointments that are not active share the time', async () => {
    await insert(admin, { start: '2027-01-05 10:00', end: '2027-01-05 10:30' });
    expect(await outcome({ start: '2027-01-05 10:30', end: '2027-01-05 11:00' })).toBe('ok');
    expect(await outcome({ start: '2027-01-05 09:30', end: '2027-01-05 10:00' })).toBe('ok');
    expect(await outcome({ start: '2027-01-05 10:00', end: '2027-01-05 10:30', calendarId: otherCalendarId })).toBe('ok');
    for (const status of ['CANCELLED', 'COMPLETED', 'NO_SHOW']) {
      expect(await outcome({ start: '2027-01-05 10:00', end: '2027-01-05 10:30', status })).toBe('ok');
    }
    // Rows from before the calendar plugin belong to no calendar and block nothing.
    expect(await outcome({ start: '2027-01-05 10:00', end: '2027-01-05 10:30', calendarId: null })).toBe('ok');
    // A CONFIRMED one blocks like a SCHEDULED one.
    expect(await outcome({ start: '2027-01-05 10:15', end: '2027-01-05 10:45', status: 'CONFIRMED' })).toBe('23P01');
  });

  it('compares blocked time, so buffers stack', async () => {
    // 10:00-10:30 with 10 minutes after it blocks until 10:40.
    await insert(admin, { start: '2027-01-06 10:00', end: '2027-01-06 10:30', blockEnd: '2027-01-06 10:40' });
    // 10:45 with 10 minutes before it would block from 10:35: taken.
    expect(await outcome({ start: '2027-01-06 10:45', end: '2027-01-06 11:15', blockStart: '2027-01-06 10:35' })).toBe('23P01');
    // 10:50 with 10 minutes before it blocks from 10:40: free.
    expect(await outcome({ start: '2027-01-06 10:50', end: '2027-01-06 11:20', blockStart: '2027-01-06 10:40' })).toBe('ok');
  });

  it('refuses to re-activate a cancelled appointment whose time was booked since', async () => {
    const cancelled = await insert(admin, { start: '2027-01-07 10:00', end: '2027-01-07 10:30', status: 'CANCELLED' });
    await insert(admin, { start: '2027-01-07 10:00', end: '2027-01-07 10:30' });
    await expect(admin.query(`update "Appointment" set status = 'SCHEDULED' where id = $1`, [cancelled.rows[0].id])).rejects.toMatchObject({ code: '23P01' });
  });

  it('reaches Prisma as P2039 with the SQLSTATE in meta.driverAdapterError.cause.originalCode', async () => {
    const db = createPrismaClient(url, { max: 1 });
    try {
      await insert(admin, { start: '2027-01-08 10:00', end: '2027-01-08 10:30' });
      const start = new Date('2027-01-08T10:15:00Z');
      const end = new Date('2027-01-08T10:45:00Z');
      const error = await db.appointment
        .create({ data: { userId, calendarId, title: 'Overlap', startTime: start, endTime: end, blockStart: start, blockEnd: end } })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'P2039', meta: { driverAdapterError: { cause: { originalCode: '23P01' } } } });
      // Prisma writes DateTime as UTC wall clock into timestamp(3): the same instants the constraint compares.
      const free = new Date('2027-01-08T10:30:00Z');
      const ok = await db.appointment.create({
        data: { userId, calendarId, title: 'Next', startTime: free, endTime: end, blockStart: free, blockEnd: end },
      });
      const stored = await admin.query(`select to_char("startTime", 'YYYY-MM-DD HH24:MI') as start from "Appointment" where id = $1`, [ok.id]);
      expect(stored.rows[0].start).toBe('2027-01-08 10:30');
    } finally {
      await db.$disconnect();
    }
  });
});

describe('times (Appointment_times_check)', () => {
  it('refuses an appointment that does not end after it starts, or whose blocked time does not cover it', async () => {
    expect(await outcome({ start: '2027-02-01 10:00', end: '2027-02-01 10:00' })).toBe('23514');
    expect(await outcome({ start: '2027-02-01 10:00', end: '2027-02-01 09:00' })).toBe('23514');
    expect(await outcome({ start: '2027-02-01 10:00', end: '2027-02-01 10:30', blockStart: '2027-02-01 10:05' })).toBe('23514');
    expect(await outcome({ start: '2027-02-01 10:00', end: '2027-02-01 10:30', blockEnd: '2027-02-01 10:25' })).toBe('23514');
  });
});
