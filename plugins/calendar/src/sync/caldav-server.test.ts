import { route, startFakeProvider } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { appleProvider } from '../providers/apple.ts';
import { startCaldavFake } from '../testing/caldav-fake.ts';
import { checkCaldavServer, isInsideAddress } from './caldav-server.ts';

describe('a CalDAV server a user names', () => {
  it('is refused when it is http or resolves to the installation’s own network', async () => {
    for (const url of ['http://caldav.example.com', 'https://127.0.0.1:5432', 'https://localhost', 'https://169.254.169.254/latest', 'https://[::1]/', 'https://10.1.2.3', 'https://[::ffff:192.168.1.1]/']) {
      await expect(checkCaldavServer(url, false), url).rejects.toMatchObject({ status: 422, errors: [{ field: 'body.serverUrl' }] });
    }
  });

  it('is allowed on a public address, or anywhere when the installation allows private servers', async () => {
    await expect(checkCaldavServer('https://17.0.0.1/', false)).resolves.toBeUndefined();
    await expect(checkCaldavServer('http://127.0.0.1:8080', true)).resolves.toBeUndefined();
    expect(isInsideAddress('8.8.8.8')).toBe(false);
    expect(isInsideAddress('fd00::1')).toBe(true);
    expect(isInsideAddress('100.64.1.1')).toBe(true);
  });
});

describe('a CalDAV server that redirects', async () => {
  const account = { username: 'owner@icloud.test', password: 'abcd-efgh-ijkl-mnop' };
  const caldav = await startCaldavFake(account);
  // Another service on the installation's network (another port of loopback), which must not be called.
  const inside = await startFakeProvider({ name: 'inside', routes: [route('*', '/', () => ({ status: 200, body: 'secret' }))] });
  afterAll(async () => {
    await caldav.close();
    await inside.close();
  });
  // The named server is the fake on 127.0.0.1: named and checked at connect (tests allow it there);
  // every other origin a request goes to is checked as it is called.
  const connect = (allowPrivate: boolean) => appleProvider({ serverUrl: caldav.url, ...account, allowPrivate });

  it('is not followed to a private or link-local address while private servers are not allowed', async () => {
    caldav.fail({ method: 'PROPFIND', path: '/' }, { status: 302, headers: { location: `${inside.url}/` } });
    await expect(connect(false)).rejects.toThrow(`refused to call ${inside.url}`);
    caldav.fail({ method: 'PROPFIND', path: '/' }, { status: 301, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
    await expect(connect(false)).rejects.toThrow('refused to call http://169.254.169.254');
    // tsdav's discovery redirect is not followed either: it falls back to the named server.
    caldav.fail({ method: 'PROPFIND', path: '/.well-known/caldav' }, { status: 301, headers: { location: `${inside.url}/` } });
    const provider = await connect(false);
    expect((await provider.listCalendars()).map((c) => c.name)).toEqual(['Work']);
    expect(inside.requests).toEqual([]);
  });

  it('is followed when the installation allows private servers, and within the named server', async () => {
    caldav.fail({ method: 'PROPFIND', path: '/' }, { status: 307, headers: { location: '/' } });
    await connect(false);
    caldav.fail({ method: 'PROPFIND', path: '/' }, { status: 302, headers: { location: `${inside.url}/` } });
    await connect(true).catch(() => null);
    expect(inside.requests.map((r) => [r.method, r.headers.authorization])).toEqual([['PROPFIND', undefined]]);
  });
});
