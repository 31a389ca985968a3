// Answers of other areas' routes the settings screens read (the CRM's tags and custom
// fields, messaging's channels and settings), until those are typed from the API too.

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
export interface Tag {
  id: string;
  name: string;
  color: string | null;
  contacts: number;
}
export type FieldType = 'TEXT' | 'NUMBER' | 'DATE' | 'SELECT' | 'MULTI_SELECT' | 'BOOLEAN';
export interface CustomField {
  id: string;
  key: string;
  label: string;
  type: FieldType;
  options: string[];
  required: boolean;
}
/** The API's field messages keyed by path without its prefix (`body.credentials.accountSid` -> `accountSid`). */
export function fieldErrors(problem: { errors?: { field: string; message: string }[] } | undefined, prefix: RegExp): Record<string, string> {
  return Object.fromEntries((problem?.errors ?? []).map((e) => [e.field.replace(prefix, ''), e.message]));
}
