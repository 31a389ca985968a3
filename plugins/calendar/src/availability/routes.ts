// The availability API under /api/calendar: calendars, weekly hours, date overrides,
// appointment types, and the free slots of a type (the admin view: minimum notice ignored).
// Handlers only parse and shape; the rules live in service.ts and the slot engine.
import { defineRoute, itemsOf, noContent, type AnyRoute } from '@soshogle/core';
import { z } from 'zod';
import { loadFreeSlots } from '../slots/load.ts';
import { takesPayments } from '../payment/request.ts';
import { slotsByDay } from '../slots/present.ts';
import {
  calendarInput,
  calendarPatch,
  calendarResponse,
  hoursInput,
  localDay,
  overrideInput,
  overrideResponse,
  rowId,
  slotDaysResponse,
  slotsQuery,
  typeInput,
  typePatch,
  typeResponse,
} from './schemas.ts';
import {
  calendarDetail,
  clearOverride,
  createCalendar,
  createType,
  deleteCalendar,
  deleteType,
  listCalendars,
  listOverrides,
  listTypes,
  setHours,
  setOverride,
  typeDetail,
  updateCalendar,
  updateType,
} from './service.ts';

const idParams = z.object({ id: rowId });
const dateParams = z.object({ id: rowId, date: localDay });

const listCalendarsRoute = defineRoute({
  method: 'GET',
  path: '/calendars',
  summary: 'The calendars, oldest first, with their weekly hours; archived ones with `archived=true`',
  query: z.object({ archived: z.stringbool().default(false) }),
  response: itemsOf(calendarResponse),
  handler: async ({ db, query }) => ({ items: await listCalendars(db, query.archived) }),
});

const createCalendarRoute = defineRoute({
  method: 'POST',
  path: '/calendars',
  summary: 'Create a calendar (no hours yet: set them with PUT /calendars/:id/hours)',
  status: 201,
  body: calendarInput,
  response: calendarResponse,
  handler: (ctx) =>
    ctx.db.$transaction(async (tx) => {
      const calendar = await createCalendar(tx, ctx.tenantId, ctx.body);
      return calendarDetail(tx, calendar.id);
    }),
});

const getCalendarRoute = defineRoute({
  method: 'GET',
  path: '/calendars/:id',
  summary: 'A calendar with its weekly hours',
  params: idParams,
  response: calendarResponse,
  handler: ({ db, params }) => calendarDetail(db, params.id),
});

const updateCalendarRoute = defineRoute({
  method: 'PATCH',
  path: '/calendars/:id',
  summary: 'Change a calendar: its name, zone, booking page, write target; archive it; a new page address',
  params: idParams,
  body: calendarPatch,
  response: calendarResponse,
  handler: (ctx) =>
    ctx.db.$transaction(async (tx) => {
      await updateCalendar(tx, ctx.params.id, ctx.body);
      return calendarDetail(tx, ctx.params.id);
    }),
});

const deleteCalendarRoute = defineRoute({
  method: 'DELETE',
  path: '/calendars/:id',
  summary: 'Delete a calendar that never had appointments (409 otherwise: archive it)',
  params: idParams,
  response: noContent,
  handler: (ctx) => ctx.db.$transaction((tx) => deleteCalendar(tx, ctx.params.id)),
});

const hoursRoute = defineRoute({
  method: 'PUT',
  path: '/calendars/:id/hours',
  summary: "Replace the weekly hours (minutes of the day in the calendar's zone; several rows of a weekday are split shifts)",
  params: idParams,
  body: hoursInput,
  response: calendarResponse,
  handler: (ctx) =>
    ctx.db.$transaction(async (tx) => {
      await setHours(tx, ctx.tenantId, ctx.params.id, ctx.body);
      return calendarDetail(tx, ctx.params.id);
    }),
});

const listOverridesRoute = defineRoute({
  method: 'GET',
  path: '/calendars/:id/overrides',
  summary: 'The dates whose hours replace the weekly hours, between two dates (at most a year)',
  params: idParams,
  query: z
    .object({ from: localDay, to: localDay })
    .refine((q) => q.from <= q.to, { message: 'Must not be before "from"', path: ['to'] })
    .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { message: 'At most a year after "from"', path: ['to'] }),
  response: itemsOf(overrideResponse),
  handler: async ({ db, params, query }) => ({ items: await listOverrides(db, params.id, query.from, query.to) }),
});

const setOverrideRoute = defineRoute({
  method: 'PUT',
  path: '/calendars/:id/overrides/:date',
  summary: "Set one date's hours (no windows: closed that day), replacing its weekly hours",
  params: dateParams,
  body: overrideInput,
  response: overrideResponse,
  handler: (ctx) => ctx.db.$transaction((tx) => setOverride(tx, ctx.tenantId, ctx.params.id, ctx.params.date, ctx.body)),
});

const clearOverrideRoute = defineRoute({
  method: 'DELETE',
  path: '/calendars/:id/overrides/:date',
  summary: 'The date follows the weekly hours again',
  params: dateParams,
  response: noContent,
  handler: (ctx) => ctx.db.$transaction((tx) => clearOverride(tx, ctx.params.id, ctx.params.date)),
});

const listTypesRoute = defineRoute({
  method: 'GET',
  path: '/calendars/:id/types',
  summary: 'The appointment types of a calendar, in their order',
  params: idParams,
  response: itemsOf(typeResponse),
  handler: async ({ db, params }) => ({ items: await listTypes(db, params.id) }),
});

const createTypeRoute = defineRoute({
  method: 'POST',
  path: '/calendars/:id/types',
  summary: 'Add an appointment type to a calendar (its slug defaults to the name)',
  status: 201,
  params: idParams,
  body: typeInput,
  response: typeResponse,
  handler: (ctx) => ctx.db.$transaction((tx) => createType(tx, ctx.tenantId, ctx.params.id, ctx.body, takesPayments(ctx))),
});

const getTypeRoute = defineRoute({
  method: 'GET',
  path: '/types/:id',
  summary: 'An appointment type',
  params: idParams,
  response: typeResponse,
  handler: ({ db, params }) => typeDetail(db, params.id),
});

const updateTypeRoute = defineRoute({
  method: 'PATCH',
  path: '/types/:id',
  summary: 'Change an appointment type (booked appointments keep their times)',
  params: idParams,
  body: typePatch,
  response: typeResponse,
  handler: (ctx) => ctx.db.$transaction((tx) => updateType(tx, ctx.params.id, ctx.body, takesPayments(ctx))),
});

const deleteTypeRoute = defineRoute({
  method: 'DELETE',
  path: '/types/:id',
  summary: 'Delete an appointment type (its appointments stay)',
  params: idParams,
  response: noContent,
  handler: (ctx) => ctx.db.$transaction((tx) => deleteType(tx, ctx.params.id)),
});

const slotsRoute = defineRoute({
  method: 'GET',
  path: '/calendars/:id/slots',
  summary: 'Free start times of a type between two instants (at most 42 days), by local date in `tz`; minimum notice ignored',
  params: idParams,
  query: slotsQuery,
  response: slotDaysResponse,
  async handler({ db, tenantId, params, query }) {
    const calendar = await calendarDetail(db, params.id);
    const slots = await loadFreeSlots(db, tenantId, params.id, query.typeId, query, { ignoreNotice: true });
    const zone = query.tz ?? calendar.timeZone;
    return { calendarTimeZone: calendar.timeZone, timeZone: zone, days: slotsByDay(slots, zone) };
  },
});

export const availabilityRoutes: AnyRoute[] = [
  listCalendarsRoute,
  createCalendarRoute,
  getCalendarRoute,
  updateCalendarRoute,
  deleteCalendarRoute,
  hoursRoute,
  listOverridesRoute,
  setOverrideRoute,
  clearOverrideRoute,
  listTypesRoute,
  createTypeRoute,
  getTypeRoute,
  updateTypeRoute,
  deleteTypeRoute,
  slotsRoute,
];
