import { z } from 'zod';

/**
 * The JSON Schema of what a form or API caller may send. zod leaves input objects open;
 * ours are closed (additionalProperties: false) so a misspelt setting is refused when a
 * workflow is saved instead of being dropped silently when it runs.
 */
export const settingsSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const def = (ctx.zodSchema as { _zod: { def: { type: string; catchall?: unknown } } })._zod.def;
      if (def.type === 'object' && !def.catchall) ctx.jsonSchema.additionalProperties = false;
    },
  });
