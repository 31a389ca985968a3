// `npx pnpm@10 bench:ui`: the contacts screen at a million contacts, in a real browser.
//
// Starts Soshogle with every enabled plugin on a throwaway database and the built UI
// (ui/build, or UI_DIR), seeds one tenant with BENCH_CONTACTS contacts (default
// 1,000,000) the way the CRM bench does (its own seeding, multi-row INSERTs),
// VACUUM ANALYZE, then drives Debian's Chromium (headless, playwright-core) as that
// tenant's user and prints:
//
// (a) navigation to /contacts until the first page of rows is on screen: cold (a new
//     browser context: empty HTTP cache, a full page load) and warm (reload with the
//     cache; and moving to Contacts from the dashboard inside the app); target < 1 s;
// (b) a search typed into the box until its rows are on screen: pasted (one input
//     event) and typed key by key (from the last key; includes the 100 ms pause the box
//     waits for while keys keep coming); target < 300 ms;
// (c) the JavaScript of the first screen: each file as transferred (encoding as the
//     server chose) and its gzip size (the build's precompressed .gz), and the API
//     requests made before the rows showed.
//
// Times are measured inside the page (performance.now(), a MutationObserver and the
// next animation frame), so the browser driver's own round trips are not counted.
// Settings: BENCH_CONTACTS, BENCH_RUNS (navigations per kind, 7), BENCH_SEARCHES (24),
// UI_DIR, CHROMIUM_PATH, DATABASE_URL.
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { enabledPluginNames, importPlugins } from '@soshogle/core';
import { startBenchSoshogle } from '@soshogle/core/bench';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { prng, seedContacts } from '@soshogle/plugin-crm/bench';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const uiDir = process.env.UI_DIR ?? path.join(root, 'ui/build');
const contactCount = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 7);
const searchCount = Number(process.env.BENCH_SEARCHES ?? 24);
if (!existsSync(path.join(uiDir, '200.html'))) throw new Error(`No built UI in ${uiDir}: run npx pnpm@10 ui:build (or set UI_DIR)`);

const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)} s`;
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (n: number) => `${Math.round(n)} ms`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
const verdict = (value: number, target: number) => (value <= target ? '(met)' : `(NOT met: target < ${target} ms)`);

const plugins = await importPlugins(enabledPluginNames(undefined, root), root);
const bench = await startBenchSoshogle('ui', plugins, { config: { UI_DIR: uiDir } });
const { soshogle } = bench;
const db = soshogle.db;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

// Records, in every page of a context, when the first contact row appears (performance.now(),
// from the navigation's start). Scripts for the page are strings: tsx compiles functions
// with name helpers that do not exist in the browser.
const probeScript = `(() => {
  const mark = () => { const at = performance.now(); requestAnimationFrame(() => { window.__firstRows = Math.max(at, performance.now()); }); };
  window.__watchRows = () => {
    window.__firstRows = undefined;
    new MutationObserver((_, observer) => { if (document.querySelector('.results tbody tr')) { observer.disconnect(); mark(); } })
      .observe(document, { childList: true, subtree: true });
  };
  window.__watchRows();
  // Each contact list request: when it started and when its body was read (for the breakdown of a search).
  window.__fetches = [];
  const fetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const started = performance.now();
    const res = await fetch(input, init);
    if (url.includes('/api/crm/contacts?')) {
      const entry = { url, started, ended: 0 };
      window.__fetches.push(entry);
      const text = res.text.bind(res);
      res.text = async () => { const body = await text(); entry.ended = performance.now(); return body; };
    }
    return res;
  };
})()`;

/** The time from the navigation's start to the first rows on screen, as the page measured it. */
async function firstRows(page: Page): Promise<number> {
  try {
    await page.waitForFunction('window.__firstRows !== undefined', undefined, { timeout: 60_000 });
  } catch (error) {
    const shot = path.join(os.tmpdir(), 'bench-ui-contacts-failure.png');
    await page.screenshot({ path: shot }).catch(() => {});
    throw new Error(`No contact rows at ${page.url()} (screenshot: ${shot})`, { cause: error });
  }
  return (await page.evaluate('window.__firstRows')) as number;
}

try {
  console.log(`UI contacts benchmark: ${contactCount.toLocaleString('en-US')} contacts, ${os.cpus().length} CPUs, node ${process.version}, UI from ${path.relative(root, uiDir) || uiDir}\n`);

  // ---- a tenant, signed up through the API, with its contacts ----
  const email = `bench-ui-${Date.now()}@example.test`;
  const password = 'a long enough bench password';
  const signup = await fetch(`${soshogle.url}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, name: 'Bench' }) });
  if (!signup.ok) throw new Error(`signup: ${signup.status} ${await signup.text()}`);
  const user = await db.user.update({ where: { email }, data: { emailVerified: new Date(), onboardingComplete: true, onboardingStep: 3, businessName: 'Bench Dental', timezone: 'America/New_York' } });
  for (const [name, color] of [['vip', '#d97706'], ['customer', '#15803d'], ['newsletter', '#4f46e5']] as const) {
    await db.tag.create({ data: { userId: user.id, name, color } });
  }
  let seedStarted = performance.now();
  const sample = await seedContacts(db, {
    tenantId: user.id,
    count: contactCount,
    seed: 1,
    idPrefix: 'ui_a_',
    sampleEvery: Math.max(1, Math.floor(contactCount / 2000)),
    onProgress: (done) => {
      if (done % 200_000 === 0) console.log(`  seeded ${done.toLocaleString('en-US')} contacts (${elapsed()})`);
    },
  });
  console.log(`seed: ${contactCount.toLocaleString('en-US')} contacts in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s`);
  seedStarted = performance.now();
  await db.$executeRawUnsafe('VACUUM (ANALYZE) "Contact"');
  await db.$executeRawUnsafe('CHECKPOINT');
  console.log(`VACUUM ANALYZE, CHECKPOINT: ${((performance.now() - seedStarted) / 1000).toFixed(0)} s\n`);

  // ---- log in once; every later context starts from this session ----
  const viewport = { width: 1366, height: 860 };
  const login = await browser.newContext({ baseURL: soshogle.url, viewport });
  const loginPage = await login.newPage();
  await loginPage.goto('/login');
  await loginPage.getByLabel('Email').fill(email);
  await loginPage.getByLabel('Password').fill(password);
  await loginPage.getByRole('button', { name: 'Log in' }).click();
  await loginPage.getByRole('navigation', { name: 'Main' }).waitFor();
  const storageState = await login.storageState();
  await login.close();

  const newContext = async (): Promise<BrowserContext> => {
    const context = await browser.newContext({ baseURL: soshogle.url, viewport, storageState });
    await context.addInitScript(probeScript);
    return context;
  };

  // Warm the server (Prisma's plans, the indexes in memory) as a running installation would be.
  {
    const context = await newContext();
    const page = await context.newPage();
    for (let i = 0; i < 3; i++) {
      await page.goto('/contacts');
      await firstRows(page);
    }
    await context.close();
  }

  // ---- (a) navigation to /contacts until the first rows show ----
  const cold: number[] = [];
  const warm: number[] = [];
  const inApp: number[] = [];
  type Transfer = { url: string; type: string; encoding: string; bytes: number; started: number; finished: number };
  let firstScreen: { transfers: Transfer[]; rowsAt: number } | null = null;
  for (let run = 0; run < runs; run++) {
    const context = await newContext();
    const page = await context.newPage();
    // What the first (cold) load transferred, from the DevTools protocol.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const requests = new Map<string, Transfer>();
    cdp.on('Network.requestWillBeSent', (e) => requests.set(e.requestId, { url: e.request.url, type: e.type ?? '', encoding: '', bytes: 0, started: e.timestamp, finished: 0 }));
    cdp.on('Network.responseReceived', (e) => {
      const r = requests.get(e.requestId);
      if (r) r.encoding = e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? 'identity';
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (r) Object.assign(r, { bytes: e.encodedDataLength, finished: e.timestamp });
    });
    await page.goto('/contacts');
    cold.push(await firstRows(page));
    if (run === 0) {
      await page.waitForLoadState('networkidle');
      const navigationStart = Math.min(...[...requests.values()].map((r) => r.started));
      firstScreen = { transfers: [...requests.values()].map((r) => ({ ...r, started: (r.started - navigationStart) * 1000, finished: (r.finished - navigationStart) * 1000 })), rowsAt: cold[0]! };
    }
    await cdp.detach();
    // Warm: the same tab again, bundles from the cache.
    await page.reload();
    warm.push(await firstRows(page));
    // Inside the app: from the dashboard, a click on Contacts.
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const clickAt = await page.evaluate(`(() => {
      window.__watchRows();
      const started = performance.now();
      document.querySelector('nav a[href="/contacts"]').click();
      return started;
    })()`) as number;
    inApp.push((await firstRows(page)) - clickAt);
    await context.close();
  }
  console.log('(a) navigation to /contacts until the first page of rows is on screen:');
  console.log(`  cold (new context, empty cache)   n=${runs}  median ${ms(median(cold))}  max ${ms(Math.max(...cold))}  ${verdict(median(cold), 1000)}`);
  console.log(`  warm (reload, cached bundles)     n=${runs}  median ${ms(median(warm))}  max ${ms(Math.max(...warm))}  ${verdict(median(warm), 1000)}`);
  console.log(`  in the app (Dashboard -> Contacts) n=${runs}  median ${ms(median(inApp))}  max ${ms(Math.max(...inApp))}  ${verdict(median(inApp), 1000)}`);

  // ---- (b) search until the result rows show ----
  const context = await newContext();
  const page = await context.newPage();
  await page.goto('/contacts');
  await firstRows(page);
  const random = prng(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const kinds: [string, () => string][] = [
    ['1 letter', () => pick(sample).firstName.slice(0, 1)],
    ['3 letters', () => pick(sample).lastName?.slice(0, 3) ?? pick(sample).firstName.slice(0, 3)],
    ['first name', () => pick(sample).firstName],
    ['"First Last"', () => {
      const c = pick(sample);
      return `${c.firstName} ${c.lastName ?? ''}`.trim();
    }],
    ['email prefix', () => pick(sample.filter((c) => c.email)).email!.slice(0, 7)],
    ['phone digits', () => pick(sample.filter((c) => c.phone)).phone!.slice(-7)],
    ['typo (fuzzy)', () => {
      const name = pick(sample).lastName ?? 'Johnson';
      return name.length > 4 ? `${name.slice(0, 2)}${name[3]}${name[2]}${name.slice(4)}` : name;
    }],
  ];
  /** Puts `q` in the search box (pasted, or typed key by key) and measures, in the page, until its rows are on screen. */
  const search = async (q: string, typed: boolean): Promise<number> => {
    await page.getByLabel('Search contacts').fill('');
    await page.waitForTimeout(350);
    await page.evaluate(`(() => {
      window.__searchStart = undefined;
      if (!window.__searchListening) document.querySelector('input[type=search]').addEventListener('input', () => { window.__searchStart = performance.now(); });
      window.__searchListening = true;
    })()`);
    if (typed) await page.getByLabel('Search contacts').pressSequentially(q, { delay: 60 });
    else await page.getByLabel('Search contacts').fill(q);
    const want = JSON.stringify(q.trim());
    await page.waitForFunction(`(() => { const box = document.querySelector('.results'); return box?.dataset.resultsFor === ${want} && box.getAttribute('aria-busy') === 'false'; })()`, undefined, {
      timeout: 30_000,
      polling: 'raf',
    });
    const [total, request] = (await page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => {
      const mine = window.__fetches.filter((f) => new URL(f.url, location.href).searchParams.get('q') === ${want}).at(-1);
      resolve([performance.now() - window.__searchStart, mine ? [mine.started - window.__searchStart, mine.ended - mine.started] : [NaN, NaN]]);
    }))`)) as [number, [number, number]];
    breakdown.push({ toRequest: request[0], request: request[1], toScreen: total - request[0] - request[1] });
    return total;
  };
  // The same searches through the API alone (the session cookie, from Node): the server's share of the time.
  const cookie = storageState.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const apiSearch = async (q: string) => {
    const started = performance.now();
    const res = await fetch(`${soshogle.url}/api/crm/contacts?sort=createdAt&order=desc&limit=50&q=${encodeURIComponent(q)}`, { headers: { cookie } });
    await res.text();
    if (!res.ok) throw new Error(`search ${q}: ${res.status}`);
    return performance.now() - started;
  };
  const api: number[] = [];
  /** Per search: input event to the request's start, the request (to its body read), then to the rows on screen. */
  const breakdown: { toRequest: number; request: number; toScreen: number }[] = [];
  const pasted: { kind: string; q: string; ms: number }[] = [];
  const typed: { kind: string; q: string; ms: number }[] = [];
  for (let i = 0; i < searchCount; i++) {
    const [kind, make] = kinds[i % kinds.length]!;
    const q = make();
    pasted.push({ kind, q, ms: await search(q, false) });
    api.push(await apiSearch(q));
    if (i % 2 === 0) typed.push({ kind, q, ms: await search(q, true) });
  }
  await context.close();
  console.log('\n(b) a search until its result rows are on screen:');
  for (const [label, list] of [['pasted (one input event)', pasted], ['typed, from the last key', typed]] as const) {
    const values = list.map((s) => s.ms);
    const worst = list.reduce((a, b) => (b.ms > a.ms ? b : a));
    console.log(`  ${label.padEnd(26)} n=${values.length}  median ${ms(median(values))}  max ${ms(Math.max(...values))} ("${worst.q}", ${worst.kind})  ${verdict(median(values), 300)}`);
  }
  console.log(`  the API alone (same searches)  n=${api.length}  median ${ms(median(api))}  max ${ms(Math.max(...api))}`);
  const part = (f: (b: (typeof breakdown)[number]) => number) => ms(median(breakdown.map(f).filter((n) => !Number.isNaN(n))));
  console.log(`  in the page (medians): input -> request ${part((b) => b.toRequest)}, request ${part((b) => b.request)}, response -> rows on screen ${part((b) => b.toScreen)}`);
  for (const [kind] of kinds) {
    const values = pasted.filter((s) => s.kind === kind).map((s) => s.ms);
    if (values.length) console.log(`    pasted ${kind.padEnd(14)} median ${ms(median(values))}  max ${ms(Math.max(...values))}`);
  }

  // ---- (c) what the first screen shipped ----
  if (firstScreen) {
    const scripts = firstScreen.transfers.filter((t) => t.type === 'Script' || t.url.endsWith('.js'));
    const gzipOf = (url: string) => {
      const file = path.join(uiDir, new URL(url).pathname);
      return existsSync(`${file}.gz`) ? statSync(`${file}.gz`).size : NaN;
    };
    const rawOf = (url: string) => {
      const file = path.join(uiDir, new URL(url).pathname);
      return existsSync(file) ? statSync(file).size : NaN;
    };
    console.log(`\n(c) JavaScript of the first screen (cold load of /contacts): ${scripts.length} files`);
    for (const t of scripts.sort((a, b) => a.started - b.started)) {
      console.log(`  ${new URL(t.url).pathname.padEnd(52)} ${kb(rawOf(t.url)).padStart(9)} raw  ${kb(gzipOf(t.url)).padStart(8)} gzip  ${kb(t.bytes).padStart(8)} sent (${t.encoding})`);
    }
    const sum = (f: (t: Transfer) => number) => scripts.reduce((n, t) => n + f(t), 0);
    console.log(`  total: ${kb(sum((t) => rawOf(t.url)))} raw, ${kb(sum((t) => gzipOf(t.url)))} gzip, ${kb(sum((t) => t.bytes))} as transferred (incl. headers)`);
    const apis = firstScreen.transfers.filter((t) => new URL(t.url).pathname.startsWith('/api/')).sort((a, b) => a.started - b.started);
    console.log(`  API requests of the first load (rows on screen at ${ms(firstScreen.rowsAt)}):`);
    for (const t of apis) console.log(`    ${ms(t.started).padStart(7)} -> ${ms(t.finished).padStart(7)}  ${decodeURIComponent(new URL(t.url).pathname + new URL(t.url).search)}`);
  }
} finally {
  await browser.close();
  await bench.stop();
}
