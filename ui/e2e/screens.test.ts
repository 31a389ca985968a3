// Every screen, swept the same way: at a laptop (1366) and a tablet (820) width it loads,
// has no serious or critical axe (WCAG 2 A/AA) violation, does not scroll sideways, and is
// shot; signed in, Tab reaches "Skip to content" first and then a control in <main>, each
// step with a visible focus ring. The data screens show an error with "Try again" when
// their API fails (and load once it answers), and a fresh account sees empty states.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { hashPassword } from '@soshogle/core/testing';
import { newYork, seedAppointment, seedCalendar } from './calendar-fixtures.ts';
import { apiAs, launchBrowser, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();
const { db } = app;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const widths = [
  { name: 'laptop', width: 1366, height: 860 },
  { name: 'tablet', width: 820, height: 1180 },
] as const;
const password = 'correct horse battery staple';

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/** The screen has loaded: no "Loading…" status left, and the fonts and layout settled. */
async function settle(page: Page) {
  await page.waitForFunction(() => ![...document.querySelectorAll('[role="status"]')].some((el) => el.textContent?.includes('Loading…')), undefined, { timeout: 15_000 });
  await page.evaluate(() => document.fonts.ready);
}

/** Serious and critical axe violations, one readable line per element (axe is in every page: see the init script below). */
async function axeProblems(page: Page): Promise<string[]> {
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe.run;
    // Only the violations are read: axe then skips the selectors of every passing node.
    const result = await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html })) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} (${v.help}) at ${n.target.join(' ')}: ${n.html.replace(/\s+/g, ' ').slice(0, 140)}`));
}

const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** What the page shows at both widths: loaded, accessible, no sideways scroll, one shot each. */
async function sweep(t: { page: Page; shot: (name: string) => Promise<void> }, url: string, name: string, ready?: (page: Page) => Promise<unknown>): Promise<string[]> {
  const problems: string[] = [];
  for (const w of widths) {
    await t.page.setViewportSize({ width: w.width, height: w.height });
    await t.page.goto(url);
    await t.page.locator('main, form, h1').first().waitFor();
    await settle(t.page);
    if (ready) await ready(t.page);
    await settle(t.page);
    for (const p of await axeProblems(t.page)) problems.push(`${url} @${w.width}: ${p}`);
    const over = await sideways(t.page);
    if (over > 0) problems.push(`${url} @${w.width}: scrolls sideways by ${over}px`);
    await t.shot(`${name}-${w.name}`);
  }
  return problems;
}

interface FocusStep {
  inMain: boolean;
  text: string;
  visible: boolean;
  skip: boolean;
}

/** Tab from the top of the page: the skip link first, then on until a control inside <main>. */
async function tabFromTop(page: Page, url: string): Promise<string[]> {
  await page.evaluate(() => {
    const start = document.createElement('span');
    start.tabIndex = -1;
    start.id = 'sweep-start';
    document.body.prepend(start);
    window.scrollTo(0, 0);
    start.focus();
  });
  const steps: FocusStep[] = [];
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    const step = await page.evaluate(() => {
      document.getElementById('sweep-start')?.remove();
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { inMain: false, text: '(body)', visible: false, skip: false };
      const css = getComputedStyle(el);
      const outline = css.outlineStyle !== 'none' && parseFloat(css.outlineWidth) > 0;
      return {
        inMain: !!el.closest('main'),
        text: `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`,
        visible: outline || css.boxShadow !== 'none',
        skip: el.textContent?.trim() === 'Skip to content',
      };
    });
    steps.push(step);
    if (step.inMain) break;
  }
  const problems: string[] = [];
  if (!steps[0]?.skip) problems.push(`${url}: the first Tab reaches ${steps[0]?.text}, not "Skip to content"`);
  if (!steps.at(-1)?.inMain) problems.push(`${url}: 25 Tabs never reach a control inside <main> (${steps.map((s) => s.text).join(' → ')})`);
  for (const s of steps) if (!s.visible) problems.push(`${url}: no visible focus on ${s.text}`);
  // The skip link does skip: Enter on it, and the next Tab is inside <main>.
  if (steps[0]?.skip) {
    await page.evaluate(() => {
      const start = document.createElement('span');
      start.tabIndex = -1;
      start.id = 'sweep-start';
      document.body.prepend(start);
      start.focus();
    });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const where = await page.evaluate(() => {
      document.getElementById('sweep-start')?.remove();
      return document.activeElement?.closest('main') ? 'main' : (document.activeElement?.outerHTML.slice(0, 80) ?? '(nothing)');
    });
    if (where !== 'main') problems.push(`${url}: after "Skip to content", Tab goes to ${where}, not into <main>`);
  }
  return problems;
}

async function signIn(page: Page, email: string) {
  await page.context().clearCookies();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

// One page goes through the tests in order: signed out, a fresh account, then an agency
// account seeded once. Each test is a part of the sweep with its own time limit.
const t = await openPage(browser, app, 'screens');
const { page } = t;
// axe rides in every page of this file's context, sent to the browser once: adding its
// 0.5 MB as a script tag after each of ~100 page loads cost ~30 s of the run.
await page.context().addInitScript({ content: axeSource });
const clean = (problems: string[]) => expect(problems, problems.join('\n')).toEqual([]);

test('signed out: login, signup and the password pages', async () => {
  const problems: string[] = [];
  for (const [url, name] of [
    ['/login', 'login'],
    ['/signup', 'signup'],
    ['/forgot-password', 'forgot-password'],
    ['/reset-password?token=x', 'reset-password'],
    ['/verify-email?token=x', 'verify-email'],
  ] as const) {
    problems.push(...(await sweep(t, url, name)));
  }
  clean(problems);
}, 120_000);

test('a fresh account: onboarding, then an empty state on every data screen', async () => {
  const problems: string[] = [];
  const fresh = await db.user.create({ data: { email: 'fresh@example.test', password: await hashPassword(password), role: 'USER', onboardingStep: 0, onboardingComplete: false } });
  await signIn(page, fresh.email);
  await page.waitForURL('**/onboarding');
  problems.push(...(await sweep(t, '/onboarding', 'onboarding')));
  await db.user.update({ where: { id: fresh.id }, data: { businessName: 'Fresh Start', timezone: 'America/New_York', onboardingStep: 3, onboardingComplete: true } });
  for (const url of ['/contacts', '/pipeline', '/leads', '/inbox', '/campaigns', '/forms', '/workflows', '/calendar', '/settings/calendars', '/settings/api-keys', '/payments', '/voice', '/voice/calls']) {
    await page.goto(url);
    await page.locator('main#main').waitFor();
    await settle(page);
    const empty = page.locator('main .state.empty');
    await empty.first().waitFor({ timeout: 10_000 }).catch(() => problems.push(`${url}: a fresh account sees no empty state`));
    if (await page.getByRole('alert').count()) problems.push(`${url}: a fresh account sees an error: ${await page.getByRole('alert').first().textContent()}`);
    if ((await empty.count()) && !(await empty.first().textContent())?.trim()) problems.push(`${url}: the empty state has no text`);
  }
  await t.shot('empty-contacts');
  clean(problems);
}, 180_000);

/** An agency account with a little of everything, signed in; its screens and what the public pages show. */
async function seedAgency() {
  const owner = await db.user.create({
    data: { email: 'owner@example.test', password: await hashPassword(password), role: 'AGENCY', name: 'Olive Owner', businessName: 'Acme Dental', timezone: 'America/New_York', onboardingStep: 3, onboardingComplete: true },
  });
  const userId = owner.id;
  await signIn(page, owner.email);
  await page.locator('main#main').waitFor();
  await db.messagingSettings.create({ data: { userId, quietHoursEnabled: false } });
  await db.tag.create({ data: { userId, name: 'vip', color: '#d97706' } });
  const ada = await apiAs<{ id: string }>(page, 'POST', '/crm/contacts', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test', phone: '+15125550111', company: 'Engines Ltd', tags: ['vip'] });
  await apiAs(page, 'POST', '/crm/contacts', { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test' });
  const bob = await apiAs<{ id: string }>(page, 'POST', '/crm/contacts', { firstName: 'Bob', lastName: 'Marley', email: 'bob@example.test', phone: '+15125550122' });
  const deal = await apiAs<{ id: string }>(page, 'POST', '/crm/deals', { title: 'Implants', value: '2500', stage: 'PROPOSAL', contacts: [{ contactId: ada.id }] });
  await apiAs(page, 'POST', '/crm/deals', { title: 'Cleaning plan', value: '400', stage: 'LEAD' });
  await db.lead.create({ data: { userId, businessName: 'Smile Studio', address: '1 Main St', city: 'Austin', state: 'TX', zipCode: '78701', category: 'dentist', source: 'google_places', phone: '+15125550199', rating: 4.6, reviewCount: 120 } });
  await apiAs(page, 'POST', '/messaging/sandbox/inbound', { channel: 'SMS', from: '+15125550111', body: 'Hi, do you have openings Friday?' });
  const conversation = await db.conversation.findFirstOrThrow({ where: { userId, contactId: ada.id } });
  const sent = await db.campaign.create({
    data: { userId, name: 'Spring check-up', type: 'EMAIL', subject: 'Time for a check-up', message: 'Book now', status: 'COMPLETED', sentCount: 120, deliveredCount: 110, openCount: 64, clickCount: 12, recipientCount: 120 },
  });
  const draft = await db.campaign.create({ data: { userId, name: 'Summer promo', type: 'SMS', message: 'Hi {{ contact.firstName }}!', status: 'DRAFT' } });
  const steps = [{ id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'welcomed' } }];
  const workflow = await db.workflow.create({ data: { userId, name: 'Welcome', trigger: 'CONTACT_CREATED', triggerKey: 'core.contact_created', actions: steps, status: 'ACTIVE', publishedVersion: 1 } });
  const version = await db.workflowVersion.create({ data: { userId, workflowId: workflow.id, version: 1, triggerKey: 'core.contact_created', triggerFilter: {}, actions: steps, allowReentry: true } });
  const run = await db.workflowExecution.create({
    data: { userId, workflowId: workflow.id, versionId: version.id, status: 'COMPLETED', contactId: ada.id, contextData: {}, eventId: 'e1', dedupeKey: 'e1', completedAt: new Date() },
  });
  await apiAs(page, 'POST', '/api-keys', { name: 'Zapier' }).catch(() => {});
  const signup = await apiAs<{ id: string }>(page, 'POST', '/forms', { name: 'Newsletter sign-up' });
  await apiAs(page, 'POST', `/forms/${signup.id}/publish`);
  // A calendar with today's appointments (one cancelled), in the browser's zone's today.
  const molar = await seedCalendar(app, userId, { color: '#0d9488' });
  const today = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  await seedAppointment(app, userId, { calendarId: molar.calendarId, typeId: molar.typeId, contactId: ada.id, start: newYork(today, 10), title: 'First visit' });
  await seedAppointment(app, userId, { calendarId: molar.calendarId, start: newYork(today, 13), minutes: 60, title: 'Team meeting', status: 'CANCELLED' });
  // An invoice paid through the sandbox pay page and partly refunded, and a request still open.
  const invoiced = await apiAs<{ id: string; payUrl: string }>(page, 'POST', '/payments/payments', { contactId: ada.id, description: 'Cleaning visit', dueDate: '2027-01-31', lines: [{ description: 'Cleaning', quantity: 2, unitAmount: '40' }] });
  const paid = await fetch(`${app.url}/api/payments/public/pay/${invoiced.payUrl.split('/pay/')[1]}/sandbox`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'succeed' }) });
  expect(paid.status).toBe(200);
  await apiAs(page, 'POST', `/payments/payments/${invoiced.id}/refunds`, { amount: '10', reason: 'Goodwill' });
  // A sandbox voice agent on a number, and its call to Bob (the sandbox plays it to its end at once).
  const receptionist = await apiAs<{ id: string }>(page, 'POST', '/voice/agents', { name: 'Receptionist', firstMessage: 'Hello, Acme Dental.' });
  await apiAs(page, 'PUT', `/voice/agents/${receptionist.id}/number`, { phoneNumber: '+15125550100' });
  const voiceCall = await apiAs<{ id: string }>(page, 'POST', '/voice/calls', { agentId: receptionist.id, contactId: bob.id });
  await apiAs(page, 'POST', '/payments/payments', { contactId: ada.id, amount: '49.90', description: 'Deposit' });

  const screens: [string, string, ((p: Page) => Promise<unknown>)?][] = [
    ['/', 'dashboard', (p) => p.getByTestId('stat-contacts').getByText('3').waitFor()],
    ['/contacts', 'contacts', (p) => p.getByRole('link', { name: 'Bob Marley' }).waitFor()],
    ['/contacts/import', 'contacts-import'],
    ['/contacts/duplicates', 'contacts-duplicates'],
    [`/contacts/${ada.id}`, 'contact', (p) => p.getByRole('heading', { name: /Ada Lovelace/ }).first().waitFor()],
    ['/pipeline', 'pipeline', (p) => p.getByRole('link', { name: 'Implants' }).waitFor()],
    [`/pipeline/${deal.id}`, 'deal', (p) => p.getByRole('heading', { name: 'Implants' }).first().waitFor()],
    ['/leads', 'leads', (p) => p.getByText('Smile Studio').first().waitFor()],
    [`/inbox?conversation=${conversation.id}`, 'inbox', (p) => p.getByRole('region', { name: 'Conversation', exact: true }).getByText('Hi, do you have openings Friday?').waitFor()],
    ['/campaigns', 'campaigns', (p) => p.getByText('Spring check-up').first().waitFor()],
    [`/campaigns/${draft.id}?tab=edit`, 'campaign-edit', (p) => p.getByTestId('preview-body').waitFor()],
    [`/campaigns/${sent.id}?tab=metrics`, 'campaign-metrics', (p) => p.getByTestId('metric-sent').waitFor()],
    ['/workflows', 'workflows', (p) => p.getByText('Welcome').first().waitFor()],
    [`/workflows/${workflow.id}`, 'workflow', (p) => p.getByTestId('node-tag').waitFor()],
    [`/workflows/${workflow.id}/executions`, 'workflow-runs', (p) => p.getByRole('row', { name: /Ada Lovelace/ }).waitFor()],
    [`/workflows/${workflow.id}/executions/${run.id}`, 'workflow-run', (p) => p.getByRole('heading', { name: /Run for Ada Lovelace/ }).waitFor()],
    ['/forms', 'forms', (p) => p.getByText('Newsletter sign-up').first().waitFor()],
    [`/forms/${signup.id}`, 'form-builder', (p) => p.getByRole('region', { name: 'Preview' }).waitFor()],
    ['/settings', 'settings-connections'],
    ['/settings/profile', 'settings-profile'],
    ['/settings/accounts', 'settings-accounts'],
    ['/settings/api-keys', 'settings-api-keys', (p) => p.getByText('Zapier').first().waitFor()],
    ['/settings/crm', 'settings-crm', (p) => p.getByText('vip').first().waitFor()],
    ['/settings/audit-log', 'settings-audit-log'],
    ['/calendar', 'calendar', (p) => p.getByRole('button', { name: /^First visit with Ada Lovelace/ }).waitFor()],
    ['/calendar?view=month', 'calendar-month', (p) => p.getByRole('button', { name: /^First visit with Ada Lovelace/ }).waitFor()],
    ['/settings/calendars', 'settings-calendars', (p) => p.getByRole('heading', { name: 'Weekly hours' }).waitFor()],
    ['/settings/calendars?tab=types', 'settings-calendar-types', (p) => p.getByRole('list', { name: 'Appointment types' }).waitFor()],
    ['/payments', 'payments', (p) => p.getByText('Cleaning visit').first().waitFor()],
    [`/payments/${invoiced.id}`, 'payment', (p) => p.getByRole('list', { name: 'Refunds' }).waitFor()],
    ['/voice', 'voice', (p) => p.getByRole('table', { name: 'Voice agents' }).getByText('Receptionist').waitFor()],
    ['/voice/calls', 'voice-calls', (p) => p.getByRole('table', { name: 'Calls' }).waitFor()],
    [`/voice/calls/${voiceCall.id}`, 'voice-call', (p) => p.getByRole('list', { name: 'Transcript' }).waitFor()],
  ];
  return { screens, molar, signup };
}
let agency: Awaited<ReturnType<typeof seedAgency>>;

/** Each screen swept, then Tab from the top at the tablet width the sweep ended on and at the laptop width. */
async function sweepScreens(screens: Awaited<ReturnType<typeof seedAgency>>['screens']): Promise<string[]> {
  const problems: string[] = [];
  for (const [url, name, ready] of screens) {
    problems.push(...(await sweep(t, url, name, ready)));
    problems.push(...(await tabFromTop(page, `${url} @820`)));
    await page.setViewportSize({ width: 1366, height: 860 });
    problems.push(...(await tabFromTop(page, `${url} @1366`)));
  }
  return problems;
}

/** Where the second half of the screens starts (each half has its own time limit). */
const secondHalf = () => agency.screens.findIndex(([url]) => url === '/forms');

test('an agency account: dashboard, contacts, pipeline, leads, inbox, campaigns and workflows', async () => {
  agency = await seedAgency();
  clean(await sweepScreens(agency.screens.slice(0, secondHalf())));
}, 240_000);

test('an agency account: forms, settings, calendar, payments and voice', async () => {
  clean(await sweepScreens(agency.screens.slice(secondHalf())));
}, 240_000);

test('the public booking and form pages', async () => {
  const { molar, signup } = agency;
  const problems: string[] = [];
  // The public booking page (no navigation, so no skip link to Tab to).
  problems.push(...(await sweep(t, `/book/${molar.slug}`, 'booking-page', (p) => p.getByRole('list', { name: /^Free times on / }).waitFor())));
  problems.push(...(await sweep(t, `/f/${signup.id}`, 'form-page', (p) => p.getByRole('button', { name: 'Submit' }).waitFor())));
  clean(problems);
}, 120_000);

test('the data screens show their error with Try again, and load once the API answers', async () => {
  const problems: string[] = [];
  // The data screens' error state: the main call fails, then answers after "Try again".
  const failing: [string, RegExp, (p: Page) => Promise<unknown>][] = [
    ['/', /\/api\/reports\/workflow-runs/, (p) => p.getByTestId('stat-failed-runs').waitFor()],
    ['/contacts', /\/api\/crm\/contacts(\?|$)/, (p) => p.getByRole('link', { name: 'Bob Marley' }).waitFor()],
    ['/pipeline', /\/api\/crm\/deals\/board/, (p) => p.getByRole('link', { name: 'Implants' }).waitFor()],
    ['/inbox', /\/api\/messaging\/conversations(\?|$)/, (p) => p.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /Ada Lovelace/ }).waitFor()],
    ['/campaigns', /\/api\/campaigns\/campaigns(\?|$)/, (p) => p.getByText('Spring check-up').first().waitFor()],
    ['/workflows', /\/api\/workflows$/, (p) => p.getByText('Welcome').first().waitFor()],
    [`/forms/${agency.signup.id}`, new RegExp(`/api/forms/${agency.signup.id}$`), (p) => p.getByRole('region', { name: 'Preview' }).waitFor()],
    ['/calendar', /\/api\/calendar\/appointments/, (p) => p.getByRole('button', { name: /^First visit with Ada Lovelace/ }).waitFor()],
    ['/settings/calendars', /\/api\/calendar\/calendars(\?|$)/, (p) => p.getByRole('heading', { name: 'Weekly hours' }).waitFor()],
    ['/payments', /\/api\/payments\/payments(\?|$)/, (p) => p.getByText('Cleaning visit').first().waitFor()],
  ];
  for (const [url, api, loaded] of failing) {
    const handler = (route: import('playwright-core').Route) =>
      route.fulfill({ status: 500, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'The sweep broke this on purpose.' }) });
    await page.route(api, handler);
    await page.goto(url);
    const alert = page.getByRole('alert').filter({ hasText: 'The sweep broke this on purpose.' }).filter({ has: page.getByRole('button', { name: 'Try again' }) });
    const shown = await alert
      .first()
      .waitFor({ timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (!shown) problems.push(`${url}: no role=alert with the error and "Try again" when ${api} fails`);
    else await t.shot(`error-${agency.screens.find(([screen]) => screen.split('?')[0] === url)?.[1]}`);
    await page.unroute(api, handler);
    if (shown) {
      await alert.first().getByRole('button', { name: 'Try again' }).click();
      await loaded(page).catch(() => problems.push(`${url}: "Try again" did not load the data`));
      if (await page.getByRole('alert').filter({ hasText: 'The sweep broke this on purpose.' }).count()) problems.push(`${url}: the error stays after "Try again"`);
    }
  }

  clean(problems);
}, 180_000);
