// The sync part of the calendar plugin: connections to Google, Microsoft and Apple calendars,
// their busy time read in (ExternalBusyBlock, which the slot loader subtracts), appointments
// written out, external moves read back, and push channels. See docs/calendar-sync.md.
import type { PluginPieces } from '../pieces.ts';
import { syncExternalJob } from './read-in.ts';
import { syncRoutes } from './routes.ts';

export const syncPieces: PluginPieces = {
  routes: syncRoutes,
  jobs: [syncExternalJob],
  encryptedColumns: { CalendarConnection: ['accessToken', 'refreshToken', 'pkceVerifier', 'appPassword'] },
};
