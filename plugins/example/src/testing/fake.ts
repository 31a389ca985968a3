// A local stand-in for the example provider's API, for tests: POST /v1/pings answered as
// the provider would. `Authorization: Bearer <apiKey>` or 401; a message or 400; a
// repeated Idempotency-Key gets the first answer again (one ping, however often sent).
// The server, the request log and scripted failures (`fake.fail(...)`, e.g. a 503 to
// prove retries) come from the core's fake-provider kit (docs/testing-providers.md).
import { randomBytes } from 'node:crypto';
import { route, startFakeProvider, type FakeProvider } from '@soshogle/core/testing';

/** What the provider's API takes: JSON; `undefined` when the body is not JSON. */
export type PingBody = { message?: unknown } | undefined;

export interface ExampleFakePing {
  id: string;
  message: string;
  idempotencyKey: string | null;
}

export interface ExampleFake extends FakeProvider<PingBody> {
  /** The key it accepts: save it, with `url`, in the tenant's connection. */
  apiKey: string;
  /** Every ping accepted, in order (a repeat of an idempotency key is not added again). */
  pings: ExampleFakePing[];
}

export async function startExampleFake(apiKey = `key_${randomBytes(8).toString('hex')}`): Promise<ExampleFake> {
  const pings: ExampleFakePing[] = [];
  const byKey = new Map<string, ExampleFakePing>();
  const kit = await startFakeProvider<PingBody>({
    name: 'example',
    routes: [
      route('POST', '/v1/pings', (request) => {
        if (request.headers.authorization !== `Bearer ${apiKey}`) return { status: 401, body: { error: 'invalid_api_key' } };
        const message = request.body?.message;
        if (typeof message !== 'string' || !message) return { status: 400, body: { error: 'message_required' } };
        const key = request.headers['idempotency-key'];
        const idempotencyKey = typeof key === 'string' ? key : null;
        const seen = idempotencyKey ? byKey.get(idempotencyKey) : undefined;
        if (seen) return { status: 200, body: { id: seen.id } };
        const ping = { id: `png_${randomBytes(6).toString('hex')}`, message, idempotencyKey };
        pings.push(ping);
        if (idempotencyKey) byKey.set(idempotencyKey, ping);
        return { status: 201, body: { id: ping.id } };
      }),
    ],
    notFound: () => ({ status: 404, body: { error: 'not_found' } }),
  });
  return Object.assign(kit, { apiKey, pings });
}
