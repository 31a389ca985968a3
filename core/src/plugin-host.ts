// Loads the enabled plugins, checks their declarations, and indexes what they provide.
// A plugin that is not enabled is never imported, so its routes, triggers and actions
// do not exist in this process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { namesTenant } from './http/webhooks.ts';
import type {
  ActionDefinition,
  ConnectionDefinition,
  JobDefinition,
  TimelineSource,
  PluginDefinition,
  SubscriberDefinition,
  TriggerDefinition,
} from './plugin.ts';

export interface LoadedPlugin {
  definition: PluginDefinition;
  /** Its config slice, parsed. */
  config: Record<string, unknown>;
}

export interface Registry {
  plugins: LoadedPlugin[];
  /** By full key `<plugin>.<name>`. */
  actions: Map<string, { plugin: LoadedPlugin; action: ActionDefinition }>;
  triggers: Map<string, { plugin: LoadedPlugin; trigger: TriggerDefinition }>;
  /** By event type. */
  subscribers: Map<string, { plugin: LoadedPlugin; subscriber: SubscriberDefinition }[]>;
  /** By full key `<plugin>.<name>`. */
  jobs: Map<string, { plugin: LoadedPlugin; job: JobDefinition }>;
  /** By `<plugin>.<provider>`. */
  connections: Map<string, { plugin: LoadedPlugin; connection: ConnectionDefinition }>;
  timeline: { plugin: LoadedPlugin; source: TimelineSource }[];
  /** Model -> the plugin that declares it in definePlugin({ models }): the only one that writes it. */
  modelOwners: Map<string, string>;
}

export class PluginError extends Error {
  override name = 'PluginError';
}

const snake = /^[a-z][a-z0-9_]*$/;

/**
 * The plugins to enable: PLUGINS when set, else `soshogle.plugins` in the project's
 * package.json (the project decides; the core names no plugin).
 */
export function enabledPluginNames(configured: string[] | undefined, root = process.cwd()): string[] {
  if (configured) return configured;
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { soshogle?: { plugins?: string[] } };
  return pkg.soshogle?.plugins ?? [];
}

/** Imports plugin packages by name, resolved from the project root (where they are installed). */
export async function importPlugins(specifiers: string[], root = process.cwd()): Promise<PluginDefinition[]> {
  const require = createRequire(path.join(root, 'package.json'));
  return Promise.all(
    specifiers.map(async (specifier) => {
      let resolved: string;
      try {
        resolved = require.resolve(specifier);
      } catch {
        throw new PluginError(`Plugin "${specifier}" is enabled but not installed (add it to the root package.json).`);
      }
      const mod = (await import(pathToFileURL(resolved).href)) as { default?: PluginDefinition };
      if (!mod.default?.name) throw new PluginError(`Plugin "${specifier}" has no default export from definePlugin().`);
      return mod.default;
    }),
  );
}

/** `twilioAuthToken` -> `TWILIO_AUTH_TOKEN`. */
function envName(plugin: string, key: string): string {
  return `${plugin}_${key.replace(/([a-z0-9])([A-Z])/g, '$1_$2')}`.toUpperCase();
}

function readPluginConfig(definition: PluginDefinition, env: Record<string, string | undefined>): Record<string, unknown> {
  const schema = definition.config;
  if (!schema) return {};
  const raw = Object.fromEntries(
    Object.keys(schema.shape).map((key) => {
      const value = env[envName(definition.name, key)];
      return [key, value === '' ? undefined : value];
    }),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${envName(definition.name, String(i.path[0]))}: ${i.message}`);
    throw new PluginError(`Invalid configuration for plugin "${definition.name}":\n${lines.join('\n')}`);
  }
  return parsed.data;
}

function checkObjectSchema(where: string, schema: unknown): void {
  if (!(schema instanceof z.ZodObject)) throw new PluginError(`${where} must be a z.object() schema`);
}

/** Validates declarations and dependencies and builds the registry; fails fast with a clear message. */
export function buildRegistry(definitions: PluginDefinition[], env: Record<string, string | undefined> = process.env): Registry {
  const registry: Registry = { plugins: [], actions: new Map(), triggers: new Map(), subscribers: new Map(), jobs: new Map(), connections: new Map(), timeline: [], modelOwners: new Map() };
  const names = new Set<string>();
  for (const definition of definitions) {
    if (!snake.test(definition.name)) throw new PluginError(`Plugin name "${definition.name}" must be snake_case`);
    if (names.has(definition.name)) throw new PluginError(`Plugin "${definition.name}" is enabled twice`);
    names.add(definition.name);
  }
  for (const definition of definitions) {
    const missing = (definition.dependsOn ?? []).filter((d) => !names.has(d));
    if (missing.length) {
      throw new PluginError(
        `Plugin "${definition.name}" depends on ${missing.map((m) => `"${m}"`).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not enabled. Enable ${missing.length > 1 ? 'them' : 'it'} in PLUGINS or disable "${definition.name}".`,
      );
    }
  }
  const modelOwners = registry.modelOwners;
  const knownModels = new Set<string>(Object.values(Prisma.ModelName));
  for (const definition of definitions) {
    for (const model of definition.models ?? []) {
      if (!knownModels.has(model)) throw new PluginError(`Plugin "${definition.name}" owns model "${model}", which is not in prisma/schema`);
      const owner = modelOwners.get(model);
      if (owner) throw new PluginError(`Model "${model}" is owned by both "${owner}" and "${definition.name}"`);
      modelOwners.set(model, definition.name);
    }
  }
  for (const definition of definitions) {
    const plugin: LoadedPlugin = { definition: definition as PluginDefinition, config: readPluginConfig(definition, env) };
    registry.plugins.push(plugin);
    const claim = (kind: string, name: string) => {
      if (!snake.test(name)) throw new PluginError(`${kind} "${name}" of plugin "${definition.name}" must be snake_case`);
      return `${definition.name}.${name}`;
    };
    for (const action of definition.actions ?? []) {
      const key = claim('Action', action.name);
      if (registry.actions.has(key)) throw new PluginError(`Action "${key}" is declared twice`);
      checkObjectSchema(`Action "${key}" props`, action.props);
      checkObjectSchema(`Action "${key}" output`, action.output);
      // Only ctx.actions runs internal actions, and it runs transactional ones only.
      if (action.internal && !action.transactional) throw new PluginError(`Action "${key}" is internal, so it must be transactional`);
      registry.actions.set(key, { plugin, action });
    }
    for (const trigger of definition.triggers ?? []) {
      const key = claim('Trigger', trigger.name);
      if (registry.triggers.has(key)) throw new PluginError(`Trigger "${key}" is declared twice`);
      checkObjectSchema(`Trigger "${key}" payload`, trigger.payload);
      checkObjectSchema(`Trigger "${key}" filter`, trigger.filter);
      registry.triggers.set(key, { plugin, trigger });
    }
    for (const connection of definition.connections ?? []) {
      const key = claim('Connection', connection.provider);
      if (registry.connections.has(key)) throw new PluginError(`Connection "${key}" is declared twice`);
      checkObjectSchema(`Connection "${key}" credentials`, connection.credentials);
      registry.connections.set(key, { plugin, connection });
    }
    for (const source of definition.timeline ?? []) {
      claim('Timeline source', source.name);
      registry.timeline.push({ plugin, source });
    }
    for (const job of definition.jobs ?? []) {
      const key = claim('Job', job.name);
      if (registry.jobs.has(key)) throw new PluginError(`Job "${key}" is declared twice`);
      checkObjectSchema(`Job "${key}" payload`, job.payload);
      registry.jobs.set(key, { plugin, job: job as JobDefinition });
    }
    for (const webhook of definition.webhooks ?? []) {
      if (!namesTenant(webhook) && !webhook.tenant) {
        throw new PluginError(`Webhook "${webhook.path}" of plugin "${plugin}" must find its tenant: declare tenant(), or start its path with /:tenant`);
      }
    }
    for (const subscriber of definition.subscribers ?? []) {
      claim('Subscriber', subscriber.name);
      const list = registry.subscribers.get(subscriber.event) ?? [];
      list.push({ plugin, subscriber });
      registry.subscribers.set(subscriber.event, list);
    }
  }
  // A subscriber to an event nobody raises is a typo or a missing dependency.
  for (const [event, list] of registry.subscribers) {
    if (!registry.triggers.has(event)) {
      const names = list.map((s) => `${s.plugin.definition.name}.${s.subscriber.name}`).join(', ');
      throw new PluginError(`Subscriber ${names} listens to "${event}", which no enabled plugin declares as a trigger`);
    }
  }
  return registry;
}
