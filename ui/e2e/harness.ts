// What every browser test starts with: the whole product (every enabled plugin, the built
// UI) on a fresh database, and Debian's Chromium driven by playwright-core (the one the
// run's global setup started, see browser-server.ts). Screenshots go to
// ui/e2e/screenshots/<test>/ so a person can look at what the test saw.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { enabledPluginNames, importPlugins, type Soshogle } from '@soshogle/core';
import { startTestSoshogle, testPasswordHash } from '@soshogle/core/testing';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, inject } from 'vitest';
import { chromiumLaunchOptions } from './chromium.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const screenshotsDir = path.join(root, 'ui/e2e/screenshots');

/** The product with the plugins package.json enables, or only `pluginNames` (package names). */
export async function startApp(env: Record<string, string> = {}, pluginNames?: string[]): Promise<Soshogle> {
  const plugins = await importPlugins(pluginNames ?? enabledPluginNames(undefined, root), root);
  return startTestSoshogle(plugins, { UI_DIR: process.env.UI_DIR ?? path.join(root, 'ui/build'), ...env });
}

/** The run's shared Chromium (closing it only disconnects this file), or a browser of its own when no global setup started one. */
export async function launchBrowser(): Promise<Browser> {
  const endpoint = inject('browserWsEndpoint');
  const browser = endpoint ? await chromium.connect(endpoint) : await chromium.launch(chromiumLaunchOptions());
  afterAll(() => browser.close());
  return browser;
}

export interface TestPage {
  page: Page;
  /** Saves a screenshot named `<n>-<name>.png` in this test's folder (full page unless told; a modal is better shot as the viewport). */
  shot(name: string, options?: { fullPage?: boolean }): Promise<void>;
}

/** A fresh browser context on the app; `options` adds what a test needs of it (a `timezoneId`, a `locale`). */
export async function openPage(browser: Browser, app: Soshogle, test: string, viewport = { width: 1366, height: 860 }, options: BrowserContextOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({ baseURL: app.url, viewport, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const dir = path.join(screenshotsDir, test);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  afterAll(async () => {
    await context.close();
    if (errors.length) throw new Error(`Uncaught errors in the page: ${errors.join('; ')}`);
  });
  return {
    page,
    shot: async (name, options = {}) => {
      n += 1;
      await page.screenshot({ path: path.join(dir, `${String(n).padStart(2, '0')}-${name}.png`), fullPage: options.fullPage ?? true });
    },
  };
}

/** A user who finished onboarding, logged in on this page (the fast way in for tests that are not about sign-up). */
export async function logIn(app: Soshogle, page: Page, email = `user-${Math.random().toString(36).slice(2)}@example.test`): Promise<{ id: string; email: string }> {
  const password = 'correct horse battery staple';
  const user = await app.db.user.create({
    data: { email, password: await testPasswordHash(password), role: 'USER', businessName: 'Acme Dental', timezone: 'America/New_York', onboardingStep: 3, onboardingComplete: true },
  });
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return { id: user.id, email };
}

/** The API as the signed-in page calls it (its cookie and CSRF token): the status and the JSON answer ({} when there is none). */
export async function apiCall<T = Record<string, unknown>>(page: Page, method: string, route: string, body?: unknown): Promise<{ status: number; json: T }> {
  const { csrfToken } = (await (await page.request.get('/api/auth/session')).json()) as { csrfToken: string };
  const res = await page.request.fetch(`/api${route}`, { method, data: body, headers: { 'x-csrf-token': csrfToken } });
  return { status: res.status(), json: (await res.json().catch(() => ({}))) as T };
}

/** A call that must succeed (a test's setup): its JSON answer. */
export async function apiAs<T = Record<string, unknown>>(page: Page, method: string, route: string, body?: unknown): Promise<T> {
  const { status, json } = await apiCall<T>(page, method, route, body);
  if (status < 200 || status > 299) throw new Error(`${method} ${route}: ${status} ${JSON.stringify(json)}`);
  return json;
}

/** No sideways scroll of the page (the browser's own globals: the tests are type-checked without the DOM). */
export const fitsWidth = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');

/** A customer's own website on another origin serving `html` (to paste an embed code into), closed after the file; its address. */
export async function hostSite(html: string): Promise<string> {
  const site = createServer((_, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(html);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => site.close(() => resolve())));
  return `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
}
