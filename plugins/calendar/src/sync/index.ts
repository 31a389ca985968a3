// The sync part of the calendar plugin: connections to Google, Microsoft and Apple calendars,
// their busy time read in (ExternalBusyBlock, which the slot loader subtracts), appointments
// written out, external moves read back, and push channels. See docs/calendar-sync.md.
import type { PluginPieces } from '../pieces.ts';
import { googlePushWebhook, microsoftPushWebhook, watchExternalJob } from './push.ts';
import { syncExternalJob } from './read-in.ts';
import { syncRoutes } from './routes.ts';
import { pushAppointmentJob, writeOutSubscribers } from './write-out.ts';

export const syncPieces: PluginPieces = {
  routes: syncRoutes,
  webhooks: [googlePushWebhook, microsoftPushWebhook],
  jobs: [syncExternalJob, pushAppointmentJob, watchExternalJob],
  subscribers: writeOutSubscribers,
  encryptedColumns: { CalendarConnection: ['accessToken', 'refreshToken', 'pkceVerifier', 'appPassword'] },
};
