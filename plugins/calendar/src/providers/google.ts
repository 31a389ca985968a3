// Google Calendar v3 through googleapis' calendar module (not the `googleapis` index, which
// loads every Google API). `rootUrl` points it at a fake in tests; retries are off because
// the sync jobs retry, and two layers of retries would multiply.
import { createHash } from 'node:crypto';
import { auth, calendar, type calendar_v3 } from 'googleapis/build/src/apis/calendar/index.js';
import { DateTime } from 'luxon';
import { ConnectionBroken, ProviderCallError, SyncTokenExpired, type CalendarProvider, type ChangePage, type Interval, type OutboundEvent, type RemoteEvent } from './types.ts';

/** Where the appointment id rides on the event, so a read-in knows its own events. */
export const appointmentProperty = 'soshogleAppointmentId';

/**
 * The event id Google gets for an appointment: derived, so a create retried after a lost
 * answer finds the first one (409) instead of making a second event. base32hex (a-v, 0-9), 26 chars.
 */
export function googleEventId(appointmentId: string): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  const bytes = createHash('sha256').update(appointmentId).digest();
  let bits = 0;
  let value = 0;
  let out = 's';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

interface GoogleError {
  status?: number;
  response?: { status?: number; data?: { error?: { errors?: { reason?: string }[]; message?: string } } };
  message: string;
}

function statusOf(error: unknown): number | null {
  const e = error as GoogleError;
  return e.response?.status ?? e.status ?? null;
}

/** A Google error as ours: 401 means the token is refused; anything else keeps its status. */
function asProviderError(error: unknown): Error {
  const status = statusOf(error);
  const message = (error as GoogleError).response?.data?.error?.message ?? (error as Error).message;
  if (status === 401) return new ConnectionBroken(`Google refused the access token: ${message}`);
  return new ProviderCallError(`Google Calendar: ${message}`, status);
}

async function call<T>(request: () => Promise<{ data: T }>): Promise<T> {
  try {
    return (await request()).data;
  } catch (error) {
    throw asProviderError(error);
  }
}

/** One Google event as ours; all-day dates are read in the calendar's zone. */
export function remoteEventOf(event: calendar_v3.Schema$Event, zone: string): RemoteEvent {
  const allDay = Boolean(event.start?.date);
  const instant = (t: calendar_v3.Schema$EventDateTime | undefined) =>
    t?.dateTime ? new Date(t.dateTime) : DateTime.fromISO(t?.date ?? '1970-01-01', { zone }).toJSDate();
  return {
    id: event.id ?? '',
    start: instant(event.start ?? undefined),
    end: instant(event.end ?? undefined),
    allDay,
    transparent: event.transparency === 'transparent',
    cancelled: event.status === 'cancelled',
    etag: event.etag ?? undefined,
    ourAppointmentId: event.extendedProperties?.private?.[appointmentProperty] ?? undefined,
  };
}

function eventBody(event: OutboundEvent): calendar_v3.Schema$Event {
  return {
    summary: event.title,
    description: event.description,
    location: event.location,
    start: { dateTime: event.start.toISOString(), timeZone: event.timeZone },
    end: { dateTime: event.end.toISOString(), timeZone: event.timeZone },
    status: 'confirmed',
    extendedProperties: { private: { [appointmentProperty]: event.appointmentId } },
  };
}

export function googleProvider(options: { accessToken: string; apiUrl: string }): CalendarProvider {
  const oauth = new auth.OAuth2();
  oauth.setCredentials({ access_token: options.accessToken });
  const api = calendar({ version: 'v3', auth: oauth, rootUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`, retry: false });

  return {
    kind: 'google',

    async listCalendars() {
      const list = await call(() => api.calendarList.list({ maxResults: 250 }));
      return (list.items ?? []).map((item) => ({
        remoteId: item.id ?? '',
        name: item.summaryOverride ?? item.summary ?? item.id ?? '',
        timeZone: item.timeZone ?? undefined,
        canWrite: item.accessRole === 'owner' || item.accessRole === 'writer',
        primary: item.primary === true,
      }));
    },

    async *changes(cal, token, window): AsyncIterable<ChangePage> {
      let pageToken: string | undefined;
      do {
        // With a sync token Google refuses the window and ordering parameters.
        const params: calendar_v3.Params$Resource$Events$List = token
          ? { calendarId: cal.remoteId, syncToken: token, pageToken, maxResults: 250 }
          : { calendarId: cal.remoteId, timeMin: window.start.toISOString(), timeMax: window.end.toISOString(), singleEvents: true, showDeleted: false, pageToken, maxResults: 250 };
        let page: calendar_v3.Schema$Events;
        try {
          page = (await api.events.list(params)).data;
        } catch (error) {
          if (statusOf(error) === 410) throw new SyncTokenExpired('Google: the sync token is no longer valid');
          throw asProviderError(error);
        }
        const zone = page.timeZone ?? 'UTC';
        const items = page.items ?? [];
        yield {
          upserts: items.filter((e) => e.status !== 'cancelled').map((e) => remoteEventOf(e, zone)),
          deletions: items.filter((e) => e.status === 'cancelled').map((e) => e.id ?? ''),
          nextToken: page.nextSyncToken ?? undefined,
        };
        pageToken = page.nextPageToken ?? undefined;
      } while (pageToken);
    },

    async freeBusy(cals, range) {
      const busy = new Map<string, Interval[]>();
      for (let i = 0; i < cals.length; i += 50) {
        const answer = await call(() =>
          api.freebusy.query({ requestBody: { timeMin: range.start.toISOString(), timeMax: range.end.toISOString(), items: cals.slice(i, i + 50).map((c) => ({ id: c.remoteId })) } }),
        );
        for (const [id, entry] of Object.entries(answer.calendars ?? {})) {
          busy.set(id, (entry.busy ?? []).map((b) => ({ start: new Date(b.start ?? 0), end: new Date(b.end ?? 0) })));
        }
      }
      return busy;
    },

    async upsert(cal, event, existing) {
      const requestBody = eventBody(event);
      if (existing) {
        const patched = await call(() => api.events.patch({ calendarId: cal.remoteId, eventId: existing.id, sendUpdates: 'none', requestBody }));
        return { id: patched.id ?? existing.id, etag: patched.etag ?? undefined };
      }
      const id = googleEventId(event.appointmentId);
      try {
        const created = (await api.events.insert({ calendarId: cal.remoteId, sendUpdates: 'none', requestBody: { ...requestBody, id } })).data;
        return { id: created.id ?? id, etag: created.etag ?? undefined };
      } catch (error) {
        if (statusOf(error) !== 409) throw asProviderError(error);
      }
      // 409: the id exists, from a create whose answer was lost or from a deleted event
      // (Google keeps deleted ids). Ours either way: bring it back with the new times.
      const patched = await call(() => api.events.patch({ calendarId: cal.remoteId, eventId: id, sendUpdates: 'none', requestBody }));
      return { id: patched.id ?? id, etag: patched.etag ?? undefined };
    },

    async remove(cal, ref) {
      try {
        await api.events.delete({ calendarId: cal.remoteId, eventId: ref.id, sendUpdates: 'none' });
      } catch (error) {
        const status = statusOf(error);
        if (status === 404 || status === 410) return;
        throw asProviderError(error);
      }
    },

    async watch(cal, address, channelId, token, ttlSeconds) {
      const channel = await call(() =>
        api.events.watch({ calendarId: cal.remoteId, requestBody: { id: channelId, type: 'web_hook', address, token, params: { ttl: String(ttlSeconds) } } }),
      );
      return { channelId: channel.id ?? channelId, resourceId: channel.resourceId ?? '', expiresAt: new Date(Number(channel.expiration ?? Date.now() + ttlSeconds * 1000)) };
    },

    async unwatch(channel) {
      try {
        await api.channels.stop({ requestBody: { id: channel.id, resourceId: channel.resourceId } });
      } catch (error) {
        if (statusOf(error) !== 404) throw asProviderError(error);
      }
    },
  };
}
