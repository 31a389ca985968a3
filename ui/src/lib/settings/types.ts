// The settings screens' types of the CRM's tags and custom fields (from the API's schemas),
// and how a refusal's field messages are shown.
import type { Schema } from '../api.ts';

export type Tag = Schema<'Tag'>;
export type CustomField = Schema<'CustomField'>;
export type FieldType = CustomField['type'];
/** The API's field messages keyed by path without its prefix (`body.credentials.accountSid` -> `accountSid`). */
export function fieldErrors(problem: { errors?: { field: string; message: string }[] } | undefined, prefix: RegExp): Record<string, string> {
  return Object.fromEntries((problem?.errors ?? []).map((e) => [e.field.replace(prefix, ''), e.message]));
}
