// Problems that carry what the client needs to act (RFC 9457 extension members), and the
// database's refusals that are the client's doing: an overlap an exclusion constraint
// refuses (23P01) is told apart wherever it surfaces, a CHECK constraint's refusal (23514)
// is a 422, never a 500.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRoute, definePlugin } from '../plugin.ts';
import { expectJson, signedInUser, startTestSoshogle } from '../testing/index.ts';
import { tenantSql } from '../tenant-sql.ts';
import { dataProblem, isExclusionViolation } from './data-errors.ts';
import { Problem } from './problem.ts';

const hour = 3_600_000;
const at = (h: number) => new Date(Date.UTC(2030, 0, 7, h));
const slots = [{ start: at(11).toISOString(), end: at(12).toISOString() }];

const booking = definePlugin({
  name: 'booking',
  displayName: 'Booking',
  description: 'Appointments that cannot overlap, for this test',
  routes: [
    defineRoute({
      method: 'POST',
      path: '/taken',
      summary: 'Refuses with the free slots beside the refusal',
      response: z.object({}),
      handler: () => {
        throw new Problem(409, 'Conflict', 'That time was just booked', { extensions: { slots } });
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/calendars/:id/appointments',
      summary: 'Books without catching an overlap or a backwards range',
      params: z.object({ id: z.string().max(40) }),
      body: z.object({ start: z.iso.datetime(), end: z.iso.datetime() }),
      response: z.object({ id: z.string() }),
      status: 201,
      handler: ({ db, tenantId, params, body }) => {
        const [start, end] = [new Date(body.start), new Date(body.end)];
        const data = { userId: tenantId, calendarId: params.id, title: 'Visit', startTime: start, endTime: end, blockStart: start, blockEnd: end };
        return db.appointment.create({ data, select: { id: true } });
      },
    }),
  ],
});

const soshogle = await startTestSoshogle([booking]);
const db = soshogle.db;
const user = await signedInUser(soshogle);
const calendar = await db.calendar.create({ data: { userId: user.userId, name: 'Chair', timeZone: 'UTC', publicSlug: `chair-${user.userId}` } });
const appointment = (start: Date, end: Date) => ({
  userId: user.userId,
  calendarId: calendar.id,
  title: 'Visit',
  startTime: start,
  endTime: end,
  blockStart: start,
  blockEnd: end,
});
await db.appointment.create({ data: appointment(at(9), at(10)) });

describe('problem extensions', () => {
  it('sends extension members beside the standard ones', async () => {
    const res = await user.request('POST', '/api/booking/taken', {});
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await expectJson(res, 409)).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'That time was just booked',
      instance: '/api/booking/taken',
      requestId: expect.any(String),
      slots,
    });
  });

  it('refuses extensions named like a standard member', () => {
    expect(() => new Problem(409, 'Conflict', 'x', { extensions: { status: 200 } })).toThrow(/status/);
    expect(() => new Problem(409, 'Conflict', 'x', { extensions: { errors: [] } })).toThrow(/errors/);
  });
});

describe('an overlap the database refuses (23P01)', () => {
  const overlapping = () => appointment(new Date(at(9).getTime() + hour / 2), new Date(at(10).getTime() + hour / 2));
  const caught = (work: () => Promise<unknown>) => work().then(() => null, (e: unknown) => e);

  it('is recognised from a model query, an interactive transaction, raw SQL and plain pg', async () => {
    const t = tenantSql(user.userId);
    const o = overlapping();
    const errors = {
      model: await caught(() => db.appointment.create({ data: overlapping() })),
      transaction: await caught(() => db.$transaction(async (tx) => tx.appointment.create({ data: overlapping() }))),
      raw: await caught(() =>
        db.$executeRaw(t`insert into "Appointment" ("id", "userId", "calendarId", "title", "startTime", "endTime", "blockStart", "blockEnd", "updatedAt")
          values ('raw-overlap', ${t.id}, ${calendar.id}, 'Visit', ${o.startTime}, ${o.endTime}, ${o.blockStart}, ${o.blockEnd}, now())`),
      ),
      pg: await (async () => {
        const client = new pg.Client({ connectionString: soshogle.databaseUrl });
        await client.connect();
        try {
          return await caught(() =>
            client.query(
              `insert into "Appointment" ("id", "userId", "calendarId", "title", "startTime", "endTime", "blockStart", "blockEnd", "updatedAt") values ('pg-overlap', $1, $2, 'Visit', $3, $4, $3, $4, now())`,
              [user.userId, calendar.id, o.startTime, o.endTime],
            ),
          );
        } finally {
          await client.end();
        }
      })(),
    };
    expect(Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, isExclusionViolation(e)]))).toEqual({ model: true, transaction: true, raw: true, pg: true });
  });

  it('is not mistaken for other refusals', async () => {
    const duplicate = await caught(() => db.calendar.create({ data: { userId: user.userId, name: 'Again', timeZone: 'UTC', publicSlug: calendar.publicSlug } }));
    expect(duplicate).not.toBeNull();
    expect(isExclusionViolation(duplicate)).toBe(false);
    expect(isExclusionViolation(new Error('23P01'))).toBe(false);
    expect(isExclusionViolation(null)).toBe(false);
  });

  it('answers 409 when a route lets it through, and stores nothing', async () => {
    const before = await db.appointment.count();
    const res = await user.request('POST', `/api/booking/calendars/${calendar.id}/appointments`, { start: at(9).toISOString(), end: at(10).toISOString() });
    expect(await expectJson(res, 409)).toMatchObject({ title: 'Conflict', detail: 'This overlaps another record' });
    expect(await db.appointment.count()).toBe(before);
    // Back to back is no overlap.
    await expectJson(await user.request('POST', `/api/booking/calendars/${calendar.id}/appointments`, { start: at(10).toISOString(), end: at(11).toISOString() }), 201);
  });
});

describe('a row a CHECK constraint refuses (23514)', () => {
  it('is a 422, not a 500', async () => {
    const res = await user.request('POST', `/api/booking/calendars/${calendar.id}/appointments`, { start: at(15).toISOString(), end: at(14).toISOString() });
    expect(await expectJson(res, 422)).toMatchObject({ title: 'Validation failed', detail: expect.stringMatching(/contradict/) });
    const error = await db.appointment.create({ data: appointment(at(16), at(16)) }).catch((e: unknown) => e);
    expect(dataProblem(error)).toMatchObject({ status: 422 });
    expect(isExclusionViolation(error)).toBe(false);
  });
});
