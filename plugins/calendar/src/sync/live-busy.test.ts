// The live busy check at booking, through the Google fake: time made busy remotely since the
// last read-in is refused with the 409 and its fresh slots (and read in), while a provider
// error or a provider slower than the check's limit lets the booking through on the synced data.
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, expectJson, queueSettled, signedInUser } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { startSyncServer } from '../testing/sync-server.ts';

const { soshogle, google, connect } = await startSyncServer({ microsoft: false });
const api = '/api/calendar';
const minute = 60_000;

const visit = (method: string, path: string, body?: unknown) =>
  fetch(`${soshogle.url}${api}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
const visitor = (formToken: string, start: string, email: string) => ({
  typeSlug: 'consultation', start, timeZone: 'UTC', name: 'Grace Hopper', email, consent: { email: true, sms: false }, formToken,
});

describe('the live busy check at booking', () => {
  it('refuses time busy in the connected calendar that is not read in yet, and books on the synced data when the provider fails or is slow', async () => {
    const owner = await signedInUser(soshogle);
    const cal = await expectJson<{ id: string; publicSlug: string }>(await owner.request('POST', `${api}/calendars`, { name: 'Chair', timeZone: 'UTC' }), 201);
    await expectJson(await owner.request('PUT', `${api}/calendars/${cal.id}/hours`, { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })) }), 200);
    await expectJson(await owner.request('POST', `${api}/calendars/${cal.id}/types`, { name: 'Consultation', slug: 'consultation', durationMin: 30, minNoticeMin: 0 }), 201);
    const connection = await connect(owner, 'google');
    const primary = connection.externalCalendars.find((c) => c.remoteId === google.primaryId)!;
    await expectJson(await owner.request('PATCH', `${api}/external-calendars/${primary.id}`, { blocksCalendarId: cal.id }), 200);
    await eventually(async () => (await soshogle.db.externalCalendar.findUniqueOrThrow({ where: { id: primary.id } })).syncToken);
    await queueSettled(soshogle);

    const from = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const page = await expectJson<{ days: { slots: { start: string }[] }[]; formToken: string }>(await visit('GET', `/public/pages/${cal.publicSlug}/types/consultation/slots?from=${from}&tz=UTC`), 200);
    const starts = page.days.flatMap((d) => d.slots.map((s) => s.start));
    await sleep(2_100); // a person takes longer than 2 s to fill the form
    const busyAt = (start: string) => google.addBusy(google.primaryId, { start: new Date(start), end: new Date(+new Date(start) + 30 * minute), summary: 'Made on the phone' });
    const book = (start: string, email: string) => visit('POST', `/public/pages/${cal.publicSlug}/bookings`, visitor(page.formToken, start, email));

    // Busy remotely, not read in: 409 with fresh slots without it, and the read-in follows.
    busyAt(starts[0]!);
    google.reset();
    const taken = await expectJson<{ errors: { field: string }[]; slots: { start: string }[] }>(await book(starts[0]!, 'a@example.test'), 409);
    expect(taken.errors.map((e) => e.field)).toEqual(['start']);
    expect(taken.slots.map((s) => s.start)).not.toContain(starts[0]);
    expect(taken.slots.map((s) => s.start)).toContain(starts[1]);
    expect(google.requests.filter((r) => r.path === '/calendar/v3/freeBusy').map((r) => r.body)).toEqual([
      { timeMin: starts[0], timeMax: new Date(+new Date(starts[0]!) + 30 * minute).toISOString(), items: [{ id: google.primaryId }] },
    ]);
    await eventually(async () => soshogle.db.externalBusyBlock.findFirst({ where: { externalCalendarId: primary.id, start: new Date(starts[0]!) } }));
    await queueSettled(soshogle);

    // A provider error, then a provider slower than the check: the booking goes on the synced data.
    busyAt(starts[2]!);
    google.fail({ method: 'POST', path: '/calendar/v3/freeBusy' }, { status: 503, body: { error: { code: 503, message: 'Backend Error' } } });
    await expectJson(await book(starts[2]!, 'b@example.test'), 201);
    busyAt(starts[4]!);
    google.fail({ method: 'POST', path: '/calendar/v3/freeBusy' }, { delayMs: 4_000 });
    await expectJson(await book(starts[4]!, 'c@example.test'), 201);
    expect(google.requests.filter((r) => r.path === '/calendar/v3/freeBusy').map((r) => r.status)).toEqual([200, 503, 0]);
  });
});
