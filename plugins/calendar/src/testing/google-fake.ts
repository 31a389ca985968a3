// A local Google: OAuth (consent redirect, code + PKCE, refresh, revocation) and Calendar v3
// (calendarList, events with page and sync tokens, 410 on stale tokens, cancelled
// tombstones, 409 for a used id even after delete, freeBusy, watch channels and their
// body-less notifications), as @googleapis/calendar calls it through `rootUrl`.
import { createHash, randomUUID } from 'node:crypto';
import { FakePageTokenError, pageOf, route, startFakeProvider, type FakeAnswer, type FakeProvider, type FakeRequest } from '@soshogle/core/testing';

export interface GoogleFakeEvent {
  id: string;
  summary?: string;
  start: { dateTime?: string; date?: string; timeZone?: string };
  end: { dateTime?: string; date?: string; timeZone?: string };
  status: 'confirmed' | 'tentative' | 'cancelled';
  transparency?: 'opaque' | 'transparent';
  extendedProperties?: { private?: Record<string, string> };
  etag: string;
  updated: string;
  /** The fake's change counter when it last changed: what sync tokens compare. */
  seq: number;
  [field: string]: unknown;
}

interface FakeCalendar {
  id: string;
  summary: string;
  timeZone: string;
  accessRole: 'owner' | 'writer' | 'reader';
  primary: boolean;
  events: Map<string, GoogleFakeEvent>;
}

interface Channel {
  id: string;
  resourceId: string;
  calendarId: string;
  address: string;
  token?: string;
  expiration: number;
  messages: number;
}

export interface GoogleFakeOptions {
  clientId: string;
  clientSecret: string;
  /** Google's own watch addresses must be https; tests deliver to http loopback. */
  allowHttpWebhooks?: boolean;
  /** What PATCH does to a deleted event: bring it back (default) or 404 as unknown. */
  undeleteByPatch?: boolean;
}

const unauthenticated: FakeAnswer = {
  status: 401,
  body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED', errors: [{ domain: 'global', reason: 'authError', message: 'Invalid Credentials' }] } },
};

function googleError(code: number, reason: string, message: string): FakeAnswer {
  return { status: code, body: { error: { code, message, errors: [{ domain: 'global', reason, message }] } } };
}

const base32hex = /^[a-v0-9]{5,1024}$/;

function overlaps(event: GoogleFakeEvent, min: string | undefined, max: string | undefined): boolean {
  const start = Date.parse(event.start.dateTime ?? `${event.start.date}T00:00:00Z`);
  const end = Date.parse(event.end.dateTime ?? `${event.end.date}T00:00:00Z`);
  return (!min || end > Date.parse(min)) && (!max || start < Date.parse(max));
}

export async function startGoogleFake(options: GoogleFakeOptions) {
  const calendars = new Map<string, FakeCalendar>();
  const accessTokens = new Map<string, { refreshToken: string; expiresAt: number }>();
  const refreshTokens = new Set<string>();
  const revoked = new Set<string>();
  const codes = new Map<string, { challenge: string; redirectUri: string; scope: string }>();
  const channels = new Map<string, Channel>();
  let seq = 0;
  let tokenGeneration = 0;

  const addCalendar = (id: string, init: Partial<Omit<FakeCalendar, 'id' | 'events'>> = {}): FakeCalendar => {
    const cal: FakeCalendar = { id, summary: init.summary ?? id, timeZone: init.timeZone ?? 'UTC', accessRole: init.accessRole ?? 'owner', primary: init.primary ?? false, events: new Map() };
    calendars.set(id, cal);
    return cal;
  };
  addCalendar('primary-calendar@example.test', { summary: 'Work', timeZone: 'America/New_York', primary: true });

  const touch = (event: GoogleFakeEvent) => {
    event.seq = ++seq;
    event.etag = `"${event.seq}"`;
    event.updated = new Date().toISOString();
  };

  const bearer = (request: FakeRequest): boolean => {
    const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    const known = accessTokens.get(token);
    return known !== undefined && known.expiresAt > Date.now() && !revoked.has(known.refreshToken);
  };
  /** The calendar named in the path (`primary` is the primary one), or its 404. */
  const calendarOf = (request: FakeRequest): FakeCalendar | FakeAnswer => {
    const id = request.params.calendarId!;
    const cal = id === 'primary' ? [...calendars.values()].find((c) => c.primary) : calendars.get(id);
    return cal ?? googleError(404, 'notFound', 'Not Found');
  };
  const isAnswer = (value: unknown): value is FakeAnswer => typeof value === 'object' && value !== null && 'status' in value && typeof (value as FakeAnswer).status === 'number';
  const syncTokenOf = (cal: FakeCalendar) => Buffer.from(JSON.stringify({ c: cal.id, s: seq, g: tokenGeneration })).toString('base64url');
  const shown = (event: GoogleFakeEvent) => {
    const { seq: _seq, ...rest } = event;
    return { kind: 'calendar#event', ...rest };
  };
  const issue = (refreshToken: string) => {
    const accessToken = `ya29.${randomUUID()}`;
    accessTokens.set(accessToken, { refreshToken, expiresAt: Date.now() + 3599_000 });
    return accessToken;
  };

  const api = (handler: (request: FakeRequest<Record<string, unknown>>) => FakeAnswer) => (request: FakeRequest<Record<string, unknown>>) =>
    bearer(request) ? handler(request) : unauthenticated;

  const kit: FakeProvider<Record<string, unknown>> = await startFakeProvider<Record<string, unknown>>({
    name: 'google',
    routes: [
      route('GET', '/o/oauth2/v2/auth', (request) => {
        const q = request.query as Record<string, string>;
        if (q.client_id !== options.clientId) return { status: 400, body: 'Error 401: invalid_client' };
        const code = `4/${randomUUID()}`;
        codes.set(code, { challenge: q.code_challenge ?? '', redirectUri: q.redirect_uri ?? '', scope: q.scope ?? '' });
        const to = new URL(q.redirect_uri ?? '');
        to.searchParams.set('code', code);
        to.searchParams.set('state', q.state ?? '');
        return { status: 302, headers: { location: to.toString() } };
      }),
      route('POST', '/token', (request) => {
        const form = request.body as Record<string, string>;
        if (form.client_id !== options.clientId || form.client_secret !== options.clientSecret) {
          return { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
        }
        const invalidGrant = (description: string) => ({ status: 400, body: { error: 'invalid_grant', error_description: description } });
        if (form.grant_type === 'authorization_code') {
          const pending = codes.get(form.code ?? '');
          codes.delete(form.code ?? '');
          if (!pending || pending.redirectUri !== form.redirect_uri) return invalidGrant('Malformed auth code.');
          if (createHash('sha256').update(form.code_verifier ?? '').digest('base64url') !== pending.challenge) return invalidGrant('Invalid code verifier.');
          const refreshToken = `1//${randomUUID()}`;
          refreshTokens.add(refreshToken);
          const idToken = ['e30', Buffer.from(JSON.stringify({ email: 'owner@example.test' })).toString('base64url'), 'sig'].join('.');
          return { status: 200, body: { access_token: issue(refreshToken), expires_in: 3599, refresh_token: refreshToken, scope: pending.scope, token_type: 'Bearer', id_token: idToken } };
        }
        if (form.grant_type === 'refresh_token') {
          const token = form.refresh_token ?? '';
          if (!refreshTokens.has(token) || revoked.has(token)) return invalidGrant('Token has been expired or revoked.');
          // Google keeps the refresh token: no new one in the answer.
          return { status: 200, body: { access_token: issue(token), expires_in: 3599, scope: 'https://www.googleapis.com/auth/calendar', token_type: 'Bearer' } };
        }
        return { status: 400, body: { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.grant_type}` } };
      }),
      route('GET', '/calendar/v3/users/me/calendarList', api(() => ({
        status: 200,
        body: {
          kind: 'calendar#calendarList',
          items: [...calendars.values()].map((c) => ({ kind: 'calendar#calendarListEntry', id: c.id, summary: c.summary, timeZone: c.timeZone, primary: c.primary || undefined, accessRole: c.accessRole })),
        },
      }))),
      route('POST', '/calendar/v3/freeBusy', api((request) => {
        const body = request.body as { timeMin?: string; timeMax?: string; items?: { id: string }[] };
        if ((body.items ?? []).length > 50) return googleError(400, 'tooManyCalendarsRequestedForTimeRange', 'Too many calendars requested for the time range.');
        const result: Record<string, unknown> = {};
        for (const { id } of body.items ?? []) {
          const cal = calendars.get(id);
          if (!cal) {
            result[id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
            continue;
          }
          const busy = [...cal.events.values()]
            .filter((e) => e.status !== 'cancelled' && e.transparency !== 'transparent' && overlaps(e, body.timeMin, body.timeMax))
            .map((e) => ({ start: e.start.dateTime ?? `${e.start.date}T00:00:00Z`, end: e.end.dateTime ?? `${e.end.date}T00:00:00Z` }));
          result[id] = { busy };
        }
        return { status: 200, body: { kind: 'calendar#freeBusy', timeMin: body.timeMin, timeMax: body.timeMax, calendars: result } };
      })),
      route('POST', '/calendar/v3/channels/stop', api((request) => {
        const body = request.body as { id?: string; resourceId?: string };
        const channel = channels.get(body.id ?? '');
        if (!channel || channel.resourceId !== body.resourceId) return googleError(404, 'notFound', `Channel '${body.id}' not found for project`);
        channels.delete(channel.id);
        return { status: 204 };
      })),
      route('POST', '/calendar/v3/calendars/:calendarId/events/watch', api((request) => {
        const cal = calendarOf(request);
        if (isAnswer(cal)) return cal;
        const body = request.body as { id?: string; type?: string; address?: string; token?: string; params?: { ttl?: string } };
        if (!body.id || body.id.length > 64 || body.type !== 'web_hook') return googleError(400, 'invalid', 'Invalid channel');
        if (!body.address?.startsWith('https://') && !(options.allowHttpWebhooks && body.address?.startsWith('http://'))) {
          return googleError(400, 'push.webhookUrlNotHttps', 'WebHook callback must be HTTPS: ' + body.address);
        }
        if (channels.has(body.id)) return googleError(400, 'channelIdNotUnique', 'Channel id not unique');
        const ttl = Math.min(Number(body.params?.ttl ?? 604_800), 2_592_000);
        const channel: Channel = { id: body.id, resourceId: randomUUID().replaceAll('-', ''), calendarId: cal.id, address: body.address, token: body.token, expiration: Date.now() + ttl * 1000, messages: 0 };
        channels.set(channel.id, channel);
        return {
          status: 200,
          body: { kind: 'api#channel', id: channel.id, resourceId: channel.resourceId, resourceUri: `${kit.url}/calendar/v3/calendars/${encodeURIComponent(cal.id)}/events?alt=json`, token: channel.token, expiration: String(channel.expiration) },
        };
      })),
      route('GET', '/calendar/v3/calendars/:calendarId/events', api((request) => {
        const cal = calendarOf(request);
        if (isAnswer(cal)) return cal;
        const q = request.query as Record<string, string>;
        const size = Math.min(Number(q.maxResults ?? 250), 2500);
        const { pageToken, ...query } = q;
        let items: GoogleFakeEvent[];
        if (q.syncToken) {
          const refused = ['timeMin', 'timeMax', 'orderBy', 'q', 'iCalUID', 'updatedMin', 'privateExtendedProperty', 'sharedExtendedProperty'].find((p) => q[p] !== undefined);
          if (refused) return googleError(400, 'invalid', `${refused} is not allowed with a sync token`);
          let decoded: { c?: string; s?: number; g?: number };
          try {
            decoded = JSON.parse(Buffer.from(q.syncToken, 'base64url').toString('utf8')) as typeof decoded;
          } catch {
            return googleError(400, 'invalid', 'Invalid sync token value.');
          }
          if (decoded.c !== cal.id || decoded.g !== tokenGeneration) {
            return googleError(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.');
          }
          // Incremental: everything changed since, deleted ones as cancelled tombstones.
          items = [...cal.events.values()].filter((e) => e.seq > (decoded.s ?? 0));
        } else {
          items = [...cal.events.values()].filter((e) => (q.showDeleted === 'true' || e.status !== 'cancelled') && overlaps(e, q.timeMin, q.timeMax));
        }
        items.sort((a, b) => a.seq - b.seq);
        let page;
        try {
          page = pageOf(items, { size, token: pageToken, query });
        } catch (error) {
          if (error instanceof FakePageTokenError) return googleError(400, 'invalid', 'Invalid page token value.');
          throw error;
        }
        return {
          status: 200,
          body: {
            kind: 'calendar#events',
            summary: cal.summary,
            timeZone: cal.timeZone,
            updated: new Date().toISOString(),
            items: page.items.map(shown),
            // Only the last page carries the sync token.
            ...(page.next ? { nextPageToken: page.next } : { nextSyncToken: syncTokenOf(cal) }),
          },
        };
      })),
      route('POST', '/calendar/v3/calendars/:calendarId/events', api((request) => {
        const cal = calendarOf(request);
        if (isAnswer(cal)) return cal;
        const body = request.body as Partial<GoogleFakeEvent>;
        const id = body.id ?? randomUUID().replaceAll('-', '');
        if (!base32hex.test(id)) return googleError(400, 'invalid', 'Invalid resource id value.');
        // Google keeps the ids of deleted events: they cannot be used again.
        if (cal.events.has(id)) return googleError(409, 'duplicate', 'The requested identifier already exists.');
        if (!body.start || !body.end) return googleError(400, 'required', 'Missing end time.');
        const event = { ...body, id, status: body.status ?? 'confirmed', start: body.start, end: body.end } as GoogleFakeEvent;
        touch(event);
        cal.events.set(id, event);
        return { status: 200, body: shown(event) };
      })),
      route('GET', '/calendar/v3/calendars/:calendarId/events/:eventId', api((request) => {
        const cal = calendarOf(request);
        if (isAnswer(cal)) return cal;
        const event = cal.events.get(request.params.eventId!);
        return event ? { status: 200, body: shown(event) } : googleError(404, 'notFound', 'Not Found');
      })),
      route('PATCH', '/calendar/v3/calendars/:calendarId/events/:eventId', api((request) => {
        const cal = calendarOf(request);
        if (isAnswer(cal)) return cal;
        const event = cal.events.get(request.params.eventId!);
        if (!event || (event.status === 'cancelled' && options.undeleteByPatch === false)) return googleError(404, 'notFound', 'Not Found');
        Object.assign(event, request.body, { id: event.id });
        touch(event);
        return { status: 200, body: shown(event) };
      })),
      route('DELETE', '/calendar/v3/calendars/:calendarId/events/:eventId', api((request) => {
        const cal = calendarOf(request);
        if (isAnswer(cal)) return cal;
        const event = cal.events.get(request.params.eventId!);
        if (!event) return googleError(404, 'notFound', 'Not Found');
        if (event.status === 'cancelled') return googleError(410, 'deleted', 'Resource has been deleted');
        event.status = 'cancelled';
        touch(event);
        return { status: 204 };
      })),
    ],
  });

  const eventIn = (calendarId: string, id: string) => {
    const event = calendars.get(calendarId)?.events.get(id);
    if (!event) throw new Error(`google fake: no event ${id} in ${calendarId}`);
    return event;
  };

  return Object.assign(kit, {
    calendars,
    channels,
    primaryId: 'primary-calendar@example.test',
    addCalendar,
    /** An event someone made in Google (busy unless `transparent`). */
    addBusy(calendarId: string, input: { start: Date; end: Date; summary?: string; transparent?: boolean; allDay?: boolean }): GoogleFakeEvent {
      const cal = calendars.get(calendarId);
      if (!cal) throw new Error(`google fake: no calendar ${calendarId}`);
      const day = (d: Date) => d.toISOString().slice(0, 10);
      const event = {
        id: randomUUID().replaceAll('-', ''),
        summary: input.summary ?? 'Busy',
        start: input.allDay ? { date: day(input.start) } : { dateTime: input.start.toISOString() },
        end: input.allDay ? { date: day(input.end) } : { dateTime: input.end.toISOString() },
        status: 'confirmed',
        transparency: input.transparent ? 'transparent' : 'opaque',
      } as GoogleFakeEvent;
      touch(event);
      cal.events.set(event.id, event);
      return event;
    },
    /** Someone moved the event in Google. */
    externalMove(calendarId: string, id: string, start: Date, end: Date) {
      const event = eventIn(calendarId, id);
      event.start = { dateTime: start.toISOString() };
      event.end = { dateTime: end.toISOString() };
      touch(event);
    },
    /** Someone deleted the event in Google. */
    externalDelete(calendarId: string, id: string) {
      const event = eventIn(calendarId, id);
      event.status = 'cancelled';
      touch(event);
    },
    /** Every sync token handed out so far answers 410 from now on. */
    expireSyncTokens() {
      tokenGeneration += 1;
    },
    /** The user revoked access: the refresh token answers invalid_grant, its access tokens 401. */
    revoke(refreshToken?: string) {
      for (const token of refreshToken ? [refreshToken] : refreshTokens) revoked.add(token);
    },
    /** Access tokens handed out so far expire now (the next call needs a refresh). */
    expireAccessTokens() {
      for (const entry of accessTokens.values()) entry.expiresAt = 0;
    },
    refreshTokens,
    /** A push notification as Google sends it: no body, X-Goog-* headers, unsigned. */
    notification(channelId: string, state: 'sync' | 'exists' | 'not_exists' = 'exists', override: { token?: string } = {}) {
      const channel = channels.get(channelId);
      if (!channel) throw new Error(`google fake: no channel ${channelId}`);
      channel.messages += 1;
      return {
        url: channel.address,
        body: '',
        sign: false as const,
        headers: {
          'x-goog-channel-id': channel.id,
          ...((override.token ?? channel.token) ? { 'x-goog-channel-token': override.token ?? channel.token! } : {}),
          'x-goog-channel-expiration': new Date(channel.expiration).toUTCString(),
          'x-goog-resource-id': channel.resourceId,
          'x-goog-resource-uri': `${kit.url}/calendar/v3/calendars/${encodeURIComponent(channel.calendarId)}/events?alt=json`,
          'x-goog-resource-state': state,
          'x-goog-message-number': String(channel.messages),
        },
      };
    },
  });
}

export type GoogleFake = Awaited<ReturnType<typeof startGoogleFake>>;
