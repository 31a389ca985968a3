// The core's dashboard report through a real server and database: runs per day in the
// account's time zone, only the account's own, only inside the range.
import { describe, expect, it } from 'vitest';
import { expectJson, signedInUser, startTestSoshogle, type TestClient } from './testing/index.ts';

const soshogle = await startTestSoshogle([]);
const { db } = soshogle;
const DAY = 86_400_000;

/** The calendar day of `at` in `timeZone`, as YYYY-MM-DD. */
const localDay = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

async function tenantWithRuns(client: TestClient, timezone: string, runs: { at: Date; status: 'COMPLETED' | 'FAILED' | 'NEEDS_REVIEW' | 'RUNNING' }[]) {
  const userId = client.userId;
  await db.user.update({ where: { id: userId }, data: { timezone } });
  const steps = [{ id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'x' } }];
  const workflow = await db.workflow.create({ data: { userId, name: 'Flow', trigger: 'CONTACT_CREATED', triggerKey: 'core.contact_created', actions: steps, publishedVersion: 1 } });
  const version = await db.workflowVersion.create({
    data: { userId, workflowId: workflow.id, version: 1, triggerKey: 'core.contact_created', triggerFilter: {}, actions: steps, allowReentry: true },
  });
  await db.workflowExecution.createMany({
    data: runs.map((r, i) => ({ userId, workflowId: workflow.id, versionId: version.id, status: r.status, contextData: {}, eventId: `e${i}`, dedupeKey: `e${i}`, startedAt: r.at })),
  });
}

type Report = { timezone: string; from: string; to: string; days: { day: string; started: number; completed: number; failed: number; needsReview: number }[]; totals: Record<string, number> };

describe('GET /api/reports/workflow-runs', () => {
  it("counts runs per day of the account's time zone, by outcome, inside the range only", async () => {
    const owner = await signedInUser(soshogle);
    const other = await signedInUser(soshogle);
    // +14 hours: for most of the UTC day its date differs from UTC's, so a UTC bucketing would show.
    const tz = 'Pacific/Kiritimati';
    const now = new Date();
    const threeDaysAgo = new Date(now.getTime() - 3 * DAY);
    await tenantWithRuns(owner, tz, [
      { at: now, status: 'COMPLETED' },
      { at: now, status: 'FAILED' },
      { at: now, status: 'RUNNING' },
      { at: threeDaysAgo, status: 'NEEDS_REVIEW' },
      { at: threeDaysAgo, status: 'FAILED' },
      { at: new Date(now.getTime() - 40 * DAY), status: 'FAILED' },
    ]);
    await tenantWithRuns(other, 'UTC', [{ at: now, status: 'FAILED' }]);

    const report = await expectJson<Report>(await owner.request('GET', '/api/reports/workflow-runs'), 200);
    expect(report.timezone).toBe(tz);
    expect(report.days).toHaveLength(30);
    expect(report.to).toBe(localDay(now, tz));
    expect(report.days.find((d) => d.day === localDay(now, tz))).toEqual({ day: localDay(now, tz), started: 3, completed: 1, failed: 1, needsReview: 0 });
    expect(report.days.find((d) => d.day === localDay(threeDaysAgo, tz))).toMatchObject({ started: 2, failed: 1, needsReview: 1 });
    expect(report.totals).toEqual({ started: 5, completed: 1, failed: 2, needsReview: 1 });

    const week = await expectJson<Report>(await owner.request('GET', '/api/reports/workflow-runs?days=7'), 200);
    expect(week.days).toHaveLength(7);
    expect(week.totals.started).toBe(5);
    const twoDays = await expectJson<Report>(await owner.request('GET', '/api/reports/workflow-runs?days=2'), 200);
    expect(twoDays.totals).toEqual({ started: 3, completed: 1, failed: 1, needsReview: 0 });

    const theirs = await expectJson<Report>(await other.request('GET', '/api/reports/workflow-runs'), 200);
    expect(theirs.totals).toEqual({ started: 1, completed: 0, failed: 1, needsReview: 0 });
  });

  it('refuses a range it cannot draw, naming the field', async () => {
    const owner = await signedInUser(soshogle);
    const problem = await expectJson<{ errors: { field: string }[] }>(await owner.request('GET', '/api/reports/workflow-runs?days=0'), 422);
    expect(problem.errors.map((e) => e.field)).toEqual(['query.days']);
    expect((await fetch(`${soshogle.url}/api/reports/workflow-runs`)).status).toBe(401);
  });
});
