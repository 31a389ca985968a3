import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction, defineContactData, defineCount, definePlugin, defineRunContext, defineSubscriber, defineTrigger } from './plugin.ts';
import { buildRegistry, enabledPluginNames, importPlugins, PluginError } from './plugin-host.ts';

const pinged = defineTrigger({
  name: 'pinged',
  displayName: 'Pinged',
  description: 'A ping',
  payload: z.object({ message: z.string() }),
  filter: z.object({}),
  matches: () => true,
});

describe('buildRegistry', () => {
  it('fails fast, naming the plugin and the missing dependency', () => {
    const crm = definePlugin({ name: 'campaigns', displayName: 'Campaigns', description: '', dependsOn: ['messaging', 'crm'] });
    expect(() => buildRegistry([crm])).toThrowError(
      new PluginError('Plugin "campaigns" depends on "messaging", "crm", which are not enabled. Enable them in PLUGINS or disable "campaigns".'),
    );
  });

  it('indexes actions and triggers by <plugin>.<name>', () => {
    const action = defineAction({
      name: 'noop',
      version: 1,
      displayName: 'No-op',
      description: '',
      props: z.object({}),
      output: z.object({}),
      idempotent: true,
      run: async () => ({}),
    });
    const registry = buildRegistry([definePlugin({ name: 'demo', displayName: 'Demo', description: '', actions: [action], triggers: [pinged] })]);
    expect([...registry.actions.keys()]).toEqual(['demo.noop']);
    expect([...registry.triggers.keys()]).toEqual(['demo.pinged']);
  });

  it('finds an action by its aliases too, and refuses an alias that is taken or not a full key', () => {
    const action = (name: string, aliases?: string[]) =>
      defineAction({ name, aliases, version: 1, displayName: name, description: '', props: z.object({}), output: z.object({}), idempotent: true, run: async () => ({}) });
    const moved = action('tag', ['old.tag']);
    const registry = buildRegistry([definePlugin({ name: 'demo', displayName: 'Demo', description: '', actions: [moved] })]);
    expect([...registry.actions.keys()]).toEqual(['demo.tag', 'old.tag']);
    expect(registry.actions.get('old.tag')?.action).toBe(moved);
    expect(registry.actions.get('old.tag')?.plugin.definition.name).toBe('demo');

    // Still someone's real key, whichever plugin comes first.
    const old = definePlugin({ name: 'old', displayName: '', description: '', actions: [action('tag')] });
    const demo = definePlugin({ name: 'demo', displayName: '', description: '', actions: [moved] });
    for (const plugins of [[old, demo], [demo, old]]) {
      expect(() => buildRegistry(plugins)).toThrowError(new PluginError('Alias "old.tag" of action "demo.tag" is already the key or an alias of "old.tag"'));
    }
    const twice = definePlugin({ name: 'other', displayName: '', description: '', actions: [action('label', ['old.tag'])] });
    expect(() => buildRegistry([demo, twice])).toThrow(/Alias "old.tag" of action "other.label" is already the key or an alias of "demo.tag"/);
    const bad = definePlugin({ name: 'demo', displayName: '', description: '', actions: [action('tag', ['add_tag'])] });
    expect(() => buildRegistry([bad])).toThrow(/Alias "add_tag" of action "demo.tag" must be a full key/);
  });

  it('refuses names that are not snake_case, and a plugin enabled twice', () => {
    expect(() => buildRegistry([definePlugin({ name: 'My-Plugin', displayName: '', description: '' })])).toThrow(/snake_case/);
    const p = definePlugin({ name: 'twice', displayName: '', description: '' });
    expect(() => buildRegistry([p, p])).toThrow(/enabled twice/);
  });

  it('checks the models a plugin owns exist, and that no two plugins own one', () => {
    const crm = definePlugin({ name: 'crm', displayName: '', description: '', models: ['Contact', 'Deal'], contactData: { none: 'a fixture' } });
    expect(buildRegistry([crm]).plugins).toHaveLength(1);
    expect(() => buildRegistry([definePlugin({ name: 'x', displayName: '', description: '', models: ['Contacts'] })])).toThrow(
      /owns model "Contacts", which is not in prisma\/schema/,
    );
    const rival = definePlugin({ name: 'rival', displayName: '', description: '', models: ['Deal'] });
    expect(() => buildRegistry([crm, rival])).toThrow(/Model "Deal" is owned by both "crm" and "rival"/);
  });

  it("refuses a plugin that owns models but says nothing of a contact's data in them", () => {
    const silent = definePlugin({ name: 'silent', displayName: '', description: '', models: ['ExamplePing'] });
    expect(() => buildRegistry([silent])).toThrow(/Plugin "silent" owns models \(ExamplePing\) but declares no contactData/);
    const shrug = definePlugin({ name: 'shrug', displayName: '', description: '', models: ['ExamplePing'], contactData: { none: ' ' } });
    expect(() => buildRegistry([shrug])).toThrow(/declares contactData: \{ none \} without saying why/);
    const part = defineContactData({ name: 'pings', export: async () => ({}), erase: async () => ({ erased: {} }) });
    const twice = definePlugin({ name: 'twice', displayName: '', description: '', models: ['ExamplePing'], contactData: [part, part] });
    expect(() => buildRegistry([twice])).toThrow(/Contact data part "twice.pings" is declared twice/);
    const told = definePlugin({ name: 'told', displayName: '', description: '', models: ['ExamplePing'], contactData: [part] });
    expect(buildRegistry([told]).contactData).toEqual([{ plugin: expect.objectContaining({ definition: told }), part }]);
    // A plugin without models holds nothing to declare.
    expect(buildRegistry([definePlugin({ name: 'bare', displayName: '', description: '' })]).contactData).toEqual([]);
  });

  it('indexes run contexts and counts by name, one provider each, never a name the engine or core holds', () => {
    const contact = defineRunContext({ name: 'contact', load: async () => null });
    const contacts = defineCount({ name: 'contacts', count: async () => ({}) });
    const crm = definePlugin({ name: 'crm', displayName: '', description: '', context: [contact], counts: [contacts] });
    const registry = buildRegistry([crm]);
    expect(registry.runContext.get('contact')?.provider).toBe(contact);
    expect(registry.counts.get('contacts')?.count).toBe(contacts);
    const rival = definePlugin({ name: 'rival', displayName: '', description: '', context: [contact] });
    expect(() => buildRegistry([crm, rival])).toThrow(/Run context "contact" is provided by both "crm" and "rival"/);
    const counter = definePlugin({ name: 'counter', displayName: '', description: '', counts: [contacts] });
    expect(() => buildRegistry([crm, counter])).toThrow(/Count "contacts" is provided by both "crm" and "counter"/);
    const steps = definePlugin({ name: 'x', displayName: '', description: '', context: [defineRunContext({ name: 'steps', load: async () => null })] });
    expect(() => buildRegistry([steps])).toThrow(/Run context "steps" of plugin "x" is a name the engine provides/);
    const workflows = definePlugin({ name: 'y', displayName: '', description: '', counts: [defineCount({ name: 'workflows', count: async () => ({}) })] });
    expect(() => buildRegistry([workflows])).toThrow(/Count "workflows" is provided by both "core" and "y"/);
  });

  it('refuses a subscriber to an event no enabled plugin raises', () => {
    const listener = definePlugin({
      name: 'listener',
      displayName: '',
      description: '',
      // @ts-expect-error demo.pinged is declared nowhere: the typecheck refuses it too
      subscribers: [defineSubscriber({ name: 'on_ping', event: 'demo.pinged', run: async () => {} })],
    });
    expect(() => buildRegistry([listener])).toThrow(/listens to "demo.pinged", which no enabled plugin declares/);
  });

  it('leaves out an optional subscriber whose event no enabled plugin raises, and keeps it when one does', () => {
    const listener = definePlugin({
      name: 'listener',
      displayName: '',
      description: '',
      // @ts-expect-error demo.pinged is declared nowhere
      subscribers: [defineSubscriber({ name: 'on_ping', event: 'demo.pinged', optional: true, run: async () => {} })],
    });
    expect(buildRegistry([listener]).subscribers.has('demo.pinged')).toBe(false);
    const pinger = definePlugin({ name: 'demo', displayName: '', description: '', triggers: [defineTrigger({ name: 'pinged', displayName: 'Pinged', description: '', payload: z.object({}), filter: z.object({}), matches: () => true })] });
    expect(buildRegistry([pinger, listener]).subscribers.get('demo.pinged')?.map((s) => s.subscriber.name)).toEqual(['on_ping']);
  });

  it('reads a plugin config slice from <NAME>_<KEY> variables, naming a bad one', () => {
    const messaging = definePlugin({
      name: 'messaging',
      displayName: '',
      description: '',
      config: z.object({ twilioAuthToken: z.string().min(8), sendRate: z.coerce.number().default(10) }),
    });
    const registry = buildRegistry([messaging], { MESSAGING_TWILIO_AUTH_TOKEN: 'secret-token' });
    expect(registry.plugins[0]?.config).toEqual({ twilioAuthToken: 'secret-token', sendRate: 10 });
    expect(() => buildRegistry([messaging], { MESSAGING_TWILIO_AUTH_TOKEN: 'short' })).toThrow(
      /Invalid configuration for plugin "messaging":\n {2}MESSAGING_TWILIO_AUTH_TOKEN: /,
    );
  });
});

describe('enabledPluginNames', () => {
  it('takes PLUGINS when set, else the list in the project package.json', () => {
    expect(enabledPluginNames(['@soshogle/plugin-crm'])).toEqual(['@soshogle/plugin-crm']);
    expect(enabledPluginNames(undefined)).toContain('@soshogle/plugin-crm');
  });

  it('adds soshogle.devPlugins in development and tests, not in production unless PLUGINS names one', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'soshogle-plugins-'));
    try {
      const soshogle = { plugins: ['@acme/plugin-crm'], devPlugins: ['@acme/plugin-example'] };
      writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'acme', soshogle }));
      expect(enabledPluginNames(undefined, root, 'development')).toEqual(['@acme/plugin-example', '@acme/plugin-crm']);
      expect(enabledPluginNames(undefined, root, 'test')).toEqual(['@acme/plugin-example', '@acme/plugin-crm']);
      expect(enabledPluginNames(undefined, root, undefined)).toEqual(['@acme/plugin-example', '@acme/plugin-crm']);
      expect(enabledPluginNames(undefined, root, 'production')).toEqual(['@acme/plugin-crm']);
      expect(enabledPluginNames(['@acme/plugin-crm', '@acme/plugin-example'], root, 'production')).toEqual(['@acme/plugin-crm', '@acme/plugin-example']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('keeps the example plugin out of this project’s production start', () => {
    expect(enabledPluginNames(undefined, process.cwd(), 'development')).toContain('@soshogle/plugin-example');
    expect(enabledPluginNames(undefined, process.cwd(), 'production')).not.toContain('@soshogle/plugin-example');
  });
});

describe('importPlugins', () => {
  it('imports an installed plugin package by name', async () => {
    const [example] = await importPlugins(['@soshogle/plugin-example']);
    expect(example?.name).toBe('example');
  });

  it('says so when an enabled plugin is not installed', async () => {
    await expect(importPlugins(['@soshogle/plugin-nope'])).rejects.toThrow(/"@soshogle\/plugin-nope" is enabled but not installed/);
  });
});
