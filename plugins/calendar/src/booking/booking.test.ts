// The public booking page end to end, as an anonymous visitor uses it over HTTP: the page,
// its slots in the visitor's zone, booking (contact found or made, confirmation, reminders,
// manage link), spam defences, and the manage link's reschedule and cancel. The calendar is
// set up by its owner through the admin API.
import { importPlugins } from '@soshogle/core';
import { expectJson, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import calendar from '../index.ts';

const plugins = await importPlugins(['@soshogle/plugin-crm', '@soshogle/plugin-messaging']);
const soshogle = await startTestSoshogle([...plugins, calendar], { CALENDAR_WEBHOOK_SECRET: 'booking-test-secret-0123456789' });
const { db } = soshogle;
const api = '/api/calendar';

interface Page {
  owner: TestClient;
  slug: string;
  calendarId: string;
  typeId: string;
}

/** A tenant's New York calendar open 09:00–17:00 every day, with a public 30-minute consultation. */
async function page(type: Record<string, unknown> = {}): Promise<Page> {
  const owner = await signedInUser(soshogle);
  const cal = await expectJson<{ id: string; publicSlug: string }>(
    await owner.request('POST', `${api}/calendars`, { name: 'Dr Ada', timeZone: 'America/New_York', pageIntro: 'Book a visit', consentText: 'Remind me' }),
    201,
  );
  await expectJson(await owner.request('PUT', `${api}/calendars/${cal.id}/hours`, { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })) }), 200);
  const made = await expectJson<{ id: string }>(
    await owner.request('POST', `${api}/calendars/${cal.id}/types`, {
      name: 'Consultation', slug: 'consultation', durationMin: 30, minNoticeMin: 0, reminders: [{ offsetMin: 60, channel: 'EMAIL' }, { offsetMin: 120, channel: 'SMS' }], ...type,
    }),
    201,
  );
  return { owner, slug: cal.publicSlug, calendarId: cal.id, typeId: made.id };
}

/** The anonymous visitor: no cookie, no CSRF token. */
const visit = (method: string, path: string, body?: unknown) =>
  fetch(`${soshogle.url}${api}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });

interface Slots {
  calendarTimeZone: string;
  timeZone: string;
  days: { date: string; slots: { start: string; end: string; time: string }[] }[];
  formToken: string;
}

describe('the page', () => {
  it('shows the calendar and its public, active types only', async () => {
    const p = await page();
    await expectJson(await p.owner.request('POST', `${api}/calendars/${p.calendarId}/types`, { name: 'Private', slug: 'private', durationMin: 30, isPublic: false }), 201);
    await expectJson(await p.owner.request('POST', `${api}/calendars/${p.calendarId}/types`, { name: 'Retired', slug: 'retired', durationMin: 30, active: false }), 201);
    const shown = await expectJson<{ name: string; intro: string; timeZone: string; consentText: string; types: { slug: string }[] }>(await visit('GET', `/public/pages/${p.slug}`), 200);
    expect(shown).toMatchObject({ name: 'Dr Ada', intro: 'Book a visit', timeZone: 'America/New_York', consentText: 'Remind me' });
    expect(shown.types.map((t) => t.slug)).toEqual(['consultation']);
    expect((await visit('GET', `/public/pages/${p.slug}/types/private/slots`)).status).toBe(404);
  });

  it('is a 404 once booking is off, and for an unknown slug', async () => {
    const p = await page();
    await expectJson(await p.owner.request('PATCH', `${api}/calendars/${p.calendarId}`, { bookingEnabled: false }), 200);
    expect((await visit('GET', `/public/pages/${p.slug}`)).status).toBe(404);
    expect((await visit('GET', '/public/pages/no-such-page')).status).toBe(404);
  });

  it("lists free slots by the visitor's local date, labelled in their zone, with a form token", async () => {
    const p = await page();
    const from = new Date(Date.now() + 2 * 86_400_000);
    const to = new Date(+from + 2 * 86_400_000);
    const q = (tz: string) => `?from=${from.toISOString()}&to=${to.toISOString()}&tz=${encodeURIComponent(tz)}`;
    const ny = await expectJson<Slots>(await visit('GET', `/public/pages/${p.slug}/types/consultation/slots${q('America/New_York')}`), 200);
    const tokyo = await expectJson<Slots>(await visit('GET', `/public/pages/${p.slug}/types/consultation/slots${q('Asia/Tokyo')}`), 200);
    expect(ny.calendarTimeZone).toBe('America/New_York');
    expect(tokyo.timeZone).toBe('Asia/Tokyo');
    // The same instants, labelled 09:00 in New York and 22:00 or 23:00 in Tokyo.
    const starts = (s: Slots) => s.days.flatMap((d) => d.slots.map((x) => x.start));
    expect(starts(tokyo)).toEqual(starts(ny));
    const first = ny.days.find((d) => d.slots[0]?.time === '09:00')!.slots[0]!;
    const inTokyo = tokyo.days.flatMap((d) => d.slots).find((s) => s.start === first.start)!;
    expect(['22:00', '23:00']).toContain(inTokyo.time);
    expect(ny.formToken).toMatch(/^\d+\.[\w-]+$/);

    const bad = await expectJson<{ errors: { field: string }[] }>(await visit('GET', `/public/pages/${p.slug}/types/consultation/slots?tz=Mars/Olympus`), 422);
    expect(bad.errors.map((e) => e.field)).toEqual(['query.tz']);
    const long = `?from=${from.toISOString()}&to=${new Date(+from + 43 * 86_400_000).toISOString()}`;
    expect((await expectJson<{ errors: { field: string }[] }>(await visit('GET', `/public/pages/${p.slug}/types/consultation/slots${long}`), 422)).errors.map((e) => e.field)).toEqual(['query.to']);
  });

  it("never shows another tenant's type under a page's slug", async () => {
    const mine = await page();
    const theirs = await page({ slug: 'theirs' });
    expect((await visit('GET', `/public/pages/${mine.slug}/types/theirs/slots`)).status).toBe(404);
    expect((await visit('GET', `/public/pages/${theirs.slug}/types/theirs/slots`)).status).toBe(200);
    expect(await db.appointment.count()).toBe(0);
  });
});
