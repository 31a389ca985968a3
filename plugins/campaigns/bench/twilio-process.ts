// The Twilio side of `pnpm bench:campaigns`, in a process of its own as Twilio would be:
// the fake of Twilio's API the SDK sends to, and the sender of the status callbacks.
// Driven over IPC: `stats` (what it received), `sign` (make one signed status callback per
// message) and `callbacks` (post the signed callbacks, `concurrency` at a time, and say how
// long that took; sent twice, the second time they are duplicates, byte for byte).
//
// The callbacks are signed before the clock starts (Twilio's signature over the URL and
// the form fields, as the fake signs them) and posted with node:http on kept-alive
// sockets: what is timed is our server answering, not this process building requests.
// Signing and fetch() per callback cost this process 1.5 ms of CPU on the same 2 cores.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { startTwilioFake } from '@soshogle/plugin-messaging/testing/twilio-fake';

const account = JSON.parse(process.env.BENCH_TWILIO_ACCOUNT!) as { accountSid: string; authToken: string };
const fake = await startTwilioFake({ accounts: [account] });

type Command =
  | { type: 'stats' }
  | { type: 'sign'; status: string; limit: number }
  | { type: 'callbacks'; concurrency: number }
  | { type: 'close' };

interface Signed {
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
}

let signed: Signed[] = [];
let agent: http.Agent | undefined;

/** The callback of each message as Twilio would send it: its bytes, headers and signature. */
async function sign(status: string, limit: number): Promise<Signed[]> {
  const out: Signed[] = [];
  for (const sid of [...fake.messages.keys()].slice(0, limit)) {
    const delivery = fake.statusCallback(sid, status);
    const body = Buffer.from((delivery.body as URLSearchParams).toString(), 'utf8');
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...delivery.headers };
    const signer = delivery.sign || undefined;
    const signature = signer ? await signer({ url: delivery.url, method: 'POST', raw: body, body: delivery.body, headers }) : {};
    out.push({ url: new URL(delivery.url), headers: { ...headers, ...signature, 'content-length': String(body.length) }, body });
  }
  return out;
}

function post({ url, headers, body }: Signed): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

process.on('message', async (command: Command) => {
  if (command.type === 'stats') {
    const to = new Set([...fake.messages.values()].map((m) => m.to));
    const creates = fake.requests.filter((r) => r.method === 'POST' && r.status === 201).length;
    process.send!({ type: 'stats', messages: fake.messages.size, recipients: to.size, creates });
  } else if (command.type === 'sign') {
    signed = await sign(command.status, command.limit);
    process.send!({ type: 'signed', callbacks: signed.length });
  } else if (command.type === 'callbacks') {
    agent?.destroy();
    agent = new http.Agent({ keepAlive: true, maxSockets: command.concurrency });
    let next = 0;
    let refused = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: command.concurrency }, async () => {
        while (next < signed.length) {
          if ((await post(signed[next++]!)) !== 200) refused++;
        }
      }),
    );
    process.send!({ type: 'callbacks', posted: signed.length, refused, seconds: (performance.now() - started) / 1000 });
  } else {
    agent?.destroy();
    await fake.close();
    process.exit(0);
  }
});
process.send!({ type: 'ready', url: fake.url });
