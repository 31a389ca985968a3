// Apple iCloud (any CalDAV server) through tsdav, with an app-specific password: discovery,
// calendars, events in a time range, RFC 6578 sync-collection for changes, and our events
// written as `<appointmentId>@soshogle.ics` (If-None-Match on create: a retry finds the first).
// The sync-collection REPORT goes through fetch: tsdav hides its 403 valid-sync-token answer.
// Recurring events are expanded by the server (`<C:expand>` in the calendar-data asked for,
// RFC 4791 9.6.5) within the read's window: each instance is a busy block of its own, with the
// id `<object URL>#<its RECURRENCE-ID>`, and an object read again replaces all of its blocks.
import { DateTime } from 'luxon';
import { createDAVClient, type DAVCalendarObject } from 'tsdav';
import { caldavFetch } from '../sync/caldav-server.ts';
import { ConnectionBroken, ProviderCallError, SyncTokenExpired, type CalendarProvider, type Interval, type OutboundEvent, type RemoteEvent } from './types.ts';

export const appleServerUrl = 'https://caldav.icloud.com';
const uidSuffix = '@soshogle';

function icsValue(ics: string, name: string): { params: string; value: string } | null {
  // Unfold continuation lines first (RFC 5545 3.1).
  const match = new RegExp(`^${name}((?:;[^:\\r\\n]*)?):(.*)$`, 'm').exec(ics.replace(/\r?\n[ \t]/g, ''));
  return match ? { params: match[1] ?? '', value: match[2]!.trim() } : null;
}

function icsInstant(line: { params: string; value: string } | null, zone: string): { at: Date; allDay: boolean } | null {
  if (!line) return null;
  const tzid = /TZID=([^;:]+)/.exec(line.params)?.[1];
  if (/^\d{8}$/.test(line.value)) return { at: DateTime.fromFormat(line.value, 'yyyyMMdd', { zone }).toJSDate(), allDay: true };
  const utc = line.value.endsWith('Z');
  const at = DateTime.fromFormat(line.value.replace(/Z$/, ''), "yyyyMMdd'T'HHmmss", { zone: utc ? 'UTC' : (tzid ?? zone) });
  return at.isValid ? { at: at.toJSDate(), allDay: false } : null;
}

/**
 * The events of one calendar object: each VEVENT, its URL as its id, or `<URL>#<instant>` for an
 * instance (a RECURRENCE-ID: what the server's expansion returns). A server that does not expand
 * returns the series itself, read as its first instance.
 */
export function remoteEventsOfIcs(url: string, ics: string, etag: string | undefined, zone = 'UTC'): RemoteEvent[] {
  return [...ics.matchAll(/^BEGIN:VEVENT\r?$[\s\S]*?^END:VEVENT\r?$/gm)].flatMap((m) => {
    const event = remoteEventOfIcs(url, m[0], etag, zone);
    const instance = icsInstant(icsValue(m[0], 'RECURRENCE-ID'), zone);
    if (!event) return [];
    return [instance ? { ...event, id: `${url}#${instance.at.toISOString()}` } : event];
  });
}

/** One VEVENT as ours, its URL as its id. */
function remoteEventOfIcs(url: string, ics: string, etag: string | undefined, zone: string): RemoteEvent | null {
  const start = icsInstant(icsValue(ics, 'DTSTART'), zone);
  const end = icsInstant(icsValue(ics, 'DTEND'), zone) ?? (start ? { at: new Date(start.at.getTime() + (start.allDay ? 86_400_000 : 0)), allDay: start.allDay } : null);
  if (!start || !end) return null;
  const uid = icsValue(ics, 'UID')?.value ?? '';
  return {
    id: url,
    start: start.at,
    end: end.at,
    allDay: start.allDay,
    transparent: icsValue(ics, 'TRANSP')?.value === 'TRANSPARENT',
    cancelled: icsValue(ics, 'STATUS')?.value === 'CANCELLED',
    etag,
    ourAppointmentId: uid.endsWith(uidSuffix) ? uid.slice(0, -uidSuffix.length) : undefined,
  };
}

const icsText = (text: string) => text.replaceAll('\\', '\\\\').replaceAll(';', '\\;').replaceAll(',', '\\,').replace(/\r?\n/g, '\\n');
const icsTime = (d: Date) => d.toISOString().replaceAll(/[-:]/g, '').replace(/\.\d{3}/, '');

export function icsOf(event: OutboundEvent): string {
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Soshogle//Calendar//EN', 'BEGIN:VEVENT',
    `UID:${event.appointmentId}${uidSuffix}`, `DTSTAMP:${icsTime(new Date())}`, `DTSTART:${icsTime(event.start)}`, `DTEND:${icsTime(event.end)}`,
    `SUMMARY:${icsText(event.title)}`,
    ...(event.description ? [`DESCRIPTION:${icsText(event.description)}`] : []),
    ...(event.location ? [`LOCATION:${icsText(event.location)}`] : []),
    'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
}

/** `allowPrivate`: CALENDAR_CALDAV_PRIVATE_SERVERS; otherwise a redirect or a discovered URL to another host is checked first. */
export async function appleProvider(options: { serverUrl: string; username: string; password: string; allowPrivate: boolean }): Promise<CalendarProvider> {
  const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  const davFetch = caldavFetch(options.serverUrl, options.allowPrivate);
  // tsdav's discovery fails alike for a refused password and a dead server: ask once ourselves.
  let probe: Response;
  try {
    probe = await davFetch(new URL('/', options.serverUrl), { method: 'PROPFIND', headers: { authorization, depth: '0' }, signal: AbortSignal.timeout(20_000) });
  } catch (error) {
    throw new ProviderCallError(`CalDAV server unreachable: ${(error as Error).message}`, null);
  }
  if (probe.status === 401) throw new ConnectionBroken('Apple refused the username or app-specific password');
  const dav = await createDAVClient({ serverUrl: options.serverUrl, credentials: { username: options.username, password: options.password }, authMethod: 'Basic', defaultAccountType: 'caldav', fetch: davFetch });
  const calendarAt = (url: string) => ({ url });

  const timeRange = (range: Interval) => ({ start: range.start.toISOString(), end: range.end.toISOString() });
  async function objectsIn(url: string, range: Interval): Promise<DAVCalendarObject[]> {
    return dav.fetchCalendarObjects({ calendar: calendarAt(url), timeRange: timeRange(range), expand: true });
  }
  const events = (objects: DAVCalendarObject[]) => objects.flatMap((o) => remoteEventsOfIcs(o.url, String(o.data ?? ''), o.etag));

  return {
    kind: 'apple',

    async listCalendars() {
      const calendars = await dav.fetchCalendars();
      return calendars.map((c, i) => ({ remoteId: c.url, name: String(c.displayName ?? c.url), timeZone: c.timezone ?? undefined, canWrite: true, primary: i === 0 }));
    },

    async *changes(cal, token, window) {
      if (!token) {
        // The token first: a change made while the objects are read is read again next time.
        const current = (await dav.fetchCalendars()).find((c) => c.url === cal.remoteId)?.syncToken;
        yield { upserts: events(await objectsIn(cal.remoteId, window)), deletions: [], nextToken: current ? String(current) : undefined };
        return;
      }
      const res = await davFetch(cal.remoteId, {
        method: 'REPORT',
        headers: { authorization, depth: '1', 'content-type': 'application/xml; charset=utf-8' },
        body: `<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`,
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status === 403 || res.status === 409) throw new SyncTokenExpired('CalDAV: the sync token is no longer valid');
      if (res.status === 401) throw new ConnectionBroken('Apple refused the app-specific password');
      if (res.status !== 207) throw new ProviderCallError(`CalDAV sync-collection answered ${res.status}`, res.status);
      const xml = await res.text();
      const responses = [...xml.matchAll(/<(?:\w+:)?response>([\s\S]*?)<\/(?:\w+:)?response>/g)].map((m) => m[1]!);
      const hrefOf = (r: string) => new URL(/<(?:\w+:)?href>([^<]+)</.exec(r)?.[1]?.trim() ?? '', cal.remoteId).toString();
      const deleted = responses.filter((r) => /HTTP\/1\.1 404/.test(r) && !/<(?:\w+:)?propstat>/.test(r)).map(hrefOf).filter((h) => h.endsWith('.ics'));
      const changed = responses.filter((r) => !deleted.includes(hrefOf(r))).map(hrefOf).filter((h) => h.endsWith('.ics'));
      // The time range only bounds the expansion of recurring events (a multiget has no filter).
      const objects = changed.length ? await dav.fetchCalendarObjects({ calendar: calendarAt(cal.remoteId), objectUrls: changed, timeRange: timeRange(window), expand: true }) : [];
      // An object read again (or deleted) replaces every block it had: an instance no longer there (an EXDATE) goes.
      yield { upserts: events(objects), deletions: deleted, replaced: [...changed, ...deleted], nextToken: /<(?:\w+:)?sync-token>([^<]+)</.exec(xml)?.[1]?.trim() };
    },

    async freeBusy(cals, range) {
      const busy = new Map<string, Interval[]>();
      for (const cal of cals) {
        busy.set(cal.remoteId, events(await objectsIn(cal.remoteId, range)).filter((e) => !e.transparent && !e.cancelled).map((e) => ({ start: e.start, end: e.end })));
      }
      return busy;
    },

    async upsert(cal, event, existing) {
      const data = icsOf(event);
      const url = existing?.id ?? new URL(`${encodeURIComponent(`${event.appointmentId}${uidSuffix}`)}.ics`, cal.remoteId.endsWith('/') ? cal.remoteId : `${cal.remoteId}/`).toString();
      let res: Response;
      if (!existing) {
        res = await dav.createCalendarObject({ calendar: calendarAt(cal.remoteId), iCalString: data, filename: url.split('/').pop()! });
        // 412: a create whose answer was lost made it already; it is ours, so it is overwritten.
        if (res.status !== 412) return check(res, url);
      }
      res = await dav.updateCalendarObject({ calendarObject: { url, data } });
      return check(res, url);
    },

    async remove(_cal, ref) {
      const res = await dav.deleteCalendarObject({ calendarObject: { url: ref.id } });
      if (res.status === 404 || res.ok) return;
      throw new ProviderCallError(`CalDAV DELETE answered ${res.status}`, res.status);
    },
  };
}

function check(res: Response, url: string): { id: string; etag?: string | undefined } {
  if (res.status === 401) throw new ConnectionBroken('Apple refused the app-specific password');
  if (!res.ok) throw new ProviderCallError(`CalDAV PUT answered ${res.status}`, res.status);
  return { id: url, etag: res.headers.get('etag') ?? undefined };
}
