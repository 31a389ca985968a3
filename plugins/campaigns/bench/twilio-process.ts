// The Twilio side of `pnpm bench:campaigns`, in a process of its own as Twilio would be:
// the fake of Twilio's API the SDK sends to, and the sender of the status callbacks.
// Driven over IPC: `stats` (what it received) and `callbacks` (post one signed status
// callback per message, `concurrency` at a time, and say how long that took).
import { performance } from 'node:perf_hooks';
import { startTwilioFake } from '@soshogle/plugin-messaging/testing/twilio-fake';

const account = JSON.parse(process.env.BENCH_TWILIO_ACCOUNT!) as { accountSid: string; authToken: string };
const fake = await startTwilioFake({ accounts: [account] });

type Command = { type: 'stats' } | { type: 'callbacks'; status: string; concurrency: number; limit: number } | { type: 'close' };

process.on('message', async (command: Command) => {
  if (command.type === 'stats') {
    const to = new Set([...fake.messages.values()].map((m) => m.to));
    const creates = fake.requests.filter((r) => r.method === 'POST' && r.status === 201).length;
    process.send!({ type: 'stats', messages: fake.messages.size, recipients: to.size, creates });
  } else if (command.type === 'callbacks') {
    const work = [...fake.messages.keys()].slice(0, command.limit);
    let next = 0;
    let refused = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: command.concurrency }, async () => {
        while (next < work.length) {
          const res = await fake.sendStatus(work[next++]!, command.status);
          if (res.status !== 200) refused++;
          await res.arrayBuffer();
        }
      }),
    );
    process.send!({ type: 'callbacks', posted: work.length, refused, seconds: (performance.now() - started) / 1000 });
  } else {
    await fake.close();
    process.exit(0);
  }
});
process.send!({ type: 'ready', url: fake.url });
