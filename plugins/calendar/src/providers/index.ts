// The provider of a connection, with a valid access token: what the sync jobs call.
import type { TenantContext } from '@soshogle/core';
import type { CalendarConfig } from '../config.ts';
import { withAccessToken } from '../sync/tokens.ts';
import { googleProvider } from './google.ts';
import { microsoftProvider } from './microsoft.ts';
import { sandboxProvider } from './sandbox.ts';
import { ConnectionBroken, type CalendarProvider } from './types.ts';

export interface ConnectionRef {
  id: string;
  provider: string;
  status: string;
}

/** Runs `fn` with the connection's provider (refreshing its token first when needed). */
export async function withProvider<T>(ctx: TenantContext<CalendarConfig>, connection: ConnectionRef, fn: (provider: CalendarProvider) => Promise<T>): Promise<T> {
  if (connection.status === 'SANDBOX') return fn(sandboxProvider());
  if (connection.status !== 'ACTIVE') throw new ConnectionBroken(`the connection is ${connection.status.toLowerCase()}`);
  return withAccessToken(ctx, connection.id, (accessToken) => {
    if (connection.provider === 'google') return fn(googleProvider({ accessToken, apiUrl: ctx.config.googleApiUrl }));
    if (connection.provider === 'microsoft') return fn(microsoftProvider({ accessToken, graphUrl: ctx.config.microsoftGraphUrl }));
    throw new ConnectionBroken(`no provider for ${connection.provider}`);
  });
}
