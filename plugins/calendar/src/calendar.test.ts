// The plugin through a real server, worker and database: `npx vitest run plugins/calendar`.
import { runAction } from '@soshogle/core';
import { eventRecorder, eventually, expectJson, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import calendar from './index.ts';

// Another plugin hearing calendar.pinged, as any plugin would: through the event.
const recorder = eventRecorder(['calendar.pinged']);
const soshogle = await startTestSoshogle([calendar, recorder.plugin]);
const user = await signedInUser(soshogle);

describe('route', () => {
  it('raises calendar.pinged for the signed-in tenant', async () => {
    const { eventId } = await expectJson<{ eventId: string }>(await user.request('POST', '/api/calendar/pings', { message: 'hello' }), 202);
    const event = await eventually(async () => recorder.heard.find((e) => e.id === eventId));
    expect(event).toMatchObject({ type: 'calendar.pinged', tenantId: user.userId, payload: { message: 'hello' } });
  });

  it('answers bad input with a 422 naming the field, and strangers with 401', async () => {
    const bad = await expectJson<{ errors: unknown }>(await user.request('POST', '/api/calendar/pings', { message: '' }), 422);
    expect(bad.errors).toEqual([{ field: 'body.message', message: expect.any(String) }]);
    const stranger = await fetch(`${soshogle.url}/api/calendar/pings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hi"}' });
    expect(stranger.status).toBe(401);
  });
});

describe('trigger', () => {
  it('starts only workflows whose filter matches', () => {
    const { trigger } = soshogle.registry.triggers.get('calendar.pinged')!;
    expect(trigger.matches({ contains: 'urgent' }, { message: 'this is urgent' })).toBe(true);
    expect(trigger.matches({ contains: 'urgent' }, { message: 'later' })).toBe(false);
  });
});

describe('action', () => {
  it('runs in sandbox mode while the tenant has no connection', async () => {
    const output = await runAction(soshogle, { key: 'calendar.send_ping', props: { message: 'hi' }, tenantId: user.userId, idempotencyKey: 'run-1:step-1' });
    expect(output).toEqual({ id: expect.stringMatching(/^sandbox_/), sandbox: true });
  });

  it('refuses bad props with a 422 naming props.<field>', async () => {
    await expect(runAction(soshogle, { key: 'calendar.send_ping', props: { message: ' ' }, tenantId: user.userId, idempotencyKey: 'k' })).rejects.toMatchObject({
      status: 422,
      errors: [{ field: 'props.message', message: expect.any(String) }],
    });
  });
});
