// Answers of other areas' routes the settings screens read (messaging's channels and
// settings), until those are typed from the API too; the CRM's come from its schemas.
import type { Schema } from '../api.ts';

export interface ChannelMode {
  channel: string;
  provider: string;
  mode: 'live' | 'sandbox';
}
export interface MessagingSettings {
  quietHoursEnabled: boolean;
  quietHoursStart: string;
  quietHoursEnd: string;
  timezone: string | null;
  sendRates: { twilio?: number; sendgrid?: number; meta?: number } | null;
}
export type Tag = Schema<'Tag'>;
export type CustomField = Schema<'CustomField'>;
export type FieldType = CustomField['type'];
/** The API's field messages keyed by path without its prefix (`body.credentials.accountSid` -> `accountSid`). */
export function fieldErrors(problem: { errors?: { field: string; message: string }[] } | undefined, prefix: RegExp): Record<string, string> {
  return Object.fromEntries((problem?.errors ?? []).map((e) => [e.field.replace(prefix, ''), e.message]));
}
