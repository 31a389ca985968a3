// The API's answers the settings screens read.
import type { JsonSchema, User } from '../session.svelte.ts';

export interface Connection {
  plugin: string;
  provider: string;
  displayName: string;
  description: string;
  schema: JsonSchema;
  mode: 'live' | 'sandbox';
  credentials: Record<string, string> | null;
  updatedAt: string | null;
}
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
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scope: 'READ' | 'WRITE';
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
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
export interface AuditEntry {
  id: string;
  actorId: string | null;
  action: string;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}
export type SubAccount = User & { createdAt: string; counts: { contacts: number; deals: number; campaigns: number; workflows: number; messages: number } };

/** The API's field messages keyed by path without its prefix (`body.credentials.accountSid` -> `accountSid`). */
export function fieldErrors(problem: { errors?: { field: string; message: string }[] } | undefined, prefix: RegExp): Record<string, string> {
  return Object.fromEntries((problem?.errors ?? []).map((e) => [e.field.replace(prefix, ''), e.message]));
}
