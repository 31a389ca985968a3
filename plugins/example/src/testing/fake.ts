// A local stand-in for the example provider's API, for tests: a loopback HTTP server that
// answers POST /v1/pings as the provider would. `Authorization: Bearer <apiKey>` or 401;
// a repeated Idempotency-Key gets the first answer again (one ping, however often sent);
// `failNext(n)` answers the next n requests with 503, to prove retries.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ExampleFakePing {
  id: string;
  message: string;
  idempotencyKey: string | null;
}

export interface ExampleFake {
  /** Base URL to save in the tenant's connection. */
  url: string;
  apiKey: string;
  /** Every ping accepted, in order (a repeat of an idempotency key is not added again). */
  pings: ExampleFakePing[];
  failNext(count: number): void;
  stop(): Promise<void>;
}

export async function startExampleFake(apiKey = `key_${randomBytes(8).toString('hex')}`): Promise<ExampleFake> {
  const pings: ExampleFakePing[] = [];
  const byKey = new Map<string, ExampleFakePing>();
  let failures = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method !== 'POST' || req.url !== '/v1/pings') return reply(404, { error: 'not_found' });
      if (req.headers.authorization !== `Bearer ${apiKey}`) return reply(401, { error: 'invalid_api_key' });
      if (failures > 0) {
        failures -= 1;
        return reply(503, { error: 'unavailable' });
      }
      let message: unknown;
      try {
        message = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message?: unknown }).message;
      } catch {
        message = undefined;
      }
      if (typeof message !== 'string' || !message) return reply(400, { error: 'message_required' });
      const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
      const seen = key ? byKey.get(key) : undefined;
      if (seen) return reply(200, { id: seen.id });
      const ping = { id: `png_${randomBytes(6).toString('hex')}`, message, idempotencyKey: key };
      pings.push(ping);
      if (key) byKey.set(key, ping);
      reply(201, { id: ping.id });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    pings,
    failNext: (count) => void (failures = count),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
