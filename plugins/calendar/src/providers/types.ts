// One interface over Google, Microsoft, Apple and the sandbox, so the sync jobs name no
// provider: a tenant may have several connections at once, each through its own provider.

/** A remote calendar of a connection: Google calendarId, Graph calendar id, CalDAV collection URL. */
export interface RemoteRef {
  remoteId: string;
}

export interface Interval {
  start: Date;
  end: Date;
}

/** An event read from the remote calendar (one instance: recurrences come expanded, by the provider or the CalDAV server). */
export interface RemoteEvent {
  id: string;
  start: Date;
  end: Date;
  allDay: boolean;
  /** Marked free ("show as free" / transparency): it does not block slots. */
  transparent: boolean;
  cancelled: boolean;
  etag?: string | undefined;
  /** Set when it is one of our appointments written out. */
  ourAppointmentId?: string | undefined;
}

/** One page of changes: events to upsert, ids deleted, and on the last page the token for next time. */
export interface ChangePage {
  upserts: RemoteEvent[];
  deletions: string[];
  /** Objects read whole (CalDAV): every block of theirs, `<id>` and its instances `<id>#…`, goes before the upserts. */
  replaced?: string[] | undefined;
  nextToken?: string | undefined;
}

/** An appointment as it is written to the remote calendar. */
export interface OutboundEvent {
  appointmentId: string;
  title: string;
  description: string | null;
  location: string | null;
  start: Date;
  end: Date;
  timeZone: string;
}

export interface RemoteCalendarInfo {
  remoteId: string;
  name: string;
  timeZone?: string | undefined;
  canWrite: boolean;
  primary: boolean;
}

export interface CalendarProvider {
  kind: ProviderKind;
  listCalendars(): Promise<RemoteCalendarInfo[]>;
  /** Changes since `token` (null: a full read of `window`); throws SyncTokenExpired. */
  changes(cal: RemoteRef, token: string | null, window: Interval): AsyncIterable<ChangePage>;
  freeBusy(cals: RemoteRef[], range: Interval): Promise<Map<string, Interval[]>>;
  /** Creates (existing null) or updates the event; creating twice with one appointment makes one event. */
  upsert(cal: RemoteRef, event: OutboundEvent, existing: { id: string; etag?: string | undefined } | null): Promise<{ id: string; etag?: string | undefined }>;
  /** Deletes the event; one already gone counts as done. */
  remove(cal: RemoteRef, ref: { id: string; etag?: string | undefined }): Promise<void>;
  /** Opens a push channel; Google takes our `channelId`, Graph names its subscription itself (returned). */
  watch?(cal: RemoteRef, address: string, channelId: string, token: string, ttlSeconds: number): Promise<{ channelId: string; resourceId: string; expiresAt: Date }>;
  unwatch?(channel: { id: string; resourceId: string }): Promise<void>;
}

export const providerKinds = ['google', 'microsoft', 'apple', 'sandbox'] as const;
export type ProviderKind = (typeof providerKinds)[number];

/** Tokens from an OAuth token endpoint. */
export interface TokenSet {
  accessToken: string;
  /** Microsoft sends a new one on every refresh (the old one dies); Google usually none. */
  refreshToken?: string | undefined;
  expiresAt: Date;
  scope?: string | undefined;
  /** The account's address, when the token answer names it (an OpenID id_token). */
  email?: string | undefined;
}

/** The remote sync state is gone (Google 410 fullSyncRequired, Graph syncStateNotFound, CalDAV valid-sync-token): read everything again. */
export class SyncTokenExpired extends Error {
  override name = 'SyncTokenExpired';
}

/** The provider refuses the connection (invalid_grant on refresh, 401 with a fresh token): the user must reconnect. */
export class ConnectionBroken extends Error {
  override name = 'ConnectionBroken';
}

/** A provider answer that retrying may fix (429, 5xx, the network) or not. */
export class ProviderCallError extends Error {
  override name = 'ProviderCallError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}
