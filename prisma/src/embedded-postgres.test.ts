import { createTestDatabase } from '@soshogle/db/testing';
import pg from 'pg';
import { expect, it } from 'vitest';
import { defaultSharedBuffers } from './embedded-postgres.ts';

it('sizes shared_buffers to a quarter of the memory, between 128MB and 2GB', () => {
  const gb = 2 ** 30;
  expect(defaultSharedBuffers(256 * 2 ** 20)).toBe('128MB');
  expect(defaultSharedBuffers(4 * gb)).toBe('1024MB');
  expect(defaultSharedBuffers(24 * gb)).toBe('2048MB');
});

it.skipIf(Boolean(process.env.TEST_DATABASE_URL))('starts the embedded server with that size', async () => {
  const client = new pg.Client({ connectionString: await createTestDatabase() });
  await client.connect();
  try {
    const { rows } = await client.query<{ setting: string; unit: string }>(`select setting, unit from pg_settings where name = 'shared_buffers'`);
    // Reported in 8kB pages.
    expect(`${(Number(rows[0]!.setting) * 8) / 1024}MB`).toBe(defaultSharedBuffers());
  } finally {
    await client.end();
  }
});

it.skipIf(Boolean(process.env.TEST_DATABASE_URL))('hands out a URL that connects through its Unix socket, and still listens on TCP for tools', async () => {
  const url = await createTestDatabase();
  expect(new URL(url).searchParams.get('host')).toMatch(/\/socket$/);
  for (const [connectionString, address] of [[url, null], [url.replace(/\?host=[^&]*/, ''), '127.0.0.1/32']] as const) {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      // No server address on a Unix socket.
      const { rows } = await client.query<{ address: string | null }>('select inet_server_addr()::text as address');
      expect(rows[0]!.address).toBe(address);
    } finally {
      await client.end();
    }
  }
});
