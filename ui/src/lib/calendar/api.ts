// Every call the calendar screens and the booking page make, in one place: the admin ones
// through the typed client (session, CSRF, problems); the public ones send no cookie at all
// (a signed-in owner opening their own page is a visitor like any other), typed from the
// same generated paths.
import { api, ApiError, publicRequest as sharedPublicRequest, type Problem, type Reply, type RequestBody, type Schema } from '../api.ts';

// ---- Shapes, from the API's schemas ----

export type Calendar = Schema<'Calendar'>;
export type HoursRow = Schema<'CalendarHours'>;
export type Override = Schema<'AvailabilityOverride'>;
export type Window = Override['windows'][number];
export type AppointmentType = Schema<'AppointmentType'>;
export type Question = AppointmentType['questions'][number];
export type Reminder = AppointmentType['reminders'][number];
export type TypeInput = RequestBody<'/calendar/calendars/{id}/types', 'post'>;
export type TypePatch = RequestBody<'/calendar/types/{id}', 'patch'>;
export type CalendarPatch = RequestBody<'/calendar/calendars/{id}', 'patch'>;
export type Slot = Schema<'Slot'>;
export type SlotDay = Schema<'SlotDay'>;
export type SlotDays = Schema<'SlotDays'>;
export type Appointment = Schema<'Appointment'>;
export type AppointmentStatus = Appointment['status'];
export type NewAppointment = RequestBody<'/calendar/appointments', 'post'>;

export const locationKinds = ['IN_PERSON', 'PHONE', 'VIDEO', 'CUSTOM'] as const;
export type LocationKind = (typeof locationKinds)[number];

export const calendarApi = {
  calendars: (signal?: AbortSignal, archived = false) => api.get('/calendar/calendars', { query: { archived: String(archived) as 'true' | 'false' }, signal }).then((r) => r.items),
  createCalendar: (body: RequestBody<'/calendar/calendars', 'post'>) => api.post('/calendar/calendars', { body }),
  updateCalendar: (id: string, body: CalendarPatch) => api.patch('/calendar/calendars/{id}', { path: { id }, body }),
  deleteCalendar: (id: string) => api.delete('/calendar/calendars/{id}', { path: { id } }),
  setHours: (id: string, hours: HoursRow[]) => api.put('/calendar/calendars/{id}/hours', { path: { id }, body: { hours } }),
  overrides: (id: string, from: string, to: string) => api.get('/calendar/calendars/{id}/overrides', { path: { id }, query: { from, to } }).then((r) => r.items),
  setOverride: (id: string, date: string, body: { windows: Window[]; note?: string | null }) => api.put('/calendar/calendars/{id}/overrides/{date}', { path: { id, date }, body }),
  clearOverride: (id: string, date: string) => api.delete('/calendar/calendars/{id}/overrides/{date}', { path: { id, date } }),
  types: (calendarId: string, signal?: AbortSignal) => api.get('/calendar/calendars/{id}/types', { path: { id: calendarId }, signal }).then((r) => r.items),
  createType: (calendarId: string, body: TypeInput) => api.post('/calendar/calendars/{id}/types', { path: { id: calendarId }, body }),
  updateType: (id: string, body: TypePatch) => api.patch('/calendar/types/{id}', { path: { id }, body }),
  deleteType: (id: string) => api.delete('/calendar/types/{id}', { path: { id } }),
  /** Free starts as the owner sees them (minimum notice ignored). */
  slots: (calendarId: string, query: { typeId: string; from: string; to: string; tz?: string }, signal?: AbortSignal) =>
    api.get('/calendar/calendars/{id}/slots', { path: { id: calendarId }, query, signal }),

  /** Every appointment between two instants (at most 62 days), walking the pages. */
  appointments: (query: { from: string; to: string; calendarId?: string; contactId?: string; status?: AppointmentStatus }, signal?: AbortSignal) =>
    api.all('/calendar/appointments', { query, signal }),
  appointment: (id: string) => api.get('/calendar/appointments/{id}', { path: { id } }),
  createAppointment: (body: NewAppointment) => api.post('/calendar/appointments', { body }),
  updateAppointment: (id: string, body: RequestBody<'/calendar/appointments/{id}', 'patch'>) => api.patch('/calendar/appointments/{id}', { path: { id }, body }),
  reschedule: (id: string, body: { start: string; durationMin?: number }) => api.post('/calendar/appointments/{id}/reschedule', { path: { id }, body }),
  cancel: (id: string, reason?: string) => api.post('/calendar/appointments/{id}/cancel', { path: { id }, body: reason ? { reason } : {} }),
  setStatus: (id: string, status: 'CONFIRMED' | 'COMPLETED' | 'NO_SHOW') => api.post('/calendar/appointments/{id}/status', { path: { id }, body: { status } }),
};

// ---- The 409 of a taken time: the problem carries fresh slots (design §3.2) ----

/**
 * The slots a 409 offers instead (the API may group them by day), the `limit` nearest to the
 * time that was asked for first, in time order; none for any other error.
 */
export function offeredSlots(error: unknown, asked?: string, limit = 8): Slot[] {
  if (!(error instanceof ApiError) || error.status !== 409) return [];
  const raw = (error.problem as Problem & { slots?: unknown }).slots;
  if (!Array.isArray(raw)) return [];
  const slots = raw.flatMap((entry: unknown): Slot[] => {
    const e = entry as Partial<SlotDay & Slot>;
    if (Array.isArray(e.slots)) return e.slots;
    return e.start ? [e as Slot] : [];
  });
  const at = asked ? Date.parse(asked) : Number.NaN;
  const near = Number.isNaN(at) ? slots : [...slots].sort((a, b) => Math.abs(Date.parse(a.start) - at) - Math.abs(Date.parse(b.start) - at));
  return near.slice(0, limit).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

// ---- The public booking page: no session, no cookie ----

export type PublicPage = Schema<'PublicBookingPage'>;
export type PublicType = PublicPage['types'][number];
export type PublicSlots = Schema<'PublicSlots'>;
export type BookingInput = RequestBody<'/calendar/public/pages/{slug}/bookings', 'post'>;
export type Booked = Schema<'PublicBooking'>;
export type ManagedBooking = Schema<'ManagedBooking'>;

const publicRequest = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => sharedPublicRequest<T>(method, `/calendar/public${path}`, body);

const seg = encodeURIComponent;

export const publicApi = {
  page: (slug: string) => publicRequest<Reply<'/calendar/public/pages/{slug}'>>('GET', `/pages/${seg(slug)}`),
  slots: (slug: string, typeSlug: string, query: { from: string; to: string; tz: string }) =>
    publicRequest<Reply<'/calendar/public/pages/{slug}/types/{typeSlug}/slots'>>('GET', `/pages/${seg(slug)}/types/${seg(typeSlug)}/slots?${new URLSearchParams(query)}`),
  book: (slug: string, body: BookingInput) => publicRequest<Reply<'/calendar/public/pages/{slug}/bookings', 'post'>>('POST', `/pages/${seg(slug)}/bookings`, body),
  manage: (token: string) => publicRequest<Reply<'/calendar/public/manage/{token}'>>('GET', `/manage/${seg(token)}`),
  reschedule: (token: string, start: string) => publicRequest<Reply<'/calendar/public/manage/{token}/reschedule', 'post'>>('POST', `/manage/${seg(token)}/reschedule`, { start }),
  cancel: (token: string, reason?: string) => publicRequest<Reply<'/calendar/public/manage/{token}/cancel', 'post'>>('POST', `/manage/${seg(token)}/cancel`, reason ? { reason } : {}),
};
