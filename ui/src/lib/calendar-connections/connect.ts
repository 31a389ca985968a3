// Starting a Google or Microsoft connection (or reconnecting a broken one in place). With the
// installation's OAuth client the browser leaves for the provider's consent page, which sends
// it back to /settings/calendars/oauth/<provider>; without one the API makes a SANDBOX
// connection at once and there is nowhere to go.
import { api } from '../api.ts';
import type { CalendarConnection, OAuthProvider } from './types.ts';

export async function startConnection(provider: OAuthProvider, connectionId?: string): Promise<{ sandbox: CalendarConnection } | { leaving: true }> {
  const started = await api.post('/calendar/connections/{provider}/start', { path: { provider }, body: connectionId ? { connectionId } : {} });
  if (!started.authorizeUrl) return { sandbox: started.connection };
  window.location.assign(started.authorizeUrl);
  return { leaving: true };
}
