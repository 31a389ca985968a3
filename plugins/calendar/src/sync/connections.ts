// Connecting a calendar account. Google and Microsoft: an OAuth code flow with PKCE whose
// state is stored hashed on a PENDING connection; the provider sends the browser back to
// the admin UI, which posts the code here as the signed-in user (no public callback, and a
// state from another tenant is simply not found). Without the installation's OAuth client
// the connection is a SANDBOX one with a simulated calendar.
import { checkCaldavServer } from './caldav-server.ts';
import { invalid, notFound, type TenantContext, type TenantTx } from '@soshogle/core';
import type { CalendarConfig } from '../config.ts';
import { withProvider } from '../providers/index.ts';
import { oauthClient, randomToken, sha256, type OAuthProvider } from '../providers/oauth.ts';
import { appleProvider, appleServerUrl } from '../providers/apple.ts';
import { sandboxCalendar } from '../providers/sandbox.ts';
import { ConnectionBroken, type RemoteCalendarInfo } from '../providers/types.ts';
import { startPolling } from './read-in.ts';
import { sealContext, sealedTokens } from './tokens.ts';

const pendingMs = 10 * 60_000;

/** Where the provider sends the browser back: the admin UI's page, which completes the connection. */
export const redirectUriOf = (ctx: TenantContext, provider: OAuthProvider) => ctx.publicUrl(`/settings/calendars/oauth/${provider}`);

const withCalendars = { externalCalendars: { orderBy: { name: 'asc' as const } } };

export async function startConnection(ctx: TenantContext<CalendarConfig>, provider: OAuthProvider, reconnectId: string | undefined) {
  const client = oauthClient(provider, ctx.config);
  if (reconnectId) {
    const existing = await ctx.db.calendarConnection.findUnique({ where: { id: reconnectId } });
    if (!existing || existing.provider !== provider) throw invalid('body.connectionId', `No ${provider} connection with this id`);
  }
  if (!client) {
    // Sandbox mode: ready at once, with one simulated calendar.
    const connection = await ctx.db.$transaction(async (tx) => {
      const created = await tx.calendarConnection.create({ data: { userId: ctx.tenantId, provider, status: 'SANDBOX', accountEmail: 'sandbox@example.invalid' } });
      await tx.externalCalendar.create({ data: { userId: ctx.tenantId, connectionId: created.id, remoteId: sandboxCalendar.remoteId, name: sandboxCalendar.name, remoteTimeZone: sandboxCalendar.timeZone } });
      return tx.calendarConnection.findUniqueOrThrow({ where: { id: created.id }, include: withCalendars });
    });
    return { authorizeUrl: null, connection };
  }
  const state = randomToken();
  const verifier = randomToken();
  const pending = { oauthStateHash: sha256(state), oauthExpiresAt: new Date(Date.now() + pendingMs) };
  const connection = await ctx.db.$transaction(async (tx) => {
    // A reconnect reuses the row: its calendars, their settings and busy time stay.
    const row = reconnectId
      ? await tx.calendarConnection.update({ where: { id: reconnectId }, data: pending })
      : await tx.calendarConnection.create({ data: { userId: ctx.tenantId, provider, status: 'PENDING', ...pending } });
    return tx.calendarConnection.update({
      where: { id: row.id },
      data: { pkceVerifier: ctx.secrets.seal(verifier, sealContext('pkceVerifier', row.id)) },
      include: withCalendars,
    });
  });
  return { authorizeUrl: client.authorizeUrl({ state, verifier, redirectUri: redirectUriOf(ctx, provider) }), connection };
}

export async function completeConnection(ctx: TenantContext<CalendarConfig>, provider: OAuthProvider, input: { code: string; state: string }) {
  const client = oauthClient(provider, ctx.config);
  const pending = await ctx.db.calendarConnection.findUnique({ where: { oauthStateHash: sha256(input.state) } });
  if (!client || !pending || pending.provider !== provider || !pending.pkceVerifier || (pending.oauthExpiresAt?.getTime() ?? 0) < Date.now()) {
    throw notFound('Connection under way for this state (it may have expired: start again)');
  }
  const verifier = ctx.secrets.open(pending.pkceVerifier, sealContext('pkceVerifier', pending.id));
  let tokens;
  try {
    tokens = await client.exchange({ code: input.code, verifier, redirectUri: redirectUriOf(ctx, provider) });
  } catch (error) {
    if (error instanceof ConnectionBroken) throw invalid('body.code', `The provider refused the code: ${error.message}`);
    throw error;
  }
  // The state is spent whatever happens next; the tokens are stored before the first API call.
  await ctx.db.calendarConnection.update({
    where: { id: pending.id },
    data: {
      ...sealedTokens(ctx.secrets, pending.id, tokens),
      status: 'ACTIVE',
      accountEmail: tokens.email ?? pending.accountEmail,
      oauthStateHash: null,
      pkceVerifier: null,
      oauthExpiresAt: null,
      brokenAt: null,
      brokenReason: null,
    },
  });
  const active = await ctx.db.calendarConnection.findUniqueOrThrow({ where: { id: pending.id } });
  const remote = await withProvider(ctx, active, (p) => p.listCalendars());
  return ctx.db.$transaction(async (tx) => {
    await saveCalendars(tx, ctx, active.id, remote);
    return tx.calendarConnection.findUniqueOrThrow({ where: { id: active.id }, include: withCalendars });
  });
}

/**
 * Connects an Apple (CalDAV) account with an app-specific password, checked by listing its
 * calendars before anything is saved. A wrong password is a 422 naming it.
 */
export async function connectApple(ctx: TenantContext<CalendarConfig>, input: { username: string; appPassword: string; serverUrl?: string | undefined }) {
  const serverUrl = input.serverUrl ?? appleServerUrl;
  if (input.serverUrl) await checkCaldavServer(input.serverUrl, ctx.config.caldavPrivateServers);
  let remote: RemoteCalendarInfo[];
  try {
    remote = await (await appleProvider({ serverUrl, username: input.username, password: input.appPassword, allowPrivate: ctx.config.caldavPrivateServers })).listCalendars();
  } catch (error) {
    if (error instanceof ConnectionBroken) throw invalid('body.appPassword', 'Apple refused this username and app-specific password (make one at appleid.apple.com)');
    throw invalid('body.serverUrl', `The CalDAV server did not answer as expected: ${(error as Error).message}`.slice(0, 300));
  }
  return ctx.db.$transaction(async (tx) => {
    const created = await tx.calendarConnection.create({ data: { userId: ctx.tenantId, provider: 'apple', status: 'ACTIVE', accountEmail: input.username, serverUrl } });
    await tx.calendarConnection.update({ where: { id: created.id }, data: { appPassword: ctx.secrets.seal(input.appPassword, sealContext('appPassword', created.id)) } });
    await saveCalendars(tx, ctx, created.id, remote);
    return tx.calendarConnection.findUniqueOrThrow({ where: { id: created.id }, include: withCalendars });
  });
}

/** Adds the account's calendars not seen before (names refreshed), starts reading each in, and asks for push. */
async function saveCalendars(tx: TenantTx, ctx: TenantContext, connectionId: string, remote: RemoteCalendarInfo[]): Promise<void> {
  for (const cal of remote) {
    const saved = await tx.externalCalendar.upsert({
      where: { connectionId_remoteId: { connectionId, remoteId: cal.remoteId } },
      create: { userId: ctx.tenantId, connectionId, remoteId: cal.remoteId, name: cal.name, remoteTimeZone: cal.timeZone ?? null },
      update: { name: cal.name, remoteTimeZone: cal.timeZone ?? null, syncError: null },
    });
    await startPolling(tx, ctx, saved.id);
    await ctx.jobs.enqueue(tx, 'calendar.watch_external', { externalCalendarId: saved.id }, { tenantId: ctx.tenantId });
  }
}
