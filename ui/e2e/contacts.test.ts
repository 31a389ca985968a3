// The contacts screens as a person uses them: create, search, open, tag and annotate a
// contact; import a CSV with its columns mapped by hand (one bad row in the report); tag
// many contacts at once and watch the job's progress; merge two duplicates.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

/** How long a poll waits for the page or a job to catch up. */
const wait = { timeout: 15_000 };
const app = await startApp();
const browser = await launchBrowser();

test('create a contact, find it, open it, tag it and write a note', async () => {
  const { page, shot } = await openPage(browser, app, 'contacts-crud');
  const user = await logIn(app, page);
  await app.db.tag.create({ data: { userId: user.id, name: 'vip', color: '#d97706' } });
  await app.db.contact.createMany({
    data: Array.from({ length: 60 }, (_, i) => ({ userId: user.id, firstName: `Person${i}`, lastName: 'Filler', email: `p${i}@filler.test`, tags: i % 3 ? [] : ['vip'] })),
  });
  await page.goto('/contacts');
  await page.getByRole('link', { name: 'Person59 Filler' }).waitFor();
  await expect.poll(() => page.locator('.count').textContent(), wait).toMatch(/60 contacts/);
  // 50 a page: Next shows the rest, Previous comes back.
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('link', { name: 'Person0 Filler' }).waitFor();
  await page.getByRole('button', { name: 'Previous' }).click();
  await page.getByRole('link', { name: 'Person59 Filler' }).waitFor();
  await shot('list');

  // A new contact: a bad email is refused on its field.
  await page.getByRole('button', { name: 'New contact' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New contact' });
  await dialog.getByLabel('First name').fill('Zelda');
  await dialog.getByLabel('Last name').fill('Quartz');
  await dialog.getByLabel('Email').fill('not-an-email');
  await dialog.getByRole('button', { name: 'Create contact' }).click();
  await dialog.getByText('Not a valid email address').waitFor();
  await shot('new-contact-error');
  await dialog.getByLabel('Email').fill('Zelda@Quartz.test');
  await dialog.getByLabel('Phone').fill('+1 512 555 0142');
  await dialog.getByRole('button', { name: 'Create contact' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const created = await app.db.contact.findFirstOrThrow({ where: { userId: user.id, firstName: 'Zelda' } });
  expect(created).toMatchObject({ lastName: 'Quartz', email: 'zelda@quartz.test', phone: '+15125550142' });

  // Search finds it (and only it).
  await page.getByLabel('Search contacts').fill('zeld');
  await expect.poll(() => page.locator('tbody tr').count(), wait).toBe(1);
  await expect.poll(() => page.url(), wait).toContain('q=zeld');
  await shot('search');
  await page.getByRole('link', { name: 'Zelda Quartz' }).click();
  await page.getByRole('heading', { name: 'Zelda Quartz' }).waitFor();

  // A tag (coloured from the tag record) and a note.
  await page.getByLabel('New tag').fill('vip');
  await page.getByRole('button', { name: 'Add tag' }).click();
  const chip = page.locator('section', { has: page.getByRole('heading', { name: 'Tags' }) }).locator('.tag', { hasText: 'vip' });
  await chip.waitFor();
  expect(await chip.getAttribute('style')).toMatch(/--tag: ?#d97706/);
  await page.getByLabel('New note').fill('Prefers morning appointments.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.locator('.notes').getByText('Prefers morning appointments.').waitFor();
  await page.locator('.timeline').getByText('Prefers morning appointments.').waitFor();
  // Edit a field.
  await page.getByLabel('Company').fill('Quartz & Co');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect.poll(async () => (await app.db.contact.findUniqueOrThrow({ where: { id: created.id } })).company, wait).toBe('Quartz & Co');
  await shot('contact');
  const after = await app.db.contact.findUniqueOrThrow({ where: { id: created.id }, include: { notes: true } });
  expect(after.tags).toEqual(['vip']);
  expect(after.notes.map((n) => n.content)).toEqual(['Prefers morning appointments.']);

  // Tablet width: the page fits (no sideways scroll of the page).
  await page.setViewportSize({ width: 820, height: 1000 });
  await page.goto('/contacts');
  await page.getByRole('link', { name: 'Zelda Quartz' }).waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(820);
  await shot('list-tablet');
});

test('import a CSV with the columns mapped by hand, and read the error report', async () => {
  const { page, shot } = await openPage(browser, app, 'contacts-import');
  const user = await logIn(app, page);
  await app.db.customField.create({ data: { userId: user.id, key: 'segment', label: 'Segment', type: 'TEXT' } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'contacts-import-'));
  const file = path.join(dir, 'clinic-export.csv');
  writeFileSync(
    file,
    [
      'Full name,E-mail,Mobile,Company,Group,Remarks',
      'Harriet Vance,harriet@vance.test,+15125550101,Vance Dental,gold,call back',
      'Ivo Marsh,ivo@marsh.test,+15125550102,Marsh LLC,silver,',
      'Broken Row,not-an-email,+15125550103,Nope Inc,gold,',
      'Jola Peck,jola@peck.test,,,bronze,likes email',
    ].join('\n'),
  );
  await page.goto('/contacts');
  await page.getByRole('link', { name: 'Import CSV' }).click();
  await page.getByLabel('CSV file').setInputFiles(file);
  await page.getByRole('button', { name: 'Upload and map columns' }).click();
  // Guessed from the headers; "Group" and "Remarks" are not known names.
  await expect.poll(() => page.getByLabel('Import column E-mail as').inputValue(), wait).toBe('email');
  expect(await page.getByLabel('Import column Mobile as').inputValue()).toBe('phone');
  expect(await page.getByLabel('Import column Group as').inputValue()).toBe('');
  // The person maps them: Full name -> first name, Group -> the Segment custom field, Remarks stays out.
  await page.getByLabel('Import column Full name as').selectOption('firstName');
  await page.getByLabel('Import column Company as').selectOption('company');
  await page.getByLabel('Import column Group as').selectOption({ label: 'Segment (custom field)' });
  // Mapping two columns to one field is caught before starting.
  await page.getByLabel('Import column Remarks as').selectOption('company');
  await page.getByText('Company is chosen for more than one column').first().waitFor();
  expect(await page.getByRole('button', { name: 'Import 4 rows' }).isDisabled()).toBe(true);
  await page.getByLabel('Import column Remarks as').selectOption('');
  await page.getByLabel('Update them with the file\'s values').check();
  await shot('mapping');
  await page.getByRole('button', { name: 'Import 4 rows' }).click();

  await page.getByRole('heading', { name: 'Import finished' }).waitFor();
  const report = page.locator('.report');
  await expect.poll(() => report.locator('dd').allTextContents(), wait).toEqual(['3', '0', '0', '1']);
  const errorRow = report.locator('tbody tr');
  await expect.poll(() => errorRow.allTextContents(), wait).toEqual([expect.stringMatching(/^3E-mail.*valid email/)]);
  await shot('report');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download error report' }).click();
  expect((await download).suggestedFilename()).toBe('clinic-export-errors.csv');

  const rows = await app.db.contact.findMany({ where: { userId: user.id }, orderBy: { email: 'asc' } });
  expect(rows.map((r) => [r.firstName, r.email, r.phone, r.company, (r.customFields as Record<string, string>).segment])).toEqual([
    ['Harriet Vance', 'harriet@vance.test', '+15125550101', 'Vance Dental', 'gold'],
    ['Ivo Marsh', 'ivo@marsh.test', '+15125550102', 'Marsh LLC', 'silver'],
    ['Jola Peck', 'jola@peck.test', null, null, 'bronze'],
  ]);

  // The imported rows in the list, with the custom field as a chosen column.
  await page.getByRole('link', { name: 'See contacts' }).click();
  await page.getByRole('link', { name: 'Harriet Vance' }).waitFor();
  await page.locator('summary', { hasText: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'Segment' }).check();
  await page.keyboard.press('Escape');
  await page.locator('thead').getByText('Segment').waitFor();
  expect(await page.locator('tbody tr').count()).toBe(3);
  expect(await page.locator('tbody tr', { hasText: 'Ivo Marsh' }).textContent()).toContain('silver');
  // The choice of columns is remembered.
  await page.reload();
  await page.locator('thead').getByText('Segment').waitFor();
  await shot('imported-list');
});

test('tag every matching contact at once, with the job progress bar', async () => {
  const { page, shot } = await openPage(browser, app, 'contacts-bulk');
  const user = await logIn(app, page);
  await app.db.contact.createMany({
    data: Array.from({ length: 240 }, (_, i) => ({ userId: user.id, firstName: `Bulk${i}`, source: i % 2 ? 'website' : 'manual' })),
  });
  await page.goto('/contacts');
  await page.getByRole('link', { name: 'Bulk239' }).waitFor();
  // Filter: source website (120 contacts), 3 pages.
  await page.getByRole('button', { name: 'Filters' }).click();
  await page.getByRole('textbox', { name: 'Source' }).fill('website');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect.poll(() => page.locator('.count').textContent(), wait).toMatch(/120 contacts match/);
  await page.getByLabel('Select all on this page').check();
  await page.getByRole('button', { name: 'Select all 120 contacts' }).click();
  const bulk = page.getByRole('region', { name: 'Bulk actions' });
  await bulk.getByText('120 contacts selected').waitFor();
  await bulk.getByRole('button', { name: 'Add tag' }).click();
  await bulk.getByLabel('Tags to add').fill('spring-promo');
  await bulk.getByRole('button', { name: 'Add', exact: true }).click();
  await bulk.getByRole('button', { name: 'Add to 120 contacts' }).click();
  const bar = bulk.getByRole('progressbar');
  await bar.waitFor();
  await shot('bulk-running');
  await expect.poll(() => bar.getAttribute('aria-valuenow'), wait).toBe('100');
  await bulk.getByText('Done: 120').waitFor();
  await shot('bulk-done');
  expect(await app.db.contact.count({ where: { userId: user.id, tags: { has: 'spring-promo' } } })).toBe(120);
  expect(await app.db.contact.count({ where: { userId: user.id, source: 'manual', tags: { has: 'spring-promo' } } })).toBe(0);
  // The list shows the new tag.
  await page.locator('tbody tr').first().locator('.tag', { hasText: 'spring-promo' }).waitFor();

  // Saved as a smart list, picked again later.
  await page.getByRole('button', { name: 'Save as list' }).click();
  await page.getByLabel('List name').fill('Website leads');
  await page.getByRole('button', { name: 'Save list' }).click();
  await expect.poll(() => page.getByLabel('Smart list').inputValue(), wait).not.toBe('');
  const list = await app.db.smartList.findFirstOrThrow({ where: { userId: user.id } });
  expect(list).toMatchObject({ name: 'Website leads', filter: { source: 'website' } });
  await page.getByLabel('Smart list').selectOption({ label: 'All contacts' });
  await expect.poll(() => page.locator('.count').textContent(), wait).toMatch(/^240 contacts$/);
  await page.getByLabel('Smart list').selectOption({ label: 'Website leads' });
  await expect.poll(() => page.locator('.count').textContent(), wait).toMatch(/120 contacts match/);
});

test('merge two duplicates, picking the surviving values', async () => {
  const { page, shot } = await openPage(browser, app, 'contacts-merge');
  const user = await logIn(app, page);
  const old = await app.db.contact.create({
    data: { userId: user.id, firstName: 'Rob', lastName: 'Stone', email: 'rob@stone.test', company: null, tags: ['patient'], createdAt: new Date('2024-01-01') },
  });
  const dup = await app.db.contact.create({ data: { userId: user.id, firstName: 'Robert', lastName: 'Stone', email: 'ROB@stone.test', company: 'Stone Masonry', tags: ['lead'] } });
  await app.db.note.create({ data: { userId: user.id, contactId: dup.id, content: 'Asked about whitening' } });
  await page.goto('/contacts/duplicates');
  const group = page.getByRole('region', { name: 'Same email rob@stone.test' });
  await group.waitFor();
  await shot('duplicates');
  await group.getByRole('button', { name: 'Merge Robert Stone with Rob Stone' }).click();
  const dialog = page.getByRole('dialog', { name: 'Merge duplicates' });
  // The older contact stays; the company (empty on it) comes from the other.
  await dialog.getByRole('radio', { name: 'Company: Stone Masonry' }).waitFor();
  expect(await dialog.getByRole('radio', { name: 'Company: Stone Masonry' }).isChecked()).toBe(true);
  await dialog.getByRole('radio', { name: 'First name: Robert' }).check();
  await shot('merge-dialog');
  await dialog.getByRole('button', { name: 'Merge contacts' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText('No duplicates found.').waitFor();

  const left = await app.db.contact.findMany({ where: { userId: user.id }, include: { notes: true } });
  expect(left).toHaveLength(1);
  expect(left[0]).toMatchObject({ id: old.id, firstName: 'Robert', lastName: 'Stone', email: 'rob@stone.test', company: 'Stone Masonry' });
  expect([...left[0]!.tags].sort()).toEqual(['lead', 'patient']);
  expect(left[0]!.notes.map((n) => n.content)).toEqual(['Asked about whitening']);
  await page.goto(`/contacts/${old.id}`);
  await page.getByRole('heading', { name: 'Robert Stone' }).waitFor();
  await page.locator('.timeline').getByText('Merged with Robert Stone').waitFor();
  await shot('merged-contact');
});
