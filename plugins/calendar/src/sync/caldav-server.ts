// A CalDAV server address a signed-in user types in is a request our server will make: it
// must not reach the installation's own network (the database, a cloud metadata endpoint)
// unless the installation says its users may use a CalDAV server there (a Nextcloud on the LAN).
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { invalid } from '@soshogle/core';

const inside = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  inside.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) inside.addSubnet(net, prefix, 'ipv6');

/** True for loopback, private, link-local and unique-local addresses (and IPv4-mapped ones). */
export function isInsideAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isInsideAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 0) return true;
  return inside.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why our server must not call `address` (not https, does not resolve, resolves inside), or null. */
async function refusalOf(address: string | URL): Promise<string | null> {
  const url = new URL(address);
  if (url.protocol !== 'https:') return 'A CalDAV server must be https';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return 'This server name does not resolve';
  }
  return addresses.some(isInsideAddress) ? 'This server is on a private network; the installation allows that only with CALENDAR_CALDAV_PRIVATE_SERVERS=true' : null;
}

/** Refuses (422 on body.serverUrl) a server that is not https or resolves inside, unless allowed. */
export async function checkCaldavServer(serverUrl: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const refusal = await refusalOf(serverUrl);
  if (refusal) throw invalid('body.serverUrl', refusal);
}

/** A CalDAV request to an address the installation does not let us call. */
export class AddressRefused extends Error {
  override name = 'AddressRefused';
}

const maxRedirects = 5;

/**
 * The fetch every CalDAV request goes through (ours and tsdav's). The server the user named was
 * checked when they named it; any other origin a request goes to (a redirect, a principal or
 * calendar home on another host) is checked the same way before it is called, unless the
 * installation allows private servers. Redirects are followed here, one checked hop at a time
 * (fetch's own following would not ask); a caller asking `redirect: 'manual'` (tsdav's
 * discovery) gets the 3xx and calls the target through this fetch again.
 */
export function caldavFetch(serverUrl: string, allowPrivate: boolean): typeof fetch {
  const named = new URL(serverUrl).origin;
  const check = async (url: URL) => {
    if (allowPrivate || url.origin === named) return;
    const refusal = await refusalOf(url);
    if (refusal) throw new AddressRefused(`CalDAV: refused to call ${url.origin}: ${refusal}`);
  };
  return async (input, init = {}) => {
    let url = new URL(input instanceof Request ? input.url : input); // tsdav and we pass URLs, never a Request
    let request: RequestInit = { ...init, redirect: 'manual' };
    for (let hops = 0; ; hops++) {
      await check(url);
      const res = await fetch(url, request);
      const location = res.headers.get('location');
      if (init.redirect === 'manual' || res.status < 300 || res.status >= 400 || res.status === 304 || !location) return res;
      if (hops >= maxRedirects) throw new AddressRefused(`CalDAV: more than ${maxRedirects} redirects from ${serverUrl}`);
      await res.body?.cancel();
      const next = new URL(location, url);
      // As fetch does: the credentials do not follow a redirect to another origin.
      if (next.origin !== url.origin) {
        const headers = new Headers(request.headers);
        headers.delete('authorization');
        request = { ...request, headers };
      }
      url = next;
      // As fetch does: 303, and a POST's 301/302, go on as a GET without the body.
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && request.method === 'POST')) request = { ...request, method: 'GET', body: undefined };
    }
  };
}
