import type { PluginDefinition } from '@soshogle/core';
import type { calendarConfig } from './config.ts';

type Calendar = PluginDefinition<typeof calendarConfig>;

/** What one part of the calendar (availability, appointments, booking, reminders, sync) declares. */
export type PluginPieces = Pick<
  Calendar,
  'routes' | 'webhooks' | 'triggers' | 'actions' | 'jobs' | 'subscribers' | 'timeline' | 'context' | 'encryptedColumns' | 'contactData'
>;

/** Joins the parts' declarations into the plugin's. */
export function joinPieces(...parts: PluginPieces[]): PluginPieces {
  return {
    routes: parts.flatMap((part) => part.routes ?? []),
    webhooks: parts.flatMap((part) => part.webhooks ?? []),
    triggers: parts.flatMap((part) => part.triggers ?? []),
    actions: parts.flatMap((part) => part.actions ?? []),
    jobs: parts.flatMap((part) => part.jobs ?? []),
    subscribers: parts.flatMap((part) => part.subscribers ?? []),
    timeline: parts.flatMap((part) => part.timeline ?? []),
    context: parts.flatMap((part) => part.context ?? []),
    // Parts only: a plugin that says it holds none says so in index.ts.
    contactData: parts.flatMap((part) => (Array.isArray(part.contactData) ? part.contactData : [])),
    encryptedColumns: Object.assign({}, ...parts.map((part) => part.encryptedColumns ?? {})),
  };
}
