// `npx -y pnpm@10 new:plugin <name>`: writes plugins/<name>, a working plugin (a route,
// a trigger, an action with sandbox mode, a connection, a passing test) from the plain
// files in plugin-template/, enables it in the root package.json and links it with pnpm.
// The template is a real plugin, typechecked and linted with the code, so it cannot rot.
//
// Options: --root <dir> (the workspace; default: the current folder), --no-install
// (leave linking to you; the generator's test uses both).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const templateDir = fileURLToPath(new URL('./plugin-template/', import.meta.url));
/** The template's own name, replaced everywhere (file names and text), in every case it is written in. */
const placeholder = 'skeleton';

export interface PluginNames {
  /** The plugin key: route prefix, action and trigger prefix, folder name (`my_shop`). */
  key: string;
  /** `@soshogle/plugin-my-shop`. */
  packageName: string;
  /** `My Shop`. */
  displayName: string;
  /** Prefix of its config variables (`MY_SHOP`). */
  envPrefix: string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Checks a plugin name and derives the others from it. */
export function pluginNames(name: string): PluginNames {
  if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name) || name.length > 40) {
    const suggestion = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^[^a-z]+|_+$/g, '');
    throw new UsageError(
      `"${name}" is not a plugin name: use snake_case, a lower-case letter first, up to 40 characters (e.g. ${suggestion && suggestion !== name ? `"${suggestion}"` : '"my_shop"'}).`,
    );
  }
  if (name === 'core') throw new UsageError('"core" is the core’s own name; choose another.');
  const words = name.split('_');
  return {
    key: name,
    packageName: `@soshogle/plugin-${words.join('-')}`,
    displayName: words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' '),
    envPrefix: name.toUpperCase(),
  };
}

function fill(text: string, names: PluginNames): string {
  return text
    .replaceAll(`plugin-${placeholder}`, names.packageName.replace('@soshogle/', ''))
    .replaceAll(placeholder.toUpperCase(), names.envPrefix)
    .replaceAll(placeholder.charAt(0).toUpperCase() + placeholder.slice(1), names.displayName)
    .replaceAll(placeholder, names.key);
}

/** Every file under `dir`, depth first. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Writes plugins/<key> from the template and enables it in the root package.json. Returns the folder. */
export function writePlugin(root: string, names: PluginNames): string {
  const rootPackageFile = path.join(root, 'package.json');
  if (!existsSync(rootPackageFile)) throw new UsageError(`${root} has no package.json: run this from the Soshogle workspace, or pass --root.`);
  const dir = path.join(root, 'plugins', names.key);
  if (existsSync(dir)) throw new UsageError(`${path.relative(root, dir)} exists already; choose another name or remove it.`);
  const pkg = JSON.parse(readFileSync(rootPackageFile, 'utf8')) as {
    dependencies?: Record<string, string>;
    soshogle?: { plugins?: string[] };
  };
  if (pkg.dependencies?.[names.packageName]) throw new UsageError(`${names.packageName} is in package.json already; choose another name.`);

  cpSync(templateDir, dir, { recursive: true, filter: (src) => !src.split(path.sep).includes('node_modules') });
  for (const file of files(dir)) {
    writeFileSync(file, fill(readFileSync(file, 'utf8'), names));
    const renamed = path.join(path.dirname(file), fill(path.basename(file), names));
    if (renamed !== file) renameSync(file, renamed);
  }
  // Installed like every plugin (a workspace dependency of the root) and enabled in every start.
  pkg.dependencies = { ...pkg.dependencies, [names.packageName]: 'workspace:*' };
  pkg.soshogle = { ...pkg.soshogle, plugins: [...(pkg.soshogle?.plugins ?? []), names.packageName] };
  writeFileSync(rootPackageFile, `${JSON.stringify(pkg, null, 2)}\n`);
  return dir;
}

/** Links the new package into the workspace (offline first: these machines may have no registry). */
function install(root: string): boolean {
  const run = (args: string[]) => spawnSync('npx', ['-y', 'pnpm@10', 'install', '--no-frozen-lockfile', ...args], { cwd: root, stdio: 'inherit' }).status === 0;
  return run(['--offline']) || run([]);
}

function main(argv: string[]): number {
  const args = [...argv];
  const rootAt = args.indexOf('--root');
  const root = path.resolve(rootAt >= 0 ? (args.splice(rootAt, 2)[1] ?? '.') : '.');
  const noInstall = args.includes('--no-install');
  const [name, ...rest] = args.filter((a) => a !== '--no-install');
  try {
    if (!name || rest.length || name.startsWith('-')) throw new UsageError('usage: npx -y pnpm@10 new:plugin <name> [--root <workspace>] [--no-install]   (name in snake_case, e.g. my_shop)');
    const names = pluginNames(name);
    const dir = path.relative(process.cwd(), writePlugin(root, names)) || '.';
    console.log(`Created ${dir} (${names.packageName}), enabled in package.json.`);
    if (!noInstall && !install(root)) {
      console.error('pnpm install failed: run `npx -y pnpm@10 install` yourself to link the new plugin.');
      return 1;
    }
    console.log(`
Next steps:
  1. Make it yours: ${dir}/src/index.ts declares the plugin; each piece is one file beside it.
     plugins/example shows every other piece (model, webhooks, job, subscriber, timeline, fake).
  2. Test it:       npx vitest run ${dir}
  3. Read the guide: docs/plugins.md`);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
