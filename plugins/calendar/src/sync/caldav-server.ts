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

/** Refuses (422 on body.serverUrl) a server that is not https or resolves inside, unless allowed. */
export async function checkCaldavServer(serverUrl: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const url = new URL(serverUrl);
  if (url.protocol !== 'https:') throw invalid('body.serverUrl', 'A CalDAV server must be https');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw invalid('body.serverUrl', 'This server name does not resolve');
  }
  if (addresses.some(isInsideAddress)) {
    throw invalid('body.serverUrl', 'This server is on a private network; the installation allows that only with CALENDAR_CALDAV_PRIVATE_SERVERS=true');
  }
}
