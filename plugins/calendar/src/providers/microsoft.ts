// Microsoft Graph calendars with plain fetch: the Graph SDK sends no bearer token to a
// non-https host (so it cannot reach a local fake), and these few calls need no SDK.
import { ConnectionBroken, ProviderCallError, SyncTokenExpired, type CalendarProvider, type ChangePage, type Interval, type OutboundEvent, type RemoteEvent } from './types.ts';

/** A runaway delta (the same nextLink again, or more pages than any calendar has) is started over. */
const maxPages = 200;

export interface GraphEvent {
  id: string;
  '@odata.etag'?: string;
  '@removed'?: { reason?: string };
  start?: { dateTime: string; timeZone?: string };
  end?: { dateTime: string; timeZone?: string };
  isAllDay?: boolean;
  isCancelled?: boolean;
  showAs?: string;
  transactionId?: string | null;
}

interface GraphPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
  error?: { code?: string; message?: string };
}

/** Graph's dateTime has no offset; we ask for UTC (Prefer: outlook.timezone) and read it as such. */
const utc = (t: { dateTime: string; timeZone?: string } | undefined) => new Date(/[zZ]|[+-]\d\d:\d\d$/.test(t?.dateTime ?? '') ? t!.dateTime : `${t?.dateTime ?? '1970-01-01T00:00:00'}Z`);

export function remoteEventOfGraph(event: GraphEvent): RemoteEvent {
  return {
    id: event.id,
    start: utc(event.start),
    end: utc(event.end),
    allDay: event.isAllDay === true,
    transparent: event.showAs === 'free',
    cancelled: event.isCancelled === true,
    etag: event['@odata.etag'],
    ourAppointmentId: event.transactionId ?? undefined,
  };
}

export function microsoftProvider(options: { accessToken: string; graphUrl: string }): CalendarProvider {
  const base = options.graphUrl.replace(/\/+$/, '');

  async function graph<T>(method: string, pathOrUrl: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; data: T }> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${base}${pathOrUrl}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${options.accessToken}`,
          accept: 'application/json',
          prefer: 'outlook.timezone="UTC"',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new ProviderCallError(`Microsoft Graph unreachable: ${(error as Error).message}`, null);
    }
    const text = await res.text();
    const data = (text ? JSON.parse(text) : {}) as T & GraphPage<never>;
    if (res.status === 401) throw new ConnectionBroken(`Microsoft refused the access token: ${data.error?.message ?? ''}`.trim());
    if (res.status >= 400) {
      const code = data.error?.code ?? '';
      if (res.status === 410 || /syncStateNotFound|resyncRequired|syncStateInvalid/i.test(code)) throw new SyncTokenExpired(`Microsoft Graph: ${code || 'the delta token is no longer valid'}`);
      throw new ProviderCallError(`Microsoft Graph ${method} answered ${res.status}: ${code} ${data.error?.message ?? ''}`.trim(), res.status);
    }
    return { status: res.status, data };
  }

  const calendarPath = (remoteId: string) => `/me/calendars/${encodeURIComponent(remoteId)}`;

  return {
    kind: 'microsoft',

    async listCalendars() {
      const all: { id: string; name: string; canEdit?: boolean; isDefaultCalendar?: boolean }[] = [];
      let next: string | undefined = '/me/calendars';
      while (next) {
        const page: GraphPage<(typeof all)[number]> = (await graph<GraphPage<(typeof all)[number]>>('GET', next)).data;
        all.push(...(page.value ?? []));
        next = page['@odata.nextLink'];
      }
      return all.map((c) => ({ remoteId: c.id, name: c.name, canWrite: c.canEdit !== false, primary: c.isDefaultCalendar === true }));
    },

    async *changes(cal, token, window): AsyncIterable<ChangePage> {
      // The token is the deltaLink itself; without one, the window is fixed by this first call.
      let next: string | undefined =
        token ?? `${calendarPath(cal.remoteId)}/calendarView/delta?startDateTime=${encodeURIComponent(window.start.toISOString())}&endDateTime=${encodeURIComponent(window.end.toISOString())}`;
      const seen = new Set<string>();
      for (let pages = 0; next; pages++) {
        if (pages >= maxPages || seen.has(next)) throw new SyncTokenExpired('Microsoft Graph: the delta did not end (repeated nextLink)');
        seen.add(next);
        const page: GraphPage<GraphEvent> = (await graph<GraphPage<GraphEvent>>('GET', next, undefined, { prefer: 'outlook.timezone="UTC", odata.maxpagesize=100' })).data;
        const items = page.value ?? [];
        yield {
          upserts: items.filter((e) => !e['@removed'] && !e.isCancelled).map(remoteEventOfGraph),
          deletions: items.filter((e) => e['@removed'] || e.isCancelled).map((e) => e.id),
          nextToken: page['@odata.deltaLink'],
        };
        next = page['@odata.nextLink'];
      }
    },

    async freeBusy(cals, range) {
      const busy = new Map<string, Interval[]>();
      for (const cal of cals) {
        const intervals: Interval[] = [];
        let next: string | undefined = `${calendarPath(cal.remoteId)}/calendarView?startDateTime=${encodeURIComponent(range.start.toISOString())}&endDateTime=${encodeURIComponent(range.end.toISOString())}&$top=100`;
        while (next) {
          const page: GraphPage<GraphEvent> = (await graph<GraphPage<GraphEvent>>('GET', next)).data;
          for (const e of page.value ?? []) if (e.showAs !== 'free' && !e.isCancelled) intervals.push({ start: utc(e.start), end: utc(e.end) });
          next = page['@odata.nextLink'];
        }
        busy.set(cal.remoteId, intervals);
      }
      return busy;
    },

    async upsert(cal, event, existing) {
      const body = graphBody(event);
      if (existing) {
        const { data } = await graph<GraphEvent>('PATCH', `/me/events/${encodeURIComponent(existing.id)}`, body);
        return { id: data.id ?? existing.id, etag: data['@odata.etag'] };
      }
      // transactionId: Graph answers a retried create with the event the first one made.
      const { data } = await graph<GraphEvent>('POST', `${calendarPath(cal.remoteId)}/events`, { ...body, transactionId: event.appointmentId });
      return { id: data.id, etag: data['@odata.etag'] };
    },

    async remove(_cal, ref) {
      try {
        await graph('DELETE', `/me/events/${encodeURIComponent(ref.id)}`);
      } catch (error) {
        if (error instanceof ProviderCallError && error.status === 404) return;
        throw error;
      }
    },

    async watch(cal, address, _channelId, token, ttlSeconds) {
      const { data } = await graph<{ id: string; expirationDateTime: string }>('POST', '/subscriptions', {
        changeType: 'created,updated,deleted',
        notificationUrl: address,
        lifecycleNotificationUrl: address,
        resource: `me/calendars/${cal.remoteId}/events`,
        expirationDateTime: new Date(Date.now() + ttlSeconds * 1000).toISOString(),
        clientState: token,
      });
      return { channelId: data.id, resourceId: data.id, expiresAt: new Date(data.expirationDateTime) };
    },

    async unwatch(channel) {
      try {
        await graph('DELETE', `/subscriptions/${encodeURIComponent(channel.id)}`);
      } catch (error) {
        if (!(error instanceof ProviderCallError && error.status === 404)) throw error;
      }
    },
  };
}

function graphBody(event: OutboundEvent) {
  return {
    subject: event.title,
    body: { contentType: 'text', content: event.description ?? '' },
    start: { dateTime: event.start.toISOString().slice(0, 19), timeZone: 'UTC' },
    end: { dateTime: event.end.toISOString().slice(0, 19), timeZone: 'UTC' },
    location: event.location ? { displayName: event.location } : undefined,
  };
}
