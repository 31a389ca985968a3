// A download whose source fails after the headers went out: the client must see a failed
// transfer, not a file that ends early and looks complete.
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { definePlugin, defineRoute } from '../plugin.ts';
import { signedInUser, startTestSoshogle } from '../testing/index.ts';

const downloads = definePlugin({
  name: 'downloads',
  displayName: 'Downloads',
  description: 'A CSV download whose source fails after its first rows',
  routes: [
    defineRoute({
      method: 'GET',
      path: '/broken.csv',
      summary: 'Two rows, then the source fails',
      handler({ http }) {
        http.type = 'text/csv';
        return Readable.from(
          (async function* () {
            yield 'name\nAda\n';
            await new Promise((resolve) => setTimeout(resolve, 20));
            throw new Error('the database went away');
          })(),
        );
      },
    }),
  ],
});

const soshogle = await startTestSoshogle([downloads]);

it('aborts a download whose source fails after the headers, so the client sees an error', async () => {
  const user = await signedInUser(soshogle);
  const res = await user.request('GET', '/api/downloads/broken.csv');
  expect(res.status).toBe(200);
  await expect(res.text()).rejects.toThrow();
});
