// Every call the calendar screens and the booking page make, in one place: the admin ones go
// through the typed client's machinery (session, CSRF, problems); the public ones send no
// cookie at all (a signed-in owner opening their own page is a visitor like any other).
// The shapes follow the calendar API (design §3, §4); once api-types.ts has the calendar's
// paths these calls switch to `api.get('/calendar/...')` one by one.
import { api, ApiError, type Problem } from '../api.ts';

// ---- Shapes ----

export interface HoursRow {
  weekday: number; // 1 = Monday … 7 = Sunday
  startMinute: number;
  endMinute: number; // 1440 = midnight
}

export interface Calendar {
  id: string;
  name: string;
  kind: 'PERSON' | 'RESOURCE';
  timeZone: string;
  color: string | null;
  publicSlug: string;
  bookingEnabled: boolean;
  pageTitle: string | null;
  pageIntro: string | null;
  consentText: string | null;
  writeTargetId: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  hours: HoursRow[];
}

export interface Window {
  startMinute: number;
  endMinute: number;
}

export interface Override {
  date: string;
  windows: Window[]; // none: closed
  note: string | null;
}

export interface Question {
  id: string;
  label: string;
  kind: 'text' | 'textarea' | 'select';
  required: boolean;
  options?: string[];
}

export interface Reminder {
  offsetMin: number;
  channel: 'EMAIL' | 'SMS' | 'WHATSAPP';
}

export const locationKinds = ['IN_PERSON', 'PHONE', 'VIDEO', 'CUSTOM'] as const;
export type LocationKind = (typeof locationKinds)[number];

export interface AppointmentType {
  id: string;
  calendarId: string;
  name: string;
  slug: string;
  description: string | null;
  durationMin: number;
  slotIntervalMin: number | null;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  minNoticeMin: number;
  maxAdvanceDays: number;
  dailyLimit: number | null;
  locationKind: string;
  location: string | null;
  questions: Question[];
  reminders: Reminder[];
  isPublic: boolean;
  active: boolean;
  position: number;
}

export type TypeInput = Omit<AppointmentType, 'id' | 'calendarId'>;

export interface Slot {
  start: string;
  end: string;
  /** HH:mm in the zone the slots were asked in. */
  time: string;
}

export interface SlotDay {
  date: string;
  slots: Slot[];
}

export interface SlotDays {
  calendarTimeZone: string;
  timeZone: string;
  days: SlotDay[];
}

export const statuses = ['SCHEDULED', 'CONFIRMED', 'COMPLETED', 'NO_SHOW', 'CANCELLED'] as const;
export type AppointmentStatus = (typeof statuses)[number];

export interface AppointmentContact {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface Appointment {
  id: string;
  calendarId: string | null;
  appointmentTypeId: string | null;
  contactId: string | null;
  contact?: AppointmentContact | null;
  title: string;
  description: string | null;
  location: string | null;
  startTime: string;
  endTime: string;
  timezone: string;
  status: AppointmentStatus;
  source: string;
  answers?: Record<string, unknown>;
  cancelledAt?: string | null;
  cancelReason?: string | null;
  createdAt?: string;
}

export interface NewAppointment {
  calendarId: string;
  appointmentTypeId?: string;
  contactId?: string;
  start: string;
  durationMin?: number;
  title?: string;
  description?: string;
  location?: string;
  outsideHours?: boolean;
}

// ---- Loose calls: the typed client's request path, for routes api-types.ts does not list yet ----

type Loose = {
  get<T>(path: string, options?: { path?: object; query?: object; signal?: AbortSignal }): Promise<T>;
  post<T>(path: string, options?: { path?: object; body?: unknown }): Promise<T>;
  put<T>(path: string, options?: { path?: object; body?: unknown }): Promise<T>;
  patch<T>(path: string, options?: { path?: object; body?: unknown }): Promise<T>;
  delete<T>(path: string, options?: { path?: object }): Promise<T>;
};
const loose = api as unknown as Loose;
type Page<T> = { items: T[]; nextCursor?: string | null };

async function every<T>(path: string, query: object, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null | undefined = null;
  do {
    const page: Page<T> = await loose.get<Page<T>>(path, { query: { ...query, cursor, limit: 100 }, signal });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

export const calendarApi = {
  calendars: (signal?: AbortSignal, archived = false) => loose.get<Page<Calendar>>('/calendar/calendars', { query: { archived }, signal }).then((r) => r.items),
  calendar: (id: string) => loose.get<Calendar>('/calendar/calendars/{id}', { path: { id } }),
  createCalendar: (body: { name: string; timeZone: string; kind?: Calendar['kind'] }) => loose.post<Calendar>('/calendar/calendars', { body }),
  updateCalendar: (id: string, body: Partial<Pick<Calendar, 'name' | 'kind' | 'timeZone' | 'color' | 'bookingEnabled' | 'pageTitle' | 'pageIntro' | 'consentText'>> & { regenerateSlug?: boolean; archived?: boolean }) =>
    loose.patch<Calendar>('/calendar/calendars/{id}', { path: { id }, body }),
  deleteCalendar: (id: string) => loose.delete<void>('/calendar/calendars/{id}', { path: { id } }),
  setHours: (id: string, hours: HoursRow[]) => loose.put<Calendar>('/calendar/calendars/{id}/hours', { path: { id }, body: { hours } }),
  overrides: (id: string, from: string, to: string) => loose.get<Page<Override>>('/calendar/calendars/{id}/overrides', { path: { id }, query: { from, to } }).then((r) => r.items),
  setOverride: (id: string, date: string, body: { windows: Window[]; note?: string | null }) =>
    loose.put<Override>('/calendar/calendars/{id}/overrides/{date}', { path: { id, date }, body }),
  clearOverride: (id: string, date: string) => loose.delete<void>('/calendar/calendars/{id}/overrides/{date}', { path: { id, date } }),
  types: (calendarId: string, signal?: AbortSignal) => loose.get<Page<AppointmentType>>('/calendar/calendars/{id}/types', { path: { id: calendarId }, signal }).then((r) => r.items),
  createType: (calendarId: string, body: Partial<TypeInput>) => loose.post<AppointmentType>('/calendar/calendars/{id}/types', { path: { id: calendarId }, body }),
  updateType: (id: string, body: Partial<TypeInput>) => loose.patch<AppointmentType>('/calendar/types/{id}', { path: { id }, body }),
  deleteType: (id: string) => loose.delete<void>('/calendar/types/{id}', { path: { id } }),
  /** Free starts as the owner sees them (minimum notice ignored). */
  slots: (calendarId: string, query: { typeId: string; from: string; to: string; tz?: string }, signal?: AbortSignal) =>
    loose.get<SlotDays>('/calendar/calendars/{id}/slots', { path: { id: calendarId }, query, signal }),

  appointments: (query: { from: string; to: string; calendarId?: string; contactId?: string; status?: string }, signal?: AbortSignal) =>
    every<Appointment>('/calendar/appointments', query, signal),
  appointment: (id: string) => loose.get<Appointment>('/calendar/appointments/{id}', { path: { id } }),
  createAppointment: (body: NewAppointment) => loose.post<Appointment>('/calendar/appointments', { body }),
  updateAppointment: (id: string, body: { title?: string; description?: string | null; location?: string | null; contactId?: string | null }) =>
    loose.patch<Appointment>('/calendar/appointments/{id}', { path: { id }, body }),
  reschedule: (id: string, body: { start: string; durationMin?: number }) => loose.post<Appointment>('/calendar/appointments/{id}/reschedule', { path: { id }, body }),
  cancel: (id: string, reason?: string) => loose.post<Appointment>('/calendar/appointments/{id}/cancel', { path: { id }, body: reason ? { reason } : {} }),
  setStatus: (id: string, status: 'CONFIRMED' | 'COMPLETED' | 'NO_SHOW') => loose.post<Appointment>('/calendar/appointments/{id}/status', { path: { id }, body: { status } }),
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

export interface PublicType {
  slug: string;
  name: string;
  description: string | null;
  durationMin: number;
  locationKind?: string;
  location?: string | null;
  questions: Question[];
}

export interface PublicPage {
  name: string;
  title?: string | null;
  intro?: string | null;
  timeZone: string;
  consentText?: string | null;
  types: PublicType[];
}

export interface PublicSlots extends SlotDays {
  formToken: string;
}

export interface BookingInput {
  typeSlug: string;
  start: string;
  timeZone: string;
  name: string;
  email: string;
  phone?: string;
  answers: Record<string, string>;
  consent: { email: boolean; sms: boolean };
  formToken: string;
  website: string;
}

export interface Booked {
  appointmentId: string;
  start: string;
  end: string;
  manageUrl: string;
}

export interface ManagedBooking {
  appointmentId: string;
  status: string;
  start: string;
  end: string;
  /** The calendar's zone. */
  timeZone: string;
  typeName: string;
  typeSlug: string | null;
  calendarName: string;
  pageSlug: string;
  location: string | null;
  canReschedule: boolean;
  canCancel: boolean;
}

async function publicRequest<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api/calendar/public${path}`, {
      method,
      credentials: 'omit',
      headers: { accept: 'application/json, application/problem+json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ status: 0, title: 'Network error', detail: 'Could not reach the server. Check your connection and try again.' });
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (!res.ok) {
    const problem = data && typeof data === 'object' && 'title' in data ? (data as Problem) : { status: res.status, title: res.statusText || 'Error' };
    problem.status ??= res.status;
    if (res.status === 429) problem.detail ??= 'Too many tries from here: wait a little and try again.';
    throw new ApiError(problem);
  }
  return data as T;
}

const seg = encodeURIComponent;

export const publicApi = {
  page: (slug: string) => publicRequest<PublicPage>('GET', `/pages/${seg(slug)}`),
  slots: (slug: string, typeSlug: string, query: { from: string; to: string; tz: string }) =>
    publicRequest<PublicSlots>('GET', `/pages/${seg(slug)}/types/${seg(typeSlug)}/slots?${new URLSearchParams(query)}`),
  book: (slug: string, body: BookingInput) => publicRequest<Booked>('POST', `/pages/${seg(slug)}/bookings`, body),
  manage: (token: string) => publicRequest<ManagedBooking>('GET', `/manage/${seg(token)}`),
  reschedule: (token: string, start: string) => publicRequest<ManagedBooking>('POST', `/manage/${seg(token)}/reschedule`, { start }),
  cancel: (token: string, reason?: string) => publicRequest<ManagedBooking>('POST', `/manage/${seg(token)}/cancel`, reason ? { reason } : {}),
};
