// A contact's data on request, as the account owner does it: export the file from the
// contact's page, erase the contact through the dialog that names them, and find them gone
// from the list and both actions in the audit log.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

const wait = { timeout: 15_000 };
const app = await startApp();
const browser = await launchBrowser();

test('export a contact, erase them, and see them gone and audited', async () => {
  const { page, shot } = await openPage(browser, app, 'contact-data');
  const user = await logIn(app, page);
  const ada = await app.db.contact.create({ data: { userId: user.id, firstName: 'Ada', lastName: 'Byron', email: 'ada@byron.test', phone: '+15125550177' } });
  await app.db.note.create({ data: { userId: user.id, contactId: ada.id, content: 'Asked for a copy of her data, then erasure' } });
  await app.db.contact.create({ data: { userId: user.id, firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.test' } });

  await page.goto(`/contacts/${ada.id}`);
  await page.getByRole('heading', { name: 'Ada Byron' }).waitFor();
  await shot('contact');

  // The file: every plugin's section, with her note in the CRM's.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export data' }).click();
  // The browser may be another process (the run's shared Chromium): saveAs copies the file here.
  const file = path.join(tmpdir(), `contact-${crypto.randomUUID()}.json`);
  await (await download).saveAs(file);
  expect((await download).suggestedFilename()).toMatch(new RegExp(`^contact-${ada.id}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  const exported = JSON.parse(await readFile(file, 'utf8')) as { contactId: string; sections: Record<string, { contact?: { email: string }; notes?: { content: string }[] }> };
  expect(exported.contactId).toBe(ada.id);
  expect(Object.keys(exported.sections)).toEqual(expect.arrayContaining(['crm.contact', 'messaging.messages', 'calendar.appointments', 'payments.payments', 'voice.calls', 'forms.submissions', 'core.workflow_runs']));
  expect(exported.sections['crm.contact']!.contact!.email).toBe('ada@byron.test');
  expect(exported.sections['crm.contact']!.notes!.map((n) => n.content)).toEqual(['Asked for a copy of her data, then erasure']);

  // The dialog names her; erasing takes her to the list, where she is gone and Grace is not.
  await page.getByRole('button', { name: 'Erase contact' }).click();
  const dialog = page.getByRole('dialog', { name: 'Erase Ada Byron' });
  await dialog.getByText("Erase all of Ada Byron's personal data").waitFor();
  await shot('erase-dialog', { fullPage: false });
  await dialog.getByRole('button', { name: 'Erase Ada Byron' }).click();
  await expect.poll(() => new URL(page.url()).pathname, wait).toBe('/contacts');
  await page.getByRole('link', { name: 'Grace Hopper' }).waitFor();
  expect(await page.getByRole('link', { name: 'Ada Byron' }).count()).toBe(0);
  await page.getByText('Ada Byron was erased').waitFor();
  await shot('erased');
  expect(await app.db.contact.count({ where: { id: ada.id } })).toBe(0);
  expect(await app.db.note.count({ where: { userId: user.id } })).toBe(0);

  // Both are in the audit log.
  await page.goto('/settings/audit-log');
  const rows = page.locator('tbody tr');
  await rows.filter({ hasText: 'Contact erased' }).waitFor();
  expect(await rows.filter({ hasText: 'Contact erased' }).innerText()).toContain(ada.id);
  expect(await rows.filter({ hasText: "Contact's data exported" }).innerText()).toContain(ada.id);
  await shot('audit-log');
});
