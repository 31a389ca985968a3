// The provider of a connection, with a valid access token: what the sync jobs call.
import type { TenantContext } from '@soshogle/core';
import type { CalendarConfig } from '../config.ts';
import { markBroken, sealContext, withAccessToken } from '../sync/tokens.ts';
import { appleProvider, appleServerUrl } from './apple.ts';
import { googleProvider } from './google.ts';
import { microsoftProvider } from './microsoft.ts';
import { sandboxProvider } from './sandbox.ts';
import { ConnectionBroken, type CalendarProvider } from './types.ts';

export interface ConnectionRef {
  id: string;
  provider: string;
  status: string;
  serverUrl?: string | null;
  accountEmail?: string | null;
  appPassword?: string | null;
}

/** Runs `fn` with the connection's provider (refreshing its token first when needed). */
export async function withProvider<T>(ctx: TenantContext<CalendarConfig>, connection: ConnectionRef, fn: (provider: CalendarProvider) => Promise<T>): Promise<T> {
  if (connection.status === 'SANDBOX') return fn(sandboxProvider());
  if (connection.status !== 'ACTIVE') throw new ConnectionBroken(`the connection is ${connection.status.toLowerCase()}`);
  if (connection.provider === 'apple') {
    // An app-specific password, no tokens: a refusal means it was revoked.
    try {
      const password = ctx.secrets.open(connection.appPassword ?? '', sealContext('appPassword', connection.id));
      return await fn(await appleProvider({ serverUrl: connection.serverUrl ?? appleServerUrl, username: connection.accountEmail ?? '', password, allowPrivate: ctx.config.caldavPrivateServers }));
    } catch (error) {
      if (error instanceof ConnectionBroken) await markBroken(ctx, connection.id, error.message);
      throw error;
    }
  }
  return withAccessToken(ctx, connection.id, (accessToken) => {
    if (connection.provider === 'google') return fn(googleProvider({ accessToken, apiUrl: ctx.config.googleApiUrl }));
    if (connection.provider === 'microsoft') return fn(microsoftProvider({ accessToken, graphUrl: ctx.config.microsoftGraphUrl }));
    throw new ConnectionBroken(`no provider for ${connection.provider}`);
  });
}
