// Time-zone-aware waits: the next time of day in a zone, and whose zone a run waits in.
import { DateTime } from 'luxon';
import type { TenantTx } from '../tenancy.ts';
import { runSubject, type RunContextProviders } from './run-context.ts';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The next `HH:MM` (on one of `days`) in `zone`, strictly after `now`. */
export function nextTimeOfDay(now: Date, time: string, zone: string, days?: string[]): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  let at = DateTime.fromJSDate(now, { zone }).set({ hour, minute, second: 0, millisecond: 0 });
  for (let i = 0; i < 8; i++) {
    if (at.toMillis() > now.getTime() && (!days || days.includes(weekdays[at.weekday - 1]!))) return at.toJSDate();
    at = at.plus({ days: 1 }).set({ hour, minute });
  }
  return at.toJSDate();
}

/** The run's contact's own time zone (as the plugin providing contacts tells, if a real zone), else the account's. */
export async function zoneOf(db: TenantTx, providers: RunContextProviders, run: { tenantId: string; contactId: string | null }): Promise<string> {
  const { tenantId, contactId } = run;
  const provider = providers.get(runSubject)?.provider;
  const contact = provider?.timeZone && contactId ? await provider.load(db, contactId) : null;
  const own = contact ? provider!.timeZone!(contact as Record<string, unknown>) : null;
  if (typeof own === 'string' && DateTime.local().setZone(own).isValid) return own;
  const user = await db.user.findUnique({ where: { id: tenantId }, select: { timezone: true } });
  return user?.timezone && DateTime.local().setZone(user.timezone).isValid ? user.timezone : 'UTC';
}
