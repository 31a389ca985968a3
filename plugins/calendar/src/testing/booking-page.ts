// A public booking page as its visitor uses it over HTTP (booking and payment tests): a
// tenant's calendar with a public consultation, the anonymous visitor's requests, and the
// slots and form token a booking starts from.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Soshogle } from '@soshogle/core';
import { expectJson, signedInUser, type TestClient } from '@soshogle/core/testing';

const api = '/api/calendar';

export interface BookingPage {
  owner: TestClient;
  slug: string;
  calendarId: string;
  typeId: string;
}

export interface Slots {
  calendarTimeZone: string;
  timeZone: string;
  days: { date: string; slots: { start: string; end: string; time: string }[] }[];
  formToken: string;
}

export function bookingPageOn(soshogle: Soshogle) {
  /** A tenant's New York calendar open 09:00–17:00 every day, with a public 30-minute consultation (`type` adds to it). */
  async function page(type: Record<string, unknown> = {}): Promise<BookingPage> {
    const owner = await signedInUser(soshogle);
    const cal = await expectJson<{ id: string; publicSlug: string }>(
      await owner.request('POST', `${api}/calendars`, { name: 'Dr Ada', timeZone: 'America/New_York', pageIntro: 'Book a visit', consentText: 'Remind me' }),
      201,
    );
    await expectJson(await owner.request('PUT', `${api}/calendars/${cal.id}/hours`, { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })) }), 200);
    const made = await expectJson<{ id: string }>(
      await owner.request('POST', `${api}/calendars/${cal.id}/types`, { name: 'Consultation', slug: 'consultation', durationMin: 30, minNoticeMin: 0, ...type }),
      201,
    );
    return { owner, slug: cal.publicSlug, calendarId: cal.id, typeId: made.id };
  }

  /** The anonymous visitor: no cookie, no CSRF token. */
  const visit = (method: string, path: string, body?: unknown) =>
    fetch(`${soshogle.url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });

  /** Free starts of the page's `type` from two days on, and a form token old enough to book with. */
  async function ready(p: BookingPage, type = 'consultation') {
    const from = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const slots = await expectJson<Slots>(await visit('GET', `${api}/public/pages/${p.slug}/types/${type}/slots?from=${from}&tz=Europe/Paris`), 200);
    // A person takes more than 2 seconds to fill the form; a faster one is a bot.
    await sleep(2_100);
    return { starts: slots.days.flatMap((d) => d.slots.map((s) => s.start)), formToken: slots.formToken };
  }

  return { page, visit, ready };
}
