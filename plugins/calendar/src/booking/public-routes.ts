// The public booking page's API (design §3.1). No one signs in: each route finds its tenant
// from the page's slug (page.ts), and everything it reads or writes goes through that
// tenant's scoped db. Slot reads and bookings are rate limited per IP and per calendar.
import { defineRoute, issueFormToken, type AnyRoute } from '@soshogle/core';
import { calendarConfig } from '../config.ts';
import { holdMinutes, isPriced } from '../payment/request.ts';
import { freeSlots } from '../slots/engine.ts';
import { pageSlotInput } from '../slots/cache.ts';
import { slotsByDay } from '../slots/present.ts';
import { questionsOf } from './answers.ts';
import { bookOnPage } from './book.ts';
import { limitReads } from './limits.ts';
import { openPage, pageTenant, typeNotOnPage } from './page.ts';
import { booked, bookingBody, pageParams, publicPage, publicSlots, slotsQuery, typeParams } from './schemas.ts';
import { formTokenPurpose } from './book.ts';

const dayMs = 86_400_000;

const pageRoute = defineRoute({
  config: calendarConfig,
  method: 'GET',
  path: '/public/pages/:slug',
  summary: "A calendar's booking page: its name, intro, zone, consent text and the types it offers",
  access: 'public',
  params: pageParams,
  response: publicPage,
  tenant: pageTenant,
  async handler({ db, params }) {
    const calendar = await openPage(db, params.slug);
    const types = await db.appointmentType.findMany({
      where: { calendarId: calendar.id, isPublic: true, active: true },
      orderBy: [{ position: 'asc' }, { name: 'asc' }],
    });
    return {
      name: calendar.name,
      title: calendar.pageTitle,
      intro: calendar.pageIntro,
      timeZone: calendar.timeZone,
      consentText: calendar.consentText,
      types: types.map((t) => ({
        slug: t.slug, name: t.name, description: t.description, durationMin: t.durationMin, locationKind: t.locationKind, questions: questionsOf(t.questions),
        ...(isPriced(t) ? { price: t.price, currency: t.currency, paymentHoldMinutes: holdMinutes(t) } : { price: null, currency: null, paymentHoldMinutes: null }),
      })),
    };
  },
});

const slotsRoute = defineRoute({
  config: calendarConfig,
  method: 'GET',
  path: '/public/pages/:slug/types/:typeSlug/slots',
  summary: "Free start times of a type on a booking page, by local date in the booker's zone (`tz`), and the form token to book with",
  access: 'public',
  params: typeParams,
  query: slotsQuery,
  response: publicSlots,
  tenant: pageTenant,
  async handler(ctx) {
    const { db, params, query } = ctx;
    await limitReads(ctx, ctx.http.ip);
    const from = query.from ?? new Date();
    const to = query.to ?? new Date(+from + 7 * dayMs);
    // The page, its type and the slots' input: one small statement while the calendar is unchanged.
    const found = await pageSlotInput(db, ctx.tenantId, params, { from, to });
    if (!found) return typeNotOnPage(db, params.slug);
    const { calendarId, input } = found;
    const zone = query.tz ?? input.zone;
    return {
      calendarTimeZone: input.zone,
      timeZone: zone,
      days: slotsByDay(freeSlots(input), zone),
      formToken: issueFormToken(ctx.secrets, calendarId, { purpose: formTokenPurpose }),
    };
  },
});

const bookRoute = defineRoute({
  config: calendarConfig,
  method: 'POST',
  path: '/public/pages/:slug/bookings',
  summary: 'Book a slot on a booking page: the contact is found or made, a confirmation with the manage link is emailed; 409 with fresh slots when the time was just taken',
  access: 'public',
  params: pageParams,
  body: bookingBody,
  response: booked,
  status: 201,
  tenant: pageTenant,
  handler: (ctx) => bookOnPage(ctx, { slug: ctx.params.slug, body: ctx.body, ip: ctx.http.ip }),
});

export const publicRoutes: AnyRoute[] = [pageRoute, slotsRoute, bookRoute];
