// A step's saved props with the action's defaults filled in, before the templates are
// rendered: a default that is itself a template (`Hi {{ contact.firstName }}`) is rendered,
// and the records it mentions are loaded, like a saved one. zod's own defaults come after
// rendering, too late for that.
import type { ObjectSchema } from '../plugin.ts';

export function withDefaults(schema: ObjectSchema, saved: Record<string, unknown>): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    if (saved[key] !== undefined) continue;
    // What the field makes of nothing: its default, or undefined (optional) or a failure (required).
    const filled = field.safeParse(undefined);
    if (filled.success && filled.data !== undefined) defaults[key] = filled.data;
  }
  return { ...saved, ...defaults };
}
