// A Soshogle with the calendar (and the CRM and messaging it depends on) whose Google and
// Microsoft clients point at the fakes, and a user connecting through them as a browser would.
import { importPlugins, type PluginDefinition } from '@soshogle/core';
import { expectJson, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import { afterAll, expect } from 'vitest';
import calendar from '../index.ts';
import { startGoogleFake } from './google-fake.ts';
import { startGraphFake } from './graph-fake.ts';

export interface ShownConnection {
  id: string;
  status: string;
  accountEmail: string | null;
  externalCalendars: { id: string; remoteId: string; blocksCalendarId: string | null }[];
}

/** Starts the fakes and the server; `microsoft: false` leaves Microsoft unconfigured (sandbox mode). */
export async function startSyncServer(options: { microsoft?: boolean; plugins?: PluginDefinition[]; env?: Record<string, string> } = {}) {
  const [crm, messaging] = await importPlugins(['@soshogle/plugin-crm', '@soshogle/plugin-messaging']);
  const google = await startGoogleFake({ clientId: 'cal-client', clientSecret: 'cal-secret', allowHttpWebhooks: true });
  const graph = await startGraphFake({ clientId: 'ms-client', clientSecret: 'ms-secret' });
  afterAll(async () => {
    await google.close();
    await graph.close();
  });
  const soshogle = await startTestSoshogle([crm!, messaging!, calendar, ...(options.plugins ?? [])], {
    CALENDAR_WEBHOOK_SECRET: 'calendar-webhook-secret-for-tests',
    // The CalDAV fake listens on 127.0.0.1.
    CALENDAR_CALDAV_PRIVATE_SERVERS: 'true',
    CALENDAR_GOOGLE_CLIENT_ID: 'cal-client',
    CALENDAR_GOOGLE_CLIENT_SECRET: 'cal-secret',
    CALENDAR_GOOGLE_OAUTH_URL: google.url,
    CALENDAR_GOOGLE_API_URL: `${google.url}/`,
    ...(options.microsoft === false
      ? {}
      : {
          CALENDAR_MICROSOFT_CLIENT_ID: 'ms-client',
          CALENDAR_MICROSOFT_CLIENT_SECRET: 'ms-secret',
          CALENDAR_MICROSOFT_AUTHORITY_URL: `${graph.url}/common`,
          CALENDAR_MICROSOFT_GRAPH_URL: `${graph.url}/v1.0`,
        }),
    // The other plugins' settings (their fakes' URLs).
    ...options.env,
  });

  /** Starts a connection and follows the consent redirect as a browser would: the code and state for complete. */
  async function consent(user: TestClient, provider: 'google' | 'microsoft', body: Record<string, unknown> = {}) {
    const started = await expectJson<{ authorizeUrl: string; connection: ShownConnection }>(await user.request('POST', `/api/calendar/connections/${provider}/start`, body), 201);
    const redirect = await fetch(started.authorizeUrl, { redirect: 'manual' });
    const back = new URL(redirect.headers.get('location')!);
    expect(back.pathname).toBe(`/settings/calendars/oauth/${provider}`);
    return { connection: started.connection, code: back.searchParams.get('code')!, state: back.searchParams.get('state')! };
  }

  /** A finished connection. */
  async function connect(user: TestClient, provider: 'google' | 'microsoft'): Promise<ShownConnection> {
    const { code, state } = await consent(user, provider);
    return expectJson<ShownConnection>(await user.request('POST', `/api/calendar/connections/${provider}/complete`, { code, state }), 200);
  }

  return { soshogle, google, graph, consent, connect };
}
