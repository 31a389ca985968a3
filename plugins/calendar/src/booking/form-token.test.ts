// Two API processes of one installation (same database, same SECRETS_KEYS, no
// CALENDAR_WEBHOOK_SECRET): the booking form token one hands out with the slots is accepted
// by the other, as behind a load balancer. The second is the start command in a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { importPlugins } from '@soshogle/core';
import { expectJson, generateKey, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import calendar from '../index.ts';

const keys = `k1:${generateKey()}`;
const plugins = await importPlugins(['@soshogle/plugin-crm', '@soshogle/plugin-messaging']);
const first = await startTestSoshogle([...plugins, calendar], { SECRETS_KEYS: keys });
const dataDir = mkdtempSync(path.join(tmpdir(), 'soshogle-second-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** The start command on the first one's database; resolves with its URL once it listens. */
async function secondProcess(): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: first.databaseUrl,
    SECRETS_KEYS: keys,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    PLUGINS: '@soshogle/plugin-crm,@soshogle/plugin-messaging,@soshogle/plugin-calendar',
  };
  delete env.CALENDAR_WEBHOOK_SECRET;
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/src/main.ts'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const match = /Soshogle is listening on (\S+)/.exec(output);
    if (match) return match[1]!;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the second process did not start:\n${output}`);
    await sleep(50);
  }
}

describe('the booking form token', () => {
  it('issued by one API process is accepted by another of the same installation', async () => {
    const [secondUrl, owner] = await Promise.all([secondProcess(), signedInUser(first)]);
    const api = '/api/calendar';
    const cal = await expectJson<{ id: string; publicSlug: string }>(await owner.request('POST', `${api}/calendars`, { name: 'Dr Ada', timeZone: 'America/New_York' }), 201);
    await expectJson(await owner.request('PUT', `${api}/calendars/${cal.id}/hours`, { hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })) }), 200);
    await expectJson(await owner.request('POST', `${api}/calendars/${cal.id}/types`, { name: 'Consultation', slug: 'consultation', durationMin: 30, minNoticeMin: 0 }), 201);

    const from = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const slots = await expectJson<{ days: { slots: { start: string }[] }[]; formToken: string }>(
      await fetch(`${first.url}${api}/public/pages/${cal.publicSlug}/types/consultation/slots?from=${from}`),
      200,
    );
    await sleep(2_100); // a person takes longer than 2 s to fill the form
    const body = {
      typeSlug: 'consultation', start: slots.days.flatMap((d) => d.slots)[0]!.start, timeZone: 'Europe/Paris', name: 'Grace Hopper', email: 'grace@example.test',
      consent: { email: true, sms: false }, formToken: slots.formToken,
    };
    const res = await fetch(`${secondUrl}${api}/public/pages/${cal.publicSlug}/bookings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const booked = await expectJson<{ appointmentId: string }>(res, 201);
    // Not the made-up answer a refused token would get: the appointment is there.
    expect(await first.db.appointment.findUnique({ where: { id: booked.appointmentId } })).toMatchObject({ calendarId: cal.id, source: 'BOOKING_PAGE' });
  });
});
