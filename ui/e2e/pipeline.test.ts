// The pipeline: a deal made in the dialog, one dragged to Closed won with the mouse, one
// moved from the keyboard, a refused move rolled back, "load more" on a full column, and
// the deal page (primary contact, notes).
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();

/** The API as the signed-in page (its cookie and CSRF token). */
async function apiAs(page: Page) {
  const session = (await (await page.request.get('/api/auth/session')).json()) as { csrfToken: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await page.request.fetch(`/api${path}`, { method, data: body, headers: { 'x-csrf-token': session.csrfToken } });
    if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

test('pipeline board: create, drag, keyboard move, rollback, load more, deal page', async () => {
  const { page, shot } = await openPage(browser, app, 'pipeline');
  const user = await logIn(app, page);
  const call = await apiAs(page);
  const dana = await call<{ id: string }>('POST', '/crm/contacts', { firstName: 'Dana', lastName: 'Molar', email: 'dana@molar.test', company: 'Molar & Co' });
  const eli = await call<{ id: string }>('POST', '/crm/contacts', { firstName: 'Eli', lastName: 'Root', email: 'eli@root.test' });
  const alpha = await call<{ id: string }>('POST', '/crm/deals', { title: 'Alpha retainer', value: '1000', stage: 'LEAD' });
  const beta = await call<{ id: string }>('POST', '/crm/deals', { title: 'Beta whitening', value: '2500', stage: 'PROPOSAL', contacts: [{ contactId: eli.id }] });
  const doomed = await call<{ id: string }>('POST', '/crm/deals', { title: 'Doomed deal', value: '10', stage: 'NEGOTIATION' });
  // A full column: more deals than the board lists per stage.
  await app.db.deal.createMany({
    data: Array.from({ length: 30 }, (_, i) => ({ userId: user.id, title: `Bulk deal ${i + 1}`, value: '100', stage: 'QUALIFIED' as const, probability: 25 })),
  });

  await page.goto('/pipeline');
  const column = (name: string) => page.getByRole('region', { name, exact: true });
  const lead = column('Lead');
  const won = column('Closed won');
  await lead.getByRole('link', { name: 'Alpha retainer' }).waitFor();
  expect(await lead.getByTestId('count').textContent()).toBe('1');
  expect(await lead.getByTestId('total').textContent()).toBe('$1,000');
  expect(await lead.getByTestId('weighted').textContent()).toBe('$100');
  expect(await won.getByTestId('count').textContent()).toBe('0');
  await shot('board');

  // A deal from the dialog, with a contact found by search.
  await page.getByRole('button', { name: 'New deal', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New deal' });
  await dialog.getByLabel('Title').fill('Gamma implants');
  await dialog.getByLabel('Value').fill('4000');
  await dialog.getByLabel('Stage').selectOption('PROPOSAL');
  await dialog.getByLabel('Contact (optional)').fill('Dan');
  await dialog.getByRole('button', { name: /Dana Molar/ }).click();
  await shot('new-deal-dialog');
  await dialog.getByRole('button', { name: 'Create deal' }).click();
  const proposal = column('Proposal');
  await proposal.getByRole('link', { name: 'Gamma implants' }).waitFor();
  await expect.poll(() => proposal.getByTestId('total').textContent()).toBe('$6,500');
  const gamma = await app.db.deal.findFirstOrThrow({ where: { title: 'Gamma implants' }, include: { contacts: true } });
  expect(gamma).toMatchObject({ userId: user.id, stage: 'PROPOSAL', probability: 50 });
  expect(gamma.value.toFixed(2)).toBe('4000.00');
  expect(gamma.contacts).toEqual([expect.objectContaining({ contactId: dana.id, isPrimary: true })]);

  // A real mouse drag (HTML5 drag and drop) from Lead to Closed won. Moved in steps: with
  // a single jump (locator.dragTo) this Chromium never starts a native drag.
  {
    const from = (await lead.locator(`#deal-${alpha.id}`).boundingBox())!;
    const to = (await won.getByRole('list').boundingBox())!;
    await page.mouse.move(from.x + 20, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + 40, from.y + from.height / 2 + 5, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + 20, { steps: 10 });
    await page.mouse.up();
  }
  await won.getByRole('link', { name: 'Alpha retainer' }).waitFor();
  await expect.poll(() => won.getByTestId('total').textContent()).toBe('$1,000');
  expect(await won.getByTestId('count').textContent()).toBe('1');
  expect(await won.getByTestId('weighted').textContent()).toBe('$1,000');
  expect(await lead.getByTestId('count').textContent()).toBe('0');
  expect(await lead.getByTestId('total').textContent()).toBe('$0');
  await expect.poll(async () => (await app.db.deal.findUniqueOrThrow({ where: { id: alpha.id } })).stage).toBe('CLOSED_WON');
  const alphaRow = await app.db.deal.findUniqueOrThrow({ where: { id: alpha.id } });
  expect(alphaRow.probability).toBe(100);
  expect(alphaRow.actualCloseDate).not.toBeNull();
  await shot('dragged-to-won');

  // From the keyboard: Shift+Right on the focused card, then its "Move to" menu.
  await proposal.getByRole('link', { name: 'Beta whitening' }).focus();
  await page.keyboard.press('Shift+ArrowRight');
  const negotiation = column('Negotiation');
  await negotiation.getByRole('link', { name: 'Beta whitening' }).waitFor();
  await expect.poll(async () => (await app.db.deal.findUniqueOrThrow({ where: { id: beta.id } })).stage).toBe('NEGOTIATION');
  // Focus stayed on the moved card, so a second press moves it on.
  expect(await page.evaluate('document.activeElement?.textContent')).toBe('Beta whitening');
  await negotiation.getByLabel('Move Beta whitening to').selectOption('CLOSED_LOST');
  await column('Closed lost').getByRole('link', { name: 'Beta whitening' }).waitFor();
  await expect.poll(async () => (await app.db.deal.findUniqueOrThrow({ where: { id: beta.id } })).stage).toBe('CLOSED_LOST');

  // A move the API refuses goes back, with an error, and the totals are the server's again.
  await page.route(`**/api/crm/deals/${doomed.id}`, (route) =>
    route.request().method() === 'PATCH'
      ? route.fulfill({ status: 409, contentType: 'application/problem+json', body: JSON.stringify({ status: 409, title: 'Conflict', detail: 'Someone else is editing this deal' }) })
      : route.fallback(),
  );
  await negotiation.getByLabel('Move Doomed deal to').selectOption('CLOSED_WON');
  await page.getByRole('alert').filter({ hasText: 'Could not move "Doomed deal": Someone else is editing this deal' }).waitFor();
  await negotiation.getByRole('link', { name: 'Doomed deal' }).waitFor();
  expect(await won.getByRole('link', { name: 'Doomed deal' }).count()).toBe(0);
  await expect.poll(() => won.getByTestId('count').textContent()).toBe('1');
  expect(await won.getByTestId('total').textContent()).toBe('$1,000');
  expect(await negotiation.getByTestId('count').textContent()).toBe('1');
  expect(await negotiation.getByTestId('total').textContent()).toBe('$10');
  expect((await app.db.deal.findUniqueOrThrow({ where: { id: doomed.id } })).stage).toBe('NEGOTIATION');
  await page.unroute(`**/api/crm/deals/${doomed.id}`);
  // A deal deleted elsewhere leaves the board instead of coming back.
  await app.db.deal.delete({ where: { id: doomed.id } });
  await negotiation.getByLabel('Move Doomed deal to').selectOption('CLOSED_WON');
  await page.getByRole('alert').filter({ hasText: '"Doomed deal" was deleted meanwhile' }).waitFor();
  await expect.poll(() => page.getByRole('link', { name: 'Doomed deal' }).count()).toBe(0);
  await shot('rolled-back');

  // A full column lists 25 and loads the rest on demand.
  const qualified = column('Qualified');
  expect(await qualified.getByRole('listitem').count()).toBe(25);
  await qualified.getByRole('button', { name: 'Load more (5 more)' }).click();
  await expect.poll(() => qualified.getByRole('listitem').count()).toBe(30);
  expect(await qualified.getByRole('button', { name: /Load more/ }).count()).toBe(0);

  // The deal page: contacts (primary marked), notes.
  await proposal.getByRole('link', { name: 'Gamma implants' }).click();
  await page.getByRole('heading', { name: 'Gamma implants', level: 1 }).waitFor();
  const contacts = page.getByRole('region', { name: 'Contacts' });
  await contacts.getByText('Primary').waitFor();
  await contacts.getByLabel('Add a contact').fill('Eli');
  await contacts.getByRole('button', { name: /Eli Root/ }).click();
  await contacts.getByRole('button', { name: 'Make Eli Root primary' }).click();
  await contacts.getByRole('button', { name: 'Make Dana Molar primary' }).waitFor();
  expect(await contacts.locator('li.primary').textContent()).toContain('Eli Root');
  const links = await app.db.dealContact.findMany({ where: { dealId: gamma.id } });
  expect(links.map((l) => [l.contactId, l.isPrimary]).sort()).toEqual([[dana.id, false], [eli.id, true]].sort());

  const notes = page.getByRole('region', { name: 'Notes' });
  await notes.getByLabel('New note').fill('Sent the implant quote; call back Friday.');
  await notes.getByRole('button', { name: 'Add note' }).click();
  await notes.getByText('Sent the implant quote; call back Friday.').waitFor();
  await notes.getByRole('button', { name: 'Edit' }).click();
  await notes.getByLabel('Edit note').fill('Quote accepted verbally.');
  await notes.getByRole('button', { name: 'Save note' }).click();
  await notes.getByText('Quote accepted verbally.').waitFor();
  await expect.poll(async () => (await app.db.note.findMany({ where: { dealId: gamma.id } })).map((n) => [n.content, n.authorId])).toEqual([
    ['Quote accepted verbally.', user.id],
  ]);

  // Fields: a new stage resets the probability to the stage's default.
  await page.getByLabel('Stage').selectOption('NEGOTIATION');
  await page.getByRole('button', { name: 'Save deal' }).click();
  await page.getByText('Deal saved').waitFor();
  expect(await app.db.deal.findUniqueOrThrow({ where: { id: gamma.id } })).toMatchObject({ stage: 'NEGOTIATION', probability: 75 });
  await shot('deal-page');

  await page.setViewportSize({ width: 820, height: 1000 });
  await shot('deal-page-820');
  await page.getByRole('link', { name: '← Pipeline' }).click();
  await column('Lead').waitFor();
  await shot('board-820');
  // The board scrolls inside itself; the page never scrolls sideways.
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
}, 60_000);
