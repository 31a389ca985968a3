// The call log against the real server and database: a call's status moves only forward
// whatever order the reports come in, facts are never erased, and the API lists (keyset
// pages, filters) and shows a call with its transcript.
import type { CallStatus } from '@soshogle/db';
import { expectJson, shuffled, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { reportCall, type CallReport } from './status.ts';
import { voicePlugins } from '../testing/plugins.ts';

const soshogle = await startTestSoshogle(voicePlugins());

async function tenant() {
  const user = await signedInUser(soshogle);
  const ctx = soshogle.tenantContext('voice', user.userId);
  const newCall = (data: { status?: CallStatus; transcript?: unknown } = {}) =>
    ctx.db.call.create({ data: { userId: user.userId, direction: 'OUTBOUND', from: '+15125550100', to: '+15125550199', ...data } as never });
  return { user, ctx, newCall };
}

describe('call status', () => {
  it('converges to the same state whatever order the reports arrive in, duplicates included', async () => {
    const { ctx, newCall } = await tenant();
    const reports: CallReport[] = [
      { status: 'RINGING', rawStatus: 'ringing' },
      { status: 'IN_PROGRESS', rawStatus: 'in-progress', startedAt: new Date('2026-12-06T10:00:00Z') },
      { status: 'COMPLETED', rawStatus: 'completed', duration: 42, endedAt: new Date('2026-12-06T10:00:42Z') },
      { status: 'VOICEMAIL', rawStatus: 'voicemail', recordingUrl: 'https://api.twilio.com/rec/RE1' },
      { status: 'RINGING', rawStatus: 'ringing' },
    ];
    for (let round = 0; round < 6; round++) {
      const call = await newCall();
      for (const report of shuffled(reports, round)) await ctx.db.$transaction((tx) => reportCall(tx, ctx.tenantId, call.id, report));
      expect(await ctx.db.call.findUnique({ where: { id: call.id } })).toMatchObject({
        status: 'VOICEMAIL',
        rawStatus: 'voicemail',
        duration: 42,
        recordingUrl: 'https://api.twilio.com/rec/RE1',
        startedAt: new Date('2026-12-06T10:00:00Z'),
        endedAt: new Date('2026-12-06T10:00:42Z'),
      });
    }
  });

  it('keeps the first outcome: a late ringing, another outcome or a voicemail does not undo it', async () => {
    const { ctx, newCall } = await tenant();
    const call = await newCall();
    expect(await ctx.db.$transaction((tx) => reportCall(tx, ctx.tenantId, call.id, { status: 'BUSY', rawStatus: 'busy' }))).toBe(true);
    expect(await ctx.db.$transaction((tx) => reportCall(tx, ctx.tenantId, call.id, { status: 'RINGING' }))).toBe(false);
    expect(await ctx.db.$transaction((tx) => reportCall(tx, ctx.tenantId, call.id, { status: 'NO_ANSWER' }))).toBe(false);
    expect(await ctx.db.$transaction((tx) => reportCall(tx, ctx.tenantId, call.id, { status: 'VOICEMAIL', rawStatus: 'voicemail' }))).toBe(false);
    expect((await ctx.db.call.findUnique({ where: { id: call.id } }))!.status).toBe('BUSY');
  });
});

describe('the call log API', () => {
  it('lists newest first in keyset pages with filters, and shows a call with its transcript', async () => {
    const { user, newCall } = await tenant();
    const made = [];
    for (const status of ['COMPLETED', 'BUSY', 'COMPLETED'] as const) made.push(await newCall({ status, transcript: [{ role: 'agent', message: 'Hello', timeInCallSecs: 0 }, { bogus: true }] }));
    type List = { items: { id: string; status: string }[]; nextCursor: string | null };
    const first = await expectJson<List>(await user.request('GET', '/api/voice/calls?limit=2'), 200);
    const second = await expectJson<List>(await user.request('GET', `/api/voice/calls?limit=2&cursor=${first.nextCursor}`), 200);
    expect([...first.items, ...second.items].map((c) => c.id)).toEqual(made.map((c) => c.id).reverse());
    expect(second.nextCursor).toBeNull();
    expect((await expectJson<List>(await user.request('GET', '/api/voice/calls?status=BUSY'), 200)).items.map((c) => c.id)).toEqual([made[1]!.id]);
    const detail = await expectJson<{ transcript: unknown[]; sandbox: boolean }>(await user.request('GET', `/api/voice/calls/${made[0]!.id}`), 200);
    expect(detail.transcript).toEqual([{ role: 'agent', message: 'Hello', timeInCallSecs: 0 }]);
    expect((await user.request('GET', '/api/voice/calls?status=RINGINGX')).status).toBe(422);
    expect((await (await signedInUser(soshogle)).request('GET', `/api/voice/calls/${made[0]!.id}`)).status).toBe(404);
  });
});
