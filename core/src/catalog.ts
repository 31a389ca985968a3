// The catalog the workflow builder, the UI's navigation and API docs read: every enabled
// plugin with its screens, triggers and actions, their schemas as JSON Schema (draft
// 2020-12), and the capabilities it owns or serves through providers.
import { z } from 'zod';
import { settingsSchema } from './json-schema.ts';
import type { Registry } from './plugin-host.ts';
import { stepSchema } from './workflows/definition.ts';

const jsonSchema = settingsSchema;

/** A JSON Schema (draft 2020-12) document. */
const jsonSchemaResponse = z.record(z.string(), z.unknown());

export const catalogResponse = z
  .object({
    stepSchema: jsonSchemaResponse,
    plugins: z.array(
      z.object({
        name: z.string(),
        displayName: z.string(),
        description: z.string(),
        dependsOn: z.array(z.string()),
        screens: z.array(z.object({ path: z.string(), label: z.string(), icon: z.string(), order: z.number() }).meta({ id: 'Screen', description: 'An admin screen: a nav entry in the UI' })),
        triggers: z.array(
          z
            .object({ key: z.string(), displayName: z.string(), description: z.string(), payloadSchema: jsonSchemaResponse, filterSchema: jsonSchemaResponse })
            .meta({ id: 'CatalogTrigger', description: 'An event a workflow can start on' }),
        ),
        actions: z.array(
          z
            .object({
              key: z.string(),
              version: z.number().int(),
              displayName: z.string(),
              description: z.string(),
              idempotent: z.boolean(),
              propsSchema: jsonSchemaResponse,
              outputSchema: jsonSchemaResponse,
            })
            .meta({ id: 'CatalogAction', description: 'A step a workflow can take' }),
        ),
        capabilities: z.array(
          z.object({
            key: z.string(),
            displayName: z.string(),
            description: z.string(),
            providers: z.array(z.object({ plugin: z.string(), provider: z.string(), displayName: z.string() })),
          }),
        ),
        providers: z.array(z.object({ provider: z.string(), displayName: z.string(), serves: z.array(z.string()) })),
      }),
    ),
  })
  .meta({ id: 'Catalog', description: 'Every enabled plugin with its screens, triggers, actions and capabilities' });

export function buildCatalog(registry: Registry): z.output<typeof catalogResponse> {
  return {
    /** The shape of a workflow's steps (action, branch, wait, goal, end): see docs/workflows.md. */
    stepSchema: jsonSchema(stepSchema),
    plugins: registry.plugins.map(({ definition: p }) => ({
      name: p.name,
      displayName: p.displayName,
      description: p.description,
      dependsOn: p.dependsOn ?? [],
      screens: [...(p.screens ?? [])].sort((a, b) => a.order - b.order),
      triggers: (p.triggers ?? []).map((t) => ({
        key: `${p.name}.${t.name}`,
        displayName: t.displayName,
        description: t.description,
        payloadSchema: jsonSchema(t.payload),
        filterSchema: jsonSchema(t.filter),
      })),
      // From the declarations, not the registry's keys: an action's aliases (its former keys) are not offered.
      actions: (p.actions ?? []).filter((a) => !a.internal).map((a) => ({
        key: `${p.name}.${a.name}`,
        version: a.version,
        displayName: a.displayName,
        description: a.description,
        idempotent: a.idempotent,
        propsSchema: jsonSchema(a.props),
        outputSchema: z.toJSONSchema(a.output, { io: 'output', unrepresentable: 'any' }),
      })),
      /** What it owns that providers serve, and which enabled providers serve each (connect one in Settings). */
      capabilities: (p.capabilities ?? []).map((c) => {
        const key = `${p.name}.${c.name}`;
        return {
          key,
          displayName: c.displayName,
          description: c.description,
          providers: (registry.providers.get(key) ?? []).map(({ plugin, provider }) => ({ plugin: plugin.definition.name, provider: provider.provider, displayName: provider.displayName })),
        };
      }),
      /** The providers it ships (their credential forms are listed by GET /api/connections). */
      providers: (p.providers ?? []).map((provider) => ({ provider: provider.provider, displayName: provider.displayName, serves: Object.keys(provider.serves) })),
    })),
  };
}
