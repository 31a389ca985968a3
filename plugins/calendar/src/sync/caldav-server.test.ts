import { describe, expect, it } from 'vitest';
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
