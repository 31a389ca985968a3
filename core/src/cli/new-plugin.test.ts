// The generator end to end: `new:plugin` writes a plugin into a throwaway workspace (never
// this checkout's package.json, which parallel test files read), and the plugin passes the
// test it was generated with, run here.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pluginNames, UsageError } from './new-plugin.ts';

const checkout = fileURLToPath(new URL('../../../', import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), 'soshogle-new-plugin-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
copyFileSync(path.join(checkout, 'package.json'), path.join(root, 'package.json'));
mkdirSync(path.join(root, 'plugins'));

const name = `made_${Date.now().toString(36)}`;
const plugin = path.join(root, 'plugins', name);
const generate = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.join(checkout, 'core/src/cli/new-plugin.ts'), ...args, '--root', root, '--no-install'], {
    cwd: checkout,
    encoding: 'utf8',
  });
const created = generate(name);
const packageAfterCreate = readFileSync(path.join(root, 'package.json'), 'utf8');
// Run now rather than in their test: the generated test's server must not sit idle meanwhile.
const again = generate(name);
const kebab = generate('My-Shop');

// What `pnpm install` does for it: its dependencies, linked into its node_modules.
if (created.status === 0) {
  mkdirSync(path.join(plugin, 'node_modules', '@soshogle'), { recursive: true });
  symlinkSync(path.join(checkout, 'core'), path.join(plugin, 'node_modules', '@soshogle', 'core'));
  symlinkSync(realpathSync(path.join(checkout, 'core', 'node_modules', 'zod')), path.join(plugin, 'node_modules', 'zod'));
}

const rootPackage = () => JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; soshogle: { plugins: string[] } };
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.name === 'node_modules' ? [] : e.isDirectory() ? sources(path.join(dir, e.name)) : [path.join(dir, e.name)]));

describe('new:plugin', () => {
  it('writes plugins/<name> with the names derived from it, enabled in the workspace package.json', () => {
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain(`npx vitest run ${path.relative(checkout, plugin)}`);
    const packageName = `@soshogle/plugin-${name.replace('_', '-')}`;
    expect(JSON.parse(readFileSync(path.join(plugin, 'package.json'), 'utf8'))).toMatchObject({ name: packageName });
    expect(rootPackage().dependencies[packageName]).toBe('workspace:*');
    expect(rootPackage().soshogle.plugins.at(-1)).toBe(packageName);
    expect(sources(plugin).map((f) => path.relative(plugin, f)).sort()).toEqual(
      ['package.json', 'src/connection.ts', 'src/index.ts', 'src/pinged.ts', 'src/routes.ts', 'src/send-ping.ts', `src/${name}.test.ts`].sort(),
    );
    for (const file of sources(plugin)) expect(readFileSync(file, 'utf8'), file).not.toMatch(/skeleton/i);
  });

  it('refuses a folder that exists and a name that is not snake_case, changing nothing', () => {
    expect([again.status, again.stderr]).toEqual([2, expect.stringContaining(`plugins/${name} exists already`)]);
    expect([kebab.status, kebab.stderr]).toEqual([2, expect.stringContaining('use snake_case, a lower-case letter first, up to 40 characters (e.g. "my_shop")')]);
    expect(() => pluginNames('core')).toThrow(UsageError);
    expect(readFileSync(path.join(root, 'package.json'), 'utf8')).toBe(packageAfterCreate);
  });
});

// The generated plugin's own test, as generated: its tests join this file's and must pass.
if (created.status === 0) await import(pathToFileURL(path.join(plugin, 'src', `${name}.test.ts`)).href);
