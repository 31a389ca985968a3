// A local Microsoft identity platform + Graph calendar: the token endpoint rotating refresh
// tokens (the old one dies at each refresh), calendars, events deduplicated by transactionId,
// calendarView and its delta (nextLink / deltaLink / @removed, 410 SyncStateNotFound),
// subscriptions with the validationToken handshake, and change / lifecycle notifications.
import { createHash, randomUUID } from 'node:crypto';
import { route, startFakeProvider, type FakeAnswer, type FakeProvider, type FakeRequest } from '@soshogle/core/testing';

export interface GraphFakeEvent {
  id: string;
  subject?: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  isAllDay: boolean;
  isCancelled: boolean;
  showAs: 'free' | 'busy' | 'tentative' | 'oof';
  transactionId?: string | null;
  changeKey: string;
  /** The fake's change counter when it last changed, and whether it is deleted. */
  seq: number;
  deleted: boolean;
  [field: string]: unknown;
}

interface Subscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  clientState?: string;
  expirationDateTime: string;
}

export interface GraphFakeOptions {
  clientId: string;
  clientSecret: string;
  /** Expired delta tokens answer 410 SyncStateNotFound (default) or 400 syncStateNotFound. */
  expiredDelta?: 410 | 400;
}

const graphError = (status: number, code: string, message: string): FakeAnswer => ({ status, body: { error: { code, message, innerError: { 'request-id': randomUUID(), date: new Date().toISOString() } } } });
const notFoundItem = graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
const graphTime = (d: Date) => d.toISOString().slice(0, 23).padEnd(27, '0');
const instant = (t: { dateTime: string }) => Date.parse(/Z$/.test(t.dateTime) ? t.dateTime : `${t.dateTime}Z`);

export async function startGraphFake(options: GraphFakeOptions) {
  const calendars = new Map<string, { id: string; name: string; isDefaultCalendar: boolean; canEdit: boolean; events: Map<string, GraphFakeEvent> }>();
  const accessTokens = new Map<string, number>();
  const liveRefreshTokens = new Set<string>();
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const subscriptions = new Map<string, Subscription>();
  let seq = 0;
  let deltaGeneration = 0;
  calendars.set('AAMkCal1', { id: 'AAMkCal1', name: 'Calendar', isDefaultCalendar: true, canEdit: true, events: new Map() });

  const touch = (event: GraphFakeEvent) => {
    event.seq = ++seq;
    event.changeKey = `ck${event.seq}`;
  };
  const shown = (event: GraphFakeEvent) => {
    const { seq: _s, deleted: _d, ...rest } = event;
    return { '@odata.etag': `W/"${event.changeKey}"`, ...rest };
  };
  const authed = (request: FakeRequest) => (accessTokens.get(String(request.headers.authorization ?? '').replace(/^Bearer /, '')) ?? 0) > Date.now();
  const api = (handler: (request: FakeRequest<Record<string, unknown>>) => FakeAnswer | Promise<FakeAnswer>) => (request: FakeRequest<Record<string, unknown>>) =>
    authed(request) ? handler(request) : graphError(401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.');
  const findEvent = (id: string) => {
    for (const cal of calendars.values()) {
      const event = cal.events.get(id);
      if (event && !event.deleted) return event;
    }
    return undefined;
  };
  const issue = () => {
    const accessToken = `eyJ0.${randomUUID()}`;
    accessTokens.set(accessToken, Date.now() + 3_600_000);
    const refreshToken = `M.R3_${randomUUID()}`;
    liveRefreshTokens.add(refreshToken);
    return { token_type: 'Bearer', scope: 'openid email offline_access Calendars.ReadWrite', expires_in: 3599, access_token: accessToken, refresh_token: refreshToken };
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const decode = <T>(value: string): T | null => {
    try {
      return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as T;
    } catch {
      return null;
    }
  };
  const pageSize = (request: FakeRequest) => Number(/odata\.maxpagesize=(\d+)/.exec(String(request.headers.prefer ?? ''))?.[1] ?? 10);

  const kit: FakeProvider<Record<string, unknown>> = await startFakeProvider<Record<string, unknown>>({
    name: 'graph',
    routes: [
      route('GET', '/:tenant/oauth2/v2.0/authorize', (request) => {
        const q = request.query as Record<string, string>;
        if (q.client_id !== options.clientId) return { status: 400, body: 'AADSTS700016: Application not found' };
        const code = `M.C5_${randomUUID()}`;
        codes.set(code, { challenge: q.code_challenge ?? '', redirectUri: q.redirect_uri ?? '' });
        const to = new URL(q.redirect_uri ?? '');
        to.searchParams.set('code', code);
        to.searchParams.set('state', q.state ?? '');
        return { status: 302, headers: { location: to.toString() } };
      }),
      route('POST', '/:tenant/oauth2/v2.0/token', (request) => {
        const form = request.body as Record<string, string>;
        const invalidGrant = (code: number, text: string) => ({ status: 400, body: { error: 'invalid_grant', error_description: `AADSTS${code}: ${text}`, error_codes: [code] } });
        if (form.client_id !== options.clientId || form.client_secret !== options.clientSecret) {
          return { status: 401, body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] } };
        }
        if (form.grant_type === 'authorization_code') {
          const pending = codes.get(form.code ?? '');
          codes.delete(form.code ?? '');
          if (!pending || pending.redirectUri !== form.redirect_uri) return invalidGrant(70008, 'The provided authorization code or refresh token has expired due to inactivity.');
          if (createHash('sha256').update(form.code_verifier ?? '').digest('base64url') !== pending.challenge) return invalidGrant(501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
          const idToken = ['e30', Buffer.from(JSON.stringify({ preferred_username: 'owner@contoso.test' })).toString('base64url'), 'sig'].join('.');
          return { status: 200, body: { ...issue(), id_token: idToken } };
        }
        if (form.grant_type === 'refresh_token') {
          // Every refresh hands out a new refresh token; the one spent is dead.
          if (!liveRefreshTokens.delete(form.refresh_token ?? '')) return invalidGrant(700082, 'The refresh token has expired due to inactivity.');
          return { status: 200, body: issue() };
        }
        return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'AADSTS70003: unsupported grant type', error_codes: [70003] } };
      }),
      route('GET', '/v1.0/me/calendars', api(() => ({
        status: 200,
        body: { value: [...calendars.values()].map(({ events: _e, ...c }) => c) },
      }))),
      route('POST', '/v1.0/me/calendars/:id/events', api((request) => {
        const cal = calendars.get(request.params.id!);
        if (!cal) return notFoundItem;
        const body = request.body as Partial<GraphFakeEvent>;
        // transactionId: a retried create gets the event the first one made.
        const again = body.transactionId ? [...cal.events.values()].find((e) => e.transactionId === body.transactionId && !e.deleted) : undefined;
        if (again) return { status: 201, body: shown(again) };
        if (!body.start || !body.end) return graphError(400, 'ErrorInvalidRequest', 'Start and end are required.');
        const event = { showAs: 'busy', isAllDay: false, isCancelled: false, ...body, id: `AAMkEv${randomUUID().replaceAll('-', '')}`, deleted: false } as GraphFakeEvent;
        touch(event);
        cal.events.set(event.id, event);
        return { status: 201, body: shown(event) };
      })),
      route('PATCH', '/v1.0/me/events/:id', api((request) => {
        const event = findEvent(request.params.id!);
        if (!event) return notFoundItem;
        Object.assign(event, request.body, { id: event.id });
        touch(event);
        return { status: 200, body: shown(event) };
      })),
      route('DELETE', '/v1.0/me/events/:id', api((request) => {
        const event = findEvent(request.params.id!);
        if (!event) return notFoundItem;
        event.deleted = true;
        touch(event);
        return { status: 204 };
      })),
      route('GET', '/v1.0/me/calendars/:id/calendarView', api((request) => {
        const cal = calendars.get(request.params.id!);
        if (!cal) return notFoundItem;
        const q = request.query as Record<string, string>;
        const from = Date.parse(q.startDateTime ?? ''), to = Date.parse(q.endDateTime ?? '');
        if (Number.isNaN(from) || Number.isNaN(to)) return graphError(400, 'ErrorInvalidParameter', 'startDateTime and endDateTime are required.');
        return { status: 200, body: { value: [...cal.events.values()].filter((e) => !e.deleted && instant(e.end) > from && instant(e.start) < to).map(shown) } };
      })),
      route('GET', '/v1.0/me/calendars/:id/calendarView/delta', api((request) => {
        const cal = calendars.get(request.params.id!);
        if (!cal) return notFoundItem;
        const q = request.query as Record<string, string>;
        type Cursor = { from: number; to: number; since: number; upTo: number; offset: number; g: number };
        let cursor: Cursor | null;
        if (q.$skiptoken) cursor = decode<Cursor>(q.$skiptoken);
        else if (q.$deltatoken) {
          const delta = decode<Cursor>(q.$deltatoken);
          cursor = delta && { ...delta, since: delta.upTo, upTo: seq, offset: 0 };
        } else {
          const from = Date.parse(q.startDateTime ?? ''), to = Date.parse(q.endDateTime ?? '');
          if (Number.isNaN(from) || Number.isNaN(to)) return graphError(400, 'ErrorInvalidParameter', 'startDateTime and endDateTime are required on the first call.');
          cursor = { from, to, since: 0, upTo: seq, offset: 0, g: deltaGeneration };
        }
        if (!cursor || cursor.g !== deltaGeneration) {
          return options.expiredDelta === 400 ? graphError(400, 'syncStateNotFound', 'The sync state is not found.') : graphError(410, 'SyncStateNotFound', 'The sync state generation is not found.');
        }
        const c = cursor;
        const changed = [...cal.events.values()]
          .filter((e) => e.seq > c.since && e.seq <= c.upTo && instant(e.end) > c.from && instant(e.start) < c.to && (c.since > 0 || !e.deleted))
          .sort((a, b) => a.seq - b.seq);
        const size = pageSize(request);
        const items = changed.slice(c.offset, c.offset + size).map((e) => (e.deleted ? { id: e.id, '@removed': { reason: 'deleted' } } : shown(e)));
        const path = `${kit.url}/v1.0/me/calendars/${encodeURIComponent(cal.id)}/calendarView/delta`;
        const more = c.offset + size < changed.length;
        return {
          status: 200,
          body: more
            ? { value: items, '@odata.nextLink': `${path}?$skiptoken=${encode({ ...c, offset: c.offset + size })}` }
            : { value: items, '@odata.deltaLink': `${path}?$deltatoken=${encode({ ...c, offset: 0 })}` },
        };
      })),
      route('POST', '/v1.0/subscriptions', api(async (request) => {
        const body = request.body as Partial<Subscription>;
        if (!body.notificationUrl || !body.resource || !body.changeType || !body.expirationDateTime) return graphError(400, 'ValidationError', 'Missing subscription fields.');
        if ((body.clientState ?? '').length > 128) return graphError(400, 'ValidationError', 'clientState is longer than 128 characters.');
        // The handshake: Graph posts a validation token and wants it back, as text, within 10 s.
        const token = randomUUID();
        let echoed = false;
        try {
          const url = new URL(body.notificationUrl);
          url.searchParams.set('validationToken', token);
          const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, signal: AbortSignal.timeout(10_000) });
          echoed = answer.status === 200 && (await answer.text()) === token;
        } catch {
          echoed = false;
        }
        if (!echoed) return graphError(400, 'ValidationError', 'Subscription validation request failed. Response must exactly match validationToken query parameter.');
        const subscription: Subscription = {
          id: randomUUID(),
          resource: body.resource,
          changeType: body.changeType,
          notificationUrl: body.notificationUrl,
          lifecycleNotificationUrl: body.lifecycleNotificationUrl,
          clientState: body.clientState,
          expirationDateTime: body.expirationDateTime,
        };
        subscriptions.set(subscription.id, subscription);
        return { status: 201, body: { '@odata.context': `${kit.url}/v1.0/$metadata#subscriptions/$entity`, ...subscription } };
      })),
      route('PATCH', '/v1.0/subscriptions/:id', api((request) => {
        const subscription = subscriptions.get(request.params.id!);
        if (!subscription) return graphError(404, 'ResourceNotFound', 'The object was not found.');
        subscription.expirationDateTime = String((request.body as { expirationDateTime?: string }).expirationDateTime ?? subscription.expirationDateTime);
        return { status: 200, body: subscription };
      })),
      route('DELETE', '/v1.0/subscriptions/:id', api((request) =>
        subscriptions.delete(request.params.id!) ? { status: 204 } : graphError(404, 'ResourceNotFound', 'The object was not found.'),
      )),
    ],
  });

  const eventById = (id: string) => {
    const event = findEvent(id);
    if (!event) throw new Error(`graph fake: no event ${id}`);
    return event;
  };
  const subscriptionById = (id: string) => {
    const subscription = subscriptions.get(id);
    if (!subscription) throw new Error(`graph fake: no subscription ${id}`);
    return subscription;
  };

  return Object.assign(kit, {
    calendars,
    subscriptions,
    defaultCalendarId: 'AAMkCal1',
    /** An event someone made in Outlook. */
    addBusy(calendarId: string, input: { start: Date; end: Date; subject?: string; free?: boolean }): GraphFakeEvent {
      const cal = calendars.get(calendarId);
      if (!cal) throw new Error(`graph fake: no calendar ${calendarId}`);
      const event = {
        id: `AAMkEv${randomUUID().replaceAll('-', '')}`,
        subject: input.subject ?? 'Busy',
        start: { dateTime: graphTime(input.start), timeZone: 'UTC' },
        end: { dateTime: graphTime(input.end), timeZone: 'UTC' },
        isAllDay: false,
        isCancelled: false,
        showAs: input.free ? 'free' : 'busy',
        deleted: false,
      } as GraphFakeEvent;
      touch(event);
      cal.events.set(event.id, event);
      return event;
    },
    externalMove(id: string, start: Date, end: Date) {
      const event = eventById(id);
      event.start = { dateTime: graphTime(start), timeZone: 'UTC' };
      event.end = { dateTime: graphTime(end), timeZone: 'UTC' };
      touch(event);
    },
    externalDelete(id: string) {
      const event = eventById(id);
      event.deleted = true;
      touch(event);
    },
    /** Every delta token handed out so far is refused from now on. */
    expireDeltaTokens() {
      deltaGeneration += 1;
    },
    /** The user revoked consent: every refresh token answers invalid_grant, every access token 401. */
    revoke() {
      liveRefreshTokens.clear();
      accessTokens.clear();
    },
    expireAccessTokens() {
      for (const token of accessTokens.keys()) accessTokens.set(token, 0);
    },
    /** A change notification as Graph posts it (JSON, clientState echoed, no signature). */
    changeNotification(subscriptionId: string, changeType: 'created' | 'updated' | 'deleted', eventId: string, override: { clientState?: string } = {}) {
      const s = subscriptionById(subscriptionId);
      return {
        url: s.notificationUrl,
        sign: false as const,
        body: {
          value: [{
            subscriptionId: s.id,
            subscriptionExpirationDateTime: s.expirationDateTime,
            changeType,
            resource: `Users/owner/Events/${eventId}`,
            resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': `Users/owner/Events/${eventId}`, id: eventId },
            clientState: override.clientState ?? s.clientState,
            tenantId: '00000000-0000-0000-0000-000000000001',
          }],
        },
      };
    },
    /** A lifecycle notification: reauthorizationRequired, subscriptionRemoved or missed. */
    lifecycle(subscriptionId: string, lifecycleEvent: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed') {
      const s = subscriptionById(subscriptionId);
      return {
        url: s.lifecycleNotificationUrl ?? s.notificationUrl,
        sign: false as const,
        body: { value: [{ subscriptionId: s.id, subscriptionExpirationDateTime: s.expirationDateTime, lifecycleEvent, resource: s.resource, clientState: s.clientState, tenantId: '00000000-0000-0000-0000-000000000001' }] },
      };
    },
  });
}

export type GraphFake = Awaited<ReturnType<typeof startGraphFake>>;
