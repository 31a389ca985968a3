// Loads the enabled plugins, checks their declarations, and indexes what they provide.
// A plugin that is not enabled is never imported, so its routes, triggers and actions
// do not exist in this process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Prisma } from '@soshogle/db';
import { parseCronItems } from 'graphile-worker';
import { z } from 'zod';
import { namesTenant } from './http/webhooks.ts';
import type {
  ActionDefinition,
  AnyProvider,
  CapabilityDefinition,
  ConnectionDefinition,
  ContactDataPart,
  JobDefinition,
  TimelineSource,
  PluginDefinition,
  RetentionDefinition,
  RunContextProvider,
  SubscriberDefinition,
  TenantCount,
  TriggerDefinition,
} from './plugin.ts';

export interface LoadedPlugin {
  definition: PluginDefinition;
  /** Its config slice, parsed. */
  config: Record<string, unknown>;
}

export interface Registry {
  plugins: LoadedPlugin[];
  /** By full key `<plugin>.<name>`, and by each of its aliases (see `ActionDefinition.aliases`). */
  actions: Map<string, { plugin: LoadedPlugin; action: ActionDefinition }>;
  triggers: Map<string, { plugin: LoadedPlugin; trigger: TriggerDefinition }>;
  /** By event type. */
  subscribers: Map<string, { plugin: LoadedPlugin; subscriber: SubscriberDefinition }[]>;
  /** By full key `<plugin>.<name>`. */
  jobs: Map<string, { plugin: LoadedPlugin; job: JobDefinition }>;
  /** By `<plugin>.<provider>`. */
  connections: Map<string, { plugin: LoadedPlugin; connection: ConnectionDefinition }>;
  timeline: { plugin: LoadedPlugin; source: TimelineSource }[];
  /** Every plugin's part of a contact's data export and erasure, in plugin order. */
  contactData: { plugin: LoadedPlugin; part: ContactDataPart }[];
  /** By capability key `<plugin>.<name>`. */
  capabilities: Map<string, { plugin: LoadedPlugin; capability: CapabilityDefinition }>;
  /** By capability key: the providers serving it, in plugin order. */
  providers: Map<string, { plugin: LoadedPlugin; provider: AnyProvider }[]>;
  /** By name (`contact`): what workflow conditions and templates read. */
  runContext: Map<string, { plugin: LoadedPlugin; provider: RunContextProvider }>;
  /** By name (`contacts`): the agency roll-up's numbers. */
  counts: Map<string, { plugin: LoadedPlugin; count: TenantCount }>;
  /** Model -> the plugin that declares it in definePlugin({ models }): the only one that writes it. */
  modelOwners: Map<string, string>;
  /** By full key `<plugin>.<name>`: what each plugin forgets on a schedule (core/src/lifecycle.ts). */
  retention: Map<string, { plugin: LoadedPlugin; retention: RetentionDefinition }>;
}

export class PluginError extends Error {
  override name = 'PluginError';
}

const snake = /^[a-z][a-z0-9_]*$/;
/** What a run's context holds besides the plugins' records. */
const reservedContext = new Set(['event', 'steps', 'workflow', 'now']);
const fullKey = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

/**
 * The plugins to enable: PLUGINS when set, else `soshogle.plugins` in the project's
 * package.json (the project decides; the core names no plugin), preceded by
 * `soshogle.devPlugins` unless NODE_ENV is production: the reference plugin is there to
 * learn from and test with, not to run for customers. PLUGINS can still name one.
 */
export function enabledPluginNames(configured: string[] | undefined, root = process.cwd(), nodeEnv = process.env.NODE_ENV): string[] {
  if (configured) return configured;
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { soshogle?: { plugins?: string[]; devPlugins?: string[] } };
  const dev = nodeEnv === 'production' ? [] : (pkg.soshogle?.devPlugins ?? []);
  return [...new Set([...dev, ...(pkg.soshogle?.plugins ?? [])])];
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
  const registry: Registry = { plugins: [], actions: new Map(), triggers: new Map(), subscribers: new Map(), jobs: new Map(), connections: new Map(), timeline: [], contactData: [], capabilities: new Map(), providers: new Map(), runContext: new Map(), counts: new Map(), modelOwners: new Map(), retention: new Map() };
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
    registerProviders(registry, plugin, claim);
    for (const source of definition.timeline ?? []) {
      claim('Timeline source', source.name);
      registry.timeline.push({ plugin, source });
    }
    registerContactData(registry, plugin, claim);
    for (const provider of definition.context ?? []) {
      claim('Run context', provider.name);
      // Not prefixed: conditions read `contact`, not `crm.contact`; the engine's own parts stay its own.
      if (reservedContext.has(provider.name)) throw new PluginError(`Run context "${provider.name}" of plugin "${definition.name}" is a name the engine provides`);
      const other = registry.runContext.get(provider.name);
      if (other) throw new PluginError(`Run context "${provider.name}" is provided by both "${other.plugin.definition.name}" and "${definition.name}"`);
      registry.runContext.set(provider.name, { plugin, provider });
    }
    for (const count of definition.counts ?? []) {
      if (!/^[a-z][a-zA-Z0-9_]*$/.test(count.name)) throw new PluginError(`Count "${count.name}" of plugin "${definition.name}" must be camelCase or snake_case`);
      const other = registry.counts.get(count.name);
      if (other || count.name === 'workflows') throw new PluginError(`Count "${count.name}" is provided by both "${other?.plugin.definition.name ?? 'core'}" and "${definition.name}"`);
      registry.counts.set(count.name, { plugin, count });
    }
    for (const job of definition.jobs ?? []) {
      const key = claim('Job', job.name);
      if (registry.jobs.has(key)) throw new PluginError(`Job "${key}" is declared twice`);
      checkObjectSchema(`Job "${key}" payload`, job.payload);
      registry.jobs.set(key, { plugin, job: job as JobDefinition });
    }
    for (const retention of definition.retention ?? []) {
      const key = claim('Retention', retention.name);
      if (registry.retention.has(key)) throw new PluginError(`Retention "${key}" is declared twice`);
      checkRetention(key, definition.name, retention, modelOwners);
      registry.retention.set(key, { plugin, retention });
    }
    for (const webhook of definition.webhooks ?? []) {
      if (!namesTenant(webhook) && !webhook.tenant) {
        throw new PluginError(`Webhook "${webhook.path}" of plugin "${definition.name}" must find its tenant: declare tenant(), or start its path with /:tenant`);
      }
      // Anything but a 2xx tells the provider the delivery failed, and it sends it again.
      const status = webhook.reply?.status;
      if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 299)) {
        throw new PluginError(`Webhook "${webhook.path}" of plugin "${definition.name}" replies ${status}: a provider takes only a 2xx as received`);
      }
    }
    for (const subscriber of definition.subscribers ?? []) {
      claim('Subscriber', subscriber.name);
      const list = registry.subscribers.get(subscriber.event) ?? [];
      list.push({ plugin, subscriber });
      registry.subscribers.set(subscriber.event, list);
    }
  }
  // Aliases after every real key, so an alias can never shadow one, whatever the plugin order.
  for (const plugin of registry.plugins) {
    for (const action of plugin.definition.actions ?? []) {
      const key = `${plugin.definition.name}.${action.name}`;
      for (const alias of action.aliases ?? []) {
        if (!fullKey.test(alias)) throw new PluginError(`Alias "${alias}" of action "${key}" must be a full key <plugin>.<name> in snake_case`);
        const taken = registry.actions.get(alias);
        if (taken) throw new PluginError(`Alias "${alias}" of action "${key}" is already the key or an alias of "${taken.plugin.definition.name}.${taken.action.name}"`);
        registry.actions.set(alias, { plugin, action });
      }
    }
  }
  // A subscriber to an event nobody raises is a typo or a missing dependency, unless it
  // says it is optional: then it is left out.
  for (const [event, list] of registry.subscribers) {
    if (registry.triggers.has(event)) continue;
    const required = list.filter((s) => !s.subscriber.optional);
    if (required.length) {
      const names = required.map((s) => `${s.plugin.definition.name}.${s.subscriber.name}`).join(', ');
      throw new PluginError(`Subscriber ${names} listens to "${event}", which no enabled plugin declares as a trigger`);
    }
    registry.subscribers.delete(event);
  }
  checkProviders(registry);
  return registry;
}

/** A retention deletes from its plugin's own model, by a DateTime column of it, on a valid schedule. */
function checkRetention(key: string, plugin: string, retention: RetentionDefinition, modelOwners: Map<string, string>): void {
  if (modelOwners.get(retention.model) !== plugin) throw new PluginError(`Retention "${key}" deletes from "${retention.model}", which is not a model of "${plugin}" (definePlugin({ models }))`);
  const fields = (Prisma as unknown as Record<string, Record<string, string> | undefined>)[`${retention.model}ScalarFieldEnum`] ?? {};
  if (!(retention.column in fields)) throw new PluginError(`Retention "${key}" counts age from "${retention.column}", which is not a column of "${retention.model}"`);
  const batchSize = retention.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new PluginError(`Retention "${key}" has batchSize ${batchSize}: a whole number from 1 to 10000`);
  try {
    parseCronItems([{ task: 'check', identifier: key, match: retention.schedule ?? '* * * * *' }]);
  } catch (error) {
    throw new PluginError(`Retention "${key}" has schedule "${retention.schedule}", which is not a crontab time: ${(error as Error).message}`);
  }
}

/**
 * A plugin's part of contacts' export and erasure. One that owns models must say what
 * it holds about a contact, or that it holds nothing (`{ none: reason }`): its rows are
 * otherwise left out of every export and kept by every erasure, and nobody would notice.
 */
function registerContactData(registry: Registry, plugin: LoadedPlugin, claim: (kind: string, name: string) => string): void {
  const { definition } = plugin;
  const declared = definition.contactData;
  if (!declared) {
    if (definition.models?.length) {
      throw new PluginError(
        `Plugin "${definition.name}" owns models (${definition.models.join(', ')}) but declares no contactData: declare its part of a contact's export and erasure, or contactData: { none: '<why its models hold no personal data>' }`,
      );
    }
    return;
  }
  if (!Array.isArray(declared)) {
    if (!declared.none.trim()) throw new PluginError(`Plugin "${definition.name}" declares contactData: { none } without saying why`);
    return;
  }
  const names = new Set<string>();
  for (const part of declared) {
    claim('Contact data part', part.name);
    if (names.has(part.name)) throw new PluginError(`Contact data part "${definition.name}.${part.name}" is declared twice`);
    names.add(part.name);
    registry.contactData.push({ plugin, part });
  }
}

/**
 * A plugin's capabilities, and its providers: each is also a connection (stored and
 * listed as `<plugin>/<provider>`), so saved credentials and the Settings forms work as
 * for any connection.
 */
function registerProviders(registry: Registry, plugin: LoadedPlugin, claim: (kind: string, name: string) => string): void {
  const { definition } = plugin;
  for (const capability of definition.capabilities ?? []) {
    const key = claim('Capability', capability.name);
    if (registry.capabilities.has(key)) throw new PluginError(`Capability "${key}" is declared twice`);
    registry.capabilities.set(key, { plugin, capability });
  }
  for (const provider of definition.providers ?? []) {
    const key = claim('Provider', provider.provider);
    if (registry.connections.has(key)) throw new PluginError(`Connection "${key}" is declared twice`);
    checkObjectSchema(`Provider "${key}" credentials`, provider.credentials);
    const serves = Object.keys(provider.serves);
    if (!serves.length) throw new PluginError(`Provider "${key}" serves no capability`);
    registry.connections.set(key, { plugin, connection: provider });
    for (const capability of serves) {
      const list = registry.providers.get(capability) ?? [];
      list.push({ plugin, provider });
      registry.providers.set(capability, list);
    }
  }
}

/**
 * After every plugin is in: each provider serves capabilities an enabled plugin declares,
 * and a provider's name is unique (records made through it, such as a message, keep the
 * name).
 */
function checkProviders(registry: Registry): void {
  const byName = new Map<string, string>();
  for (const [capability, list] of registry.providers) {
    for (const { plugin, provider } of list) {
      const where = `Provider "${provider.provider}" of plugin "${plugin.definition.name}"`;
      if (!registry.capabilities.has(capability)) {
        const owner = capability.split('.')[0];
        throw new PluginError(`${where} serves "${capability}", which no enabled plugin declares as a capability. Enable "${owner}" in PLUGINS or disable "${plugin.definition.name}".`);
      }
      const other = byName.get(provider.provider);
      if (other && other !== plugin.definition.name) throw new PluginError(`Provider "${provider.provider}" is declared by both "${other}" and "${plugin.definition.name}": provider names must be unique`);
      byName.set(provider.provider, plugin.definition.name);
    }
  }
}
