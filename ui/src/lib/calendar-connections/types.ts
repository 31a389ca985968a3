// The calendar connections screen's words for what the sync API answers (types from its schemas).
import type { Schema } from '../api.ts';

export type CalendarConnection = Schema<'CalendarConnection'>;
export type ExternalCalendar = Schema<'ExternalCalendar'>;
export type OurCalendar = Schema<'Calendar'>;
export type OAuthProvider = 'google' | 'microsoft';

export const providerNames: Record<string, string> = { google: 'Google', microsoft: 'Microsoft', apple: 'Apple' };
export const providerName = (provider: string) => providerNames[provider] ?? provider;

export const isOAuthProvider = (provider: string): provider is OAuthProvider => provider === 'google' || provider === 'microsoft';

/** The status badge: its words and its colour class. */
export const statusBadge: Record<CalendarConnection['status'], { label: string; tone: string }> = {
  ACTIVE: { label: 'Active', tone: 'ok' },
  SANDBOX: { label: 'Sandbox', tone: 'warn' },
  BROKEN: { label: 'Broken', tone: 'danger' },
  PENDING: { label: 'Pending', tone: 'accent' },
};

/** Where the OAuth callback page sends the browser back to. */
export const connectionsPath = '/settings/calendar-connections';
