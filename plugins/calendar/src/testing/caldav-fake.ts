// A local iCloud CalDAV server: Basic auth that only takes app-specific passwords, the
// well-known redirect, principal and calendar-home discovery (the home on a second prefix,
// as iCloud's partition hosts), calendars with ctag and sync-token, calendar-query and
// calendar-multiget, RFC 6578 sync-collection (403 valid-sync-token when stale), and
// ETag-conditional PUT/DELETE (412 on a mismatch), as tsdav calls it. Recurring events
// (RRULE FREQ=DAILY or WEEKLY with INTERVAL, COUNT, UNTIL, and EXDATE; times in UTC; no
// overridden instances) match a time-range by any instance, and `<C:expand start end>` in the
// calendar-data asked for returns each instance in the range as its own VEVENT with a
// RECURRENCE-ID (RFC 4791 9.6.5), as iCloud and other servers do.
import { route, startFakeProvider, type FakeAnswer, type FakeProvider, type FakeRequest } from '@soshogle/core/testing';

export interface CaldavObject {
  uid: string;
  ics: string;
  etag: string;
  /** The collection's change counter when it last changed, and whether it is deleted. */
  seq: number;
  deleted: boolean;
}

interface Collection {
  name: string;
  displayName: string;
  objects: Map<string, CaldavObject>;
  seq: number;
  tokenGeneration: number;
}

const appPassword = /^[a-z]{4}-[a-z]{4}-[a-z]{4}-[a-z]{4}$/;
const ns = 'xmlns:d="DAV:" xmlns:cal="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"';
const multistatus = (inner: string): FakeAnswer => ({ status: 207, headers: { 'content-type': 'application/xml; charset=utf-8' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<d:multistatus ${ns}>${inner}</d:multistatus>` });
const ok = (href: string, props: string) => `<d:response><d:href>${href}</d:href><d:propstat><d:prop>${props}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const hrefsOf = (xml: string) => [...xml.matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)].map((m) => decodeURIComponent(m[1]!.trim()));

/** The iCalendar instant of a DTSTART/DTEND line (UTC `Z` or a DATE; floating times read as UTC). */
function icsInstant(ics: string, name: 'DTSTART' | 'DTEND'): number {
  const match = new RegExp(`^${name}[^:\\r\\n]*:(\\d{8})(T(\\d{6})Z?)?`, 'm').exec(ics);
  if (!match) return Number.NaN;
  const d = match[1]!;
  const t = match[3] ?? '000000';
  return Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6));
}
const icsTime = (instant: Date) => instant.toISOString().replaceAll(/[-:]/g, '').replace(/\.\d{3}/, '');
/** `20301204T090000Z` (or a DATE) as epoch ms. */
const icsAt = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +(s.slice(9, 11) || 0), +(s.slice(11, 13) || 0), +(s.slice(13, 15) || 0));

interface Range {
  start: number;
  end: number;
}

/** The event's instances (a single event's one, wherever it is; a series' that start before `until`). */
function instancesOf(ics: string, until = Number.POSITIVE_INFINITY): Range[] {
  const start = icsInstant(ics, 'DTSTART');
  const length = icsInstant(ics, 'DTEND') - start;
  const rule = /^RRULE:([^\r\n]*)/m.exec(ics)?.[1];
  if (!rule) return [{ start, end: start + length }];
  const parts = new Map(rule.split(';').map((p) => p.split('=') as [string, string]));
  const unsupported = [...parts.keys()].filter((k) => !['FREQ', 'INTERVAL', 'COUNT', 'UNTIL'].includes(k));
  const days = { DAILY: 1, WEEKLY: 7 }[parts.get('FREQ') ?? ''];
  if (!days || unsupported.length) throw new Error(`caldav fake: RRULE ${rule} is not supported`);
  const step = days * Number(parts.get('INTERVAL') ?? 1) * 86_400_000;
  const count = Number(parts.get('COUNT') ?? Number.POSITIVE_INFINITY);
  const last = parts.has('UNTIL') ? icsAt(parts.get('UNTIL')!) : Number.POSITIVE_INFINITY;
  const excluded = new Set([...ics.matchAll(/^EXDATE[^:\r\n]*:([^\r\n]*)/gm)].flatMap((m) => m[1]!.split(',').map((v) => icsAt(v.trim()))));
  const instances: Range[] = [];
  // COUNT counts the excluded instances too (RFC 5545 3.8.5.1).
  for (let i = 0, at = start; i < count && at <= last && at < until; i++, at += step) {
    if (!excluded.has(at)) instances.push({ start: at, end: at + length });
  }
  return instances;
}

/** The object's calendar data with its instances in `range` as VEVENTs of their own (RFC 4791 expand). */
function expanded(ics: string, range: Range): string {
  if (!/^RRULE:/m.test(ics)) return ics;
  const lines = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const begin = lines.indexOf('BEGIN:VEVENT');
  const end = lines.indexOf('END:VEVENT');
  const kept = lines.slice(begin + 1, end).filter((l) => !/^(DTSTART|DTEND|RRULE|EXDATE|RDATE)[;:]/.test(l));
  const events = instancesOf(ics, range.end)
    .filter((i) => i.end > range.start)
    .flatMap((i) => ['BEGIN:VEVENT', ...kept, `RECURRENCE-ID:${icsTime(new Date(i.start))}`, `DTSTART:${icsTime(new Date(i.start))}`, `DTEND:${icsTime(new Date(i.end))}`, 'END:VEVENT']);
  return [...lines.slice(0, begin), ...events, ...lines.slice(end + 1)].join('\r\n');
}

export async function startCaldavFake(options: { username: string; password: string }) {
  const principal = '/123456/principal/';
  const home = '/p07/123456/calendars/';
  const collections = new Map<string, Collection>([['work', { name: 'work', displayName: 'Work', objects: new Map(), seq: 1, tokenGeneration: 0 }]]);

  const authed = (request: FakeRequest) => {
    const [scheme, encoded] = String(request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Basic' || !encoded) return false;
    const [user, ...rest] = Buffer.from(encoded, 'base64').toString('utf8').split(':');
    const password = rest.join(':');
    return user === options.username && password === options.password && appPassword.test(password);
  };
  const guard = (handler: (request: FakeRequest<unknown>) => FakeAnswer) => (request: FakeRequest<unknown>) =>
    authed(request) ? handler(request) : { status: 401, headers: { 'www-authenticate': 'Basic realm="iCloud"' }, body: 'Unauthorized' };
  const collectionOf = (request: FakeRequest<unknown>) => collections.get(request.params.collection ?? '');
  const tokenOf = (c: Collection) => `https://caldav.example.test/sync/${c.name}/${c.tokenGeneration}/${c.seq}`;
  const ctagOf = (c: Collection) => `"ctag-${c.seq}"`;
  const objectHref = (c: Collection, uid: string) => `${home}${c.name}/${uid}.ics`;
  const calendarData = (c: Collection, o: CaldavObject, expand: Range | null) =>
    ok(objectHref(c, o.uid), `<d:getetag>${o.etag}</d:getetag><cal:calendar-data>${escapeXml(expand ? expanded(o.ics, expand) : o.ics)}</cal:calendar-data>`);
  const bump = (c: Collection, o: CaldavObject) => {
    c.seq += 1;
    o.seq = c.seq;
    o.etag = `"${c.name}-${o.uid}-${c.seq}"`;
  };

  const kit: FakeProvider<unknown> = await startFakeProvider<unknown>({
    name: 'caldav',
    routes: [
      route('PROPFIND', '/.well-known/caldav', () => ({ status: 301, headers: { location: '/' } })),
      route('PROPFIND', '/', guard(() => multistatus(ok('/', `<d:current-user-principal><d:href>${principal}</d:href></d:current-user-principal>`)))),
      route('PROPFIND', principal, guard(() => multistatus(ok(principal, `<cal:calendar-home-set><d:href>${kit.url}${home}</d:href></cal:calendar-home-set><d:displayname>Owner</d:displayname>`)))),
      route('PROPFIND', home, guard(() =>
        multistatus(
          ok(home, '<d:resourcetype><d:collection/></d:resourcetype>') +
            [...collections.values()]
              .map((c) =>
                ok(
                  `${home}${c.name}/`,
                  `<d:displayname>${c.displayName}</d:displayname><d:resourcetype><d:collection/><cal:calendar/></d:resourcetype><cs:getctag>${ctagOf(c)}</cs:getctag><d:sync-token>${tokenOf(c)}</d:sync-token><cal:supported-calendar-component-set><cal:comp name="VEVENT"/></cal:supported-calendar-component-set>`,
                ),
              )
              .join(''),
        ),
      )),
      route('PROPFIND', `${home}:collection/`, guard((request) => {
        const c = collectionOf(request);
        if (!c) return { status: 404 };
        return multistatus(ok(`${home}${c.name}/`, `<d:displayname>${c.displayName}</d:displayname><cs:getctag>${ctagOf(c)}</cs:getctag><d:sync-token>${tokenOf(c)}</d:sync-token>`));
      })),
      route('REPORT', `${home}:collection/`, guard((request) => {
        const c = collectionOf(request);
        if (!c) return { status: 404 };
        const xml = request.raw.toString('utf8');
        const live = [...c.objects.values()].filter((o) => !o.deleted);
        if (/sync-collection/.test(xml)) {
          const token = /<(?:\w+:)?sync-token>([^<]*)</.exec(xml)?.[1]?.trim() ?? '';
          let since = 0;
          if (token) {
            const [, , , , name, generation, seq] = token.split('/');
            if (name !== c.name || Number(generation) !== c.tokenGeneration) {
              return { status: 403, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0"?><d:error xmlns:d="DAV:"><d:valid-sync-token/></d:error>` };
            }
            since = Number(seq);
          }
          const changed = [...c.objects.values()].filter((o) => o.seq > since && (since > 0 || !o.deleted));
          return multistatus(
            changed.map((o) => (o.deleted ? `<d:response><d:href>${objectHref(c, o.uid)}</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>` : ok(objectHref(c, o.uid), `<d:getetag>${o.etag}</d:getetag>`))).join('') +
              `<d:sync-token>${tokenOf(c)}</d:sync-token>`,
          );
        }
        const rangeIn = (tag: string): Range | null => {
          const match = new RegExp(`<(?:\\w+:)?${tag}\\s[^>]*start="(\\d{8}T\\d{6}Z)"[^>]*end="(\\d{8}T\\d{6}Z)"`).exec(xml);
          return match ? { start: icsAt(match[1]!), end: icsAt(match[2]!) } : null;
        };
        const expand = rangeIn('expand');
        if (/calendar-multiget/.test(xml)) {
          const wanted = new Set(hrefsOf(xml));
          return multistatus(live.filter((o) => wanted.has(objectHref(c, o.uid))).map((o) => calendarData(c, o, expand)).join(''));
        }
        // calendar-query, optionally limited to a time range: an object matches by any of its instances.
        const range = rangeIn('time-range');
        const inRange = (o: CaldavObject) => !range || instancesOf(o.ics, range.end).some((i) => i.start < range.end && i.end > range.start);
        return multistatus(live.filter(inRange).map((o) => calendarData(c, o, expand)).join(''));
      })),
      route('GET', `${home}:collection/:uid.ics`, guard((request) => {
        const o = collectionOf(request)?.objects.get(request.params.uid!);
        return o && !o.deleted ? { status: 200, headers: { 'content-type': 'text/calendar', etag: o.etag }, body: o.ics } : { status: 404 };
      })),
      route('PUT', `${home}:collection/:uid.ics`, guard((request) => {
        const c = collectionOf(request);
        if (!c) return { status: 409 };
        const uid = request.params.uid!;
        const existing = c.objects.get(uid);
        const live = existing && !existing.deleted;
        if (request.headers['if-none-match'] === '*' && live) return { status: 412 };
        const ifMatch = request.headers['if-match'];
        if (ifMatch && (!live || ifMatch !== existing.etag)) return { status: 412 };
        const o: CaldavObject = { uid, ics: request.raw.toString('utf8'), etag: '', seq: 0, deleted: false };
        bump(c, o);
        c.objects.set(uid, o);
        return { status: live ? 204 : 201, headers: { etag: o.etag } };
      })),
      route('DELETE', `${home}:collection/:uid.ics`, guard((request) => {
        const c = collectionOf(request);
        const o = c?.objects.get(request.params.uid!);
        if (!c || !o || o.deleted) return { status: 404 };
        const ifMatch = request.headers['if-match'];
        if (ifMatch && ifMatch !== o.etag) return { status: 412 };
        o.deleted = true;
        bump(c, o);
        return { status: 204 };
      })),
    ],
  });

  const objectIn = (collection: string, uid: string) => {
    const o = collections.get(collection)?.objects.get(uid);
    if (!o || o.deleted) throw new Error(`caldav fake: no ${uid} in ${collection}`);
    return o;
  };

  return Object.assign(kit, {
    collections,
    home,
    /** An event someone made on their iPhone. */
    addBusy(collection: string, input: { uid: string; start: Date; end: Date; summary?: string; transparent?: boolean; rrule?: string; exdates?: Date[] }): CaldavObject {
      const c = collections.get(collection);
      if (!c) throw new Error(`caldav fake: no collection ${collection}`);
      const ics = [
        'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Apple Inc.//iOS 18//EN', 'BEGIN:VEVENT', `UID:${input.uid}`, `DTSTAMP:${icsTime(new Date())}`,
        `DTSTART:${icsTime(input.start)}`, `DTEND:${icsTime(input.end)}`, `SUMMARY:${input.summary ?? 'Busy'}`, `TRANSP:${input.transparent ? 'TRANSPARENT' : 'OPAQUE'}`,
        ...(input.rrule ? [`RRULE:${input.rrule}`] : []),
        ...(input.exdates?.length ? [`EXDATE:${input.exdates.map(icsTime).join(',')}`] : []),
        'END:VEVENT', 'END:VCALENDAR', '',
      ].join('\r\n');
      const o: CaldavObject = { uid: input.uid, ics, etag: '', seq: 0, deleted: false };
      bump(c, o);
      c.objects.set(o.uid, o);
      return o;
    },
    externalMove(collection: string, uid: string, start: Date, end: Date) {
      const o = objectIn(collection, uid);
      o.ics = o.ics.replace(/^DTSTART[^\r\n]*/m, `DTSTART:${icsTime(start)}`).replace(/^DTEND[^\r\n]*/m, `DTEND:${icsTime(end)}`);
      bump(collections.get(collection)!, o);
    },
    /** Someone deleted one instance of a recurring event on their iPhone (an EXDATE). */
    externalDeleteInstance(collection: string, uid: string, instance: Date) {
      const o = objectIn(collection, uid);
      o.ics = o.ics.replace(/^(RRULE:[^\r\n]*)/m, `$1\r\nEXDATE:${icsTime(instance)}`);
      bump(collections.get(collection)!, o);
    },
    externalDelete(collection: string, uid: string) {
      const o = objectIn(collection, uid);
      o.deleted = true;
      bump(collections.get(collection)!, o);
    },
    /** Sync tokens handed out so far answer 403 valid-sync-token. */
    expireSyncTokens(collection: string) {
      collections.get(collection)!.tokenGeneration += 1;
    },
  });
}

export type CaldavFake = Awaited<ReturnType<typeof startCaldavFake>>;
export { icsInstant };
