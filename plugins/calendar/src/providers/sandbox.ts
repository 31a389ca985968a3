// Sandbox mode: a connection made without OAuth clients configured holds one simulated
// calendar. Its events come from POST /api/calendar/sandbox/events, which applies them
// through the same change path as a real read-in; writes out are accepted and forgotten.
import type { CalendarProvider } from './types.ts';

export const sandboxCalendar = { remoteId: 'sandbox', name: 'Sandbox calendar', timeZone: 'UTC', canWrite: true, primary: true };

export function sandboxProvider(): CalendarProvider {
  return {
    kind: 'sandbox',
    listCalendars: () => Promise.resolve([sandboxCalendar]),
    async *changes() {
      yield { upserts: [], deletions: [], nextToken: 'sandbox' };
    },
    freeBusy: () => Promise.resolve(new Map()),
    upsert: (_cal, event, existing) => Promise.resolve({ id: existing?.id ?? `sandbox-${event.appointmentId}` }),
    remove: () => Promise.resolve(),
  };
}
