// Access tokens of a connection: sealed in the row, refreshed five minutes before they
// expire under a row lock (two workers must not spend one Microsoft refresh token twice:
// Microsoft rotates it on every refresh), and a refused refresh marks the connection broken.
import { tenantSql, type PluginContext, type TenantContext, type TenantTx } from '@soshogle/core';
import type { CalendarConfig } from '../config.ts';
import { oauthClient, type OAuthProvider } from '../providers/oauth.ts';
import { ConnectionBroken, type TokenSet } from '../providers/types.ts';

const refreshAheadMs = 5 * 60_000;

/** `<Model>.<column>:<id>`: an envelope copied to another row or column does not open. */
export const sealContext = (column: string, id: string) => `CalendarConnection.${column}:${id}`;

/** The columns to write for a token answer; a refresh without a new refresh token keeps the old one. */
export function sealedTokens(secrets: PluginContext['secrets'], connectionId: string, tokens: TokenSet) {
  return {
    accessToken: secrets.seal(tokens.accessToken, sealContext('accessToken', connectionId)),
    tokenExpiry: tokens.expiresAt,
    ...(tokens.refreshToken ? { refreshToken: secrets.seal(tokens.refreshToken, sealContext('refreshToken', connectionId)) } : {}),
    ...(tokens.scope ? { scopes: tokens.scope } : {}),
  };
}

/**
 * Runs `fn` with a valid access token of the connection. A token the provider refuses
 * (401) is refreshed once and `fn` tried again; a refused refresh (invalid_grant) marks the
 * connection BROKEN and throws ConnectionBroken.
 */
export async function withAccessToken<T>(ctx: TenantContext<CalendarConfig>, connectionId: string, fn: (accessToken: string) => Promise<T>): Promise<T> {
  const connection = await ctx.db.calendarConnection.findUniqueOrThrow({ where: { id: connectionId } });
  if (connection.status !== 'ACTIVE') throw new ConnectionBroken(`the connection is ${connection.status.toLowerCase()}`);
  let fresh = false;
  let token: string;
  if (connection.accessToken && connection.tokenExpiry && connection.tokenExpiry.getTime() > Date.now() + refreshAheadMs) {
    token = ctx.secrets.open(connection.accessToken, sealContext('accessToken', connectionId));
  } else {
    token = await refresh(ctx, connectionId, false);
    fresh = true;
  }
  try {
    return await fn(token);
  } catch (error) {
    if (!(error instanceof ConnectionBroken) || fresh) {
      if (error instanceof ConnectionBroken) await markBroken(ctx, connectionId, error.message);
      throw error;
    }
  }
  // The provider refused a token we thought valid (revoked, clock skew): one refresh, one more try.
  const again = await refresh(ctx, connectionId, true);
  try {
    return await fn(again);
  } catch (error) {
    if (error instanceof ConnectionBroken) await markBroken(ctx, connectionId, error.message);
    throw error;
  }
}

/** Refreshes under the row's lock; another worker's refresh made meanwhile is used as it is. */
async function refresh(ctx: TenantContext<CalendarConfig>, connectionId: string, force: boolean): Promise<string> {
  const t = tenantSql(ctx.tenantId);
  try {
    return await ctx.db.$transaction(async (tx) => {
      await tx.$executeRaw(t`select 1 from "CalendarConnection" where id = ${connectionId} and ${t.owns()} for update`);
      const row = await tx.calendarConnection.findUniqueOrThrow({ where: { id: connectionId } });
      if (!force && row.accessToken && row.tokenExpiry && row.tokenExpiry.getTime() > Date.now() + refreshAheadMs) {
        return ctx.secrets.open(row.accessToken, sealContext('accessToken', connectionId));
      }
      const client = oauthClient(row.provider as OAuthProvider, ctx.config);
      if (!client || !row.refreshToken) throw new ConnectionBroken('no OAuth client or refresh token for this connection');
      const tokens = await client.refresh(ctx.secrets.open(row.refreshToken, sealContext('refreshToken', connectionId)));
      // The rotated refresh token (Microsoft) commits with the access token, under the lock.
      await tx.calendarConnection.update({ where: { id: connectionId }, data: sealedTokens(ctx.secrets, connectionId, tokens) });
      return tokens.accessToken;
    });
  } catch (error) {
    if (error instanceof ConnectionBroken) await markBroken(ctx, connectionId, error.message);
    throw error;
  }
}

/**
 * Stops the connection's sync until the user reconnects (its calendars and settings stay),
 * and tells the team in the app: a silently dead sync lets double bookings through.
 */
export async function markBroken(ctx: TenantContext<CalendarConfig>, connectionId: string, reason: string): Promise<void> {
  await ctx.db.$transaction(async (tx: TenantTx) => {
    const { count } = await tx.calendarConnection.updateMany({
      where: { id: connectionId, status: { not: 'BROKEN' } },
      data: { status: 'BROKEN', brokenAt: new Date(), brokenReason: reason.slice(0, 500), accessToken: null, tokenExpiry: null },
    });
    if (count === 0) return;
    const connection = await tx.calendarConnection.findUniqueOrThrow({ where: { id: connectionId } });
    await ctx.actions.run(
      tx,
      'core.notify',
      { title: `Reconnect your ${connection.provider} calendar`, body: `Calendar sync stopped: ${reason}`.slice(0, 5000), link: '/settings/calendar-connections' },
      { tenantId: ctx.tenantId, idempotencyKey: `calendar-broken:${connectionId}:${connection.brokenAt?.toISOString()}` },
    );
  });
}
