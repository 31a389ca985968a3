// The API's 422 messages for a form, by path inside its definition: `body.draft.fields[2].options`
// and `draft.fields.2.options` both become `fields.2.options`; `name` stays `name`.
import { ApiError } from '../api.ts';

export function draftErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem.errors ?? []) {
    const path = e.field.replace(/^body\./, '').replace(/^draft\.?/, '').replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
    out[path || 'draft'] ??= e.message;
  }
  return out;
}
