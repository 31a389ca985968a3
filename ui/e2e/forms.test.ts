// A form from the builder to a workflow run: the owner builds a sign-up form in the browser
// (a field added and moved with the keyboard, a dropdown, a tag, consent with its wording),
// publishes it and starts a workflow on its submissions; a visitor on a phone fills it in
// (a bad email is caught under its field first), and the owner then finds the contact, the
// consent with the words agreed to, the submission, and the workflow's run. The embed script
// sizes its iframe and passes the host page's address and utm tags.
import { expect, test } from 'vitest';
import { eventually } from '@soshogle/core/testing';
import { apiAs, hostSite, launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();
const { db } = app;
const wording = 'Yes, Acme Dental may email me offers. I can unsubscribe at any time.';

test('build and publish a form, a visitor on a phone submits it, the owner sees the contact, consent, submission and workflow run', async () => {
  const owner = await openPage(browser, app, 'forms');
  const { page, shot } = owner;
  const user = await logIn(app, page);

  // Build: a new form, from the nav.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Forms' }).click();
  await page.getByRole('heading', { name: 'Forms' }).waitFor();
  await page.getByRole('button', { name: 'New form' }).first().click();
  await page.getByLabel('Form name').fill('Spring check-up');
  await page.getByRole('button', { name: 'Create form' }).click();
  await page.waitForURL(/\/forms\/[^/]+$/);
  const formId = page.url().split('/').pop()!;
  const preview = page.getByRole('region', { name: 'Preview' });
  await page.getByLabel('Title (visitors see it)').fill('Book your spring check-up');
  await preview.getByRole('heading', { name: 'Book your spring check-up' }).waitFor();

  // A dropdown, required, with two options: the preview shows it as it is typed.
  await page.getByLabel("New field's type").selectOption('select');
  await page.getByRole('button', { name: 'Add field' }).click();
  await page.getByLabel('Question').fill('Which visit?');
  await page.getByLabel('Options, one a line').fill('Cleaning\nWhitening');
  await page.getByLabel('Required').check();
  await preview.getByLabel('Which visit?').locator('option', { hasText: 'Whitening' }).waitFor({ state: 'attached' });

  // Moved to the top with the keyboard: Alt+↑ on its row, announced.
  const fields = page.getByRole('list', { name: 'Fields' });
  const count = await fields.getByRole('listitem').count();
  await fields.getByRole('button', { name: /^Which visit\?/ }).focus();
  for (let i = 1; i < count; i++) await page.keyboard.press('Alt+ArrowUp');
  await page.getByText(`Which visit? moved to position 1 of ${count}`).waitFor();
  expect(await fields.getByRole('listitem').first().getByRole('button').first().innerText()).toContain('Which visit?');

  // A tag, and consent with its wording.
  await page.getByLabel('Tags added to the contact').fill('spring-lead');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByLabel('Ask for consent to send marketing messages').check();
  await page.getByLabel(/^Consent wording/).fill(wording);
  await preview.getByLabel(wording).waitFor();
  await shot('builder');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByText('Form saved').waitFor();
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText('Published: version 1').waitFor();
  await expect.poll(() => page.getByTestId('form-status').innerText()).toBe('Published');
  await page.getByRole('region', { name: 'Versions' }).getByText('Version 1').waitFor();
  await shot('published');
  const form = await db.form.findUniqueOrThrow({ where: { id: formId } });
  expect(form).toMatchObject({ userId: user.id, status: 'PUBLISHED' });

  // A workflow started by this form's submissions (through the API).
  const workflow = await apiAs<{ id: string }>(page, 'POST', '/workflows', {
    name: 'Spring follow-up',
    trigger: 'FORM_SUBMITTED',
    triggerFilter: { formId },
    actions: [{ id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'followed-up' } }],
  });
  await apiAs(page, 'POST', `/workflows/${workflow.id}/publish`);

  // The visitor, on a phone, from a newsletter link.
  const visitor = await openPage(browser, app, 'forms-phone', { width: 390, height: 844 });
  const v = visitor.page;
  await v.goto(`/f/${formId}?utm_source=newsletter&utm_campaign=spring`);
  await v.getByRole('heading', { name: 'Book your spring check-up' }).waitFor();
  expect(await v.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await visitor.shot('form');
  const email = v.getByLabel(/^Email/);
  await v.getByLabel('Which visit?').selectOption('Whitening');
  await v.getByLabel('First name').fill('Nadia');
  await email.fill('nadia@');
  await v.getByLabel(wording).check();
  await v.getByRole('button', { name: 'Submit' }).click();
  await v.getByRole('alert').filter({ hasText: 'Please check the fields marked below.' }).waitFor();
  expect(await email.getAttribute('aria-invalid')).toBe('true');
  const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
  const error = v.locator(`[id="${describedBy.split(' ').find((id) => id.endsWith('-error'))}"]`);
  expect(await error.innerText()).not.toBe('');
  expect(await v.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
  await visitor.shot('bad-email');
  expect(await db.formSubmission.count({ where: { formId } })).toBe(0);

  await email.fill('nadia@example.test');
  // The signed form token says a person takes a few seconds.
  await v.waitForTimeout(3_100);
  // The server's rules, too: a bad email slipped past the page (the request altered on its way) comes back as a 422 shown under Email.
  const submissions = `**/api/forms/public/${formId}/submissions`;
  await v.route(submissions, (route) => {
    const body = route.request().postDataJSON() as { answers: Record<string, unknown> };
    return route.continue({ postData: JSON.stringify({ ...body, answers: { ...body.answers, email: 'nadia@@example' } }) });
  });
  await v.getByRole('button', { name: 'Submit' }).click();
  await v.getByRole('alert').filter({ hasText: 'Please check the fields marked below.' }).waitFor();
  expect(await email.getAttribute('aria-invalid')).toBe('true');
  expect(await v.locator('[id$="-email-error"]').innerText()).not.toBe('');
  await visitor.shot('server-422');
  await v.unroute(submissions);
  await v.getByRole('button', { name: 'Submit' }).click();
  await v.getByRole('heading', { name: 'Thank you' }).waitFor();
  await visitor.shot('thanked');

  // The owner: the contact (with the tag), the consent with its wording, the submission, the run.
  const contact = await eventually(() => db.contact.findFirst({ where: { userId: user.id, email: 'nadia@example.test' } }));
  await eventually(async () => (await db.contact.findUniqueOrThrow({ where: { id: contact.id } })).tags.includes('spring-lead') || null);
  const submission = await db.formSubmission.findFirstOrThrow({ where: { formId } });
  expect(submission).toMatchObject({ status: 'PROCESSED', contactId: contact.id, utm: expect.objectContaining({ utm_source: 'newsletter', utm_campaign: 'spring' }) });
  // The dropdown's key came from its question as it was typed.
  expect(submission.answers).toEqual({ which_visit: 'Whitening', first_name: 'Nadia', email: 'nadia@example.test' });
  const run = await eventually(() => db.workflowExecution.findFirst({ where: { workflowId: workflow.id, contactId: contact.id } }));

  await page.goto(`/contacts/${contact.id}`);
  await page.getByRole('heading', { name: /Nadia/ }).first().waitFor();
  await page.getByRole('link', { name: /Submitted Spring check-up/ }).first().waitFor();
  await page.getByText('History (').first().click();
  await page.getByText(`“${wording}”`).waitFor();
  await shot('contact');

  await page.goto(`/forms/${formId}/submissions`);
  const row = page.getByRole('row', { name: /Nadia/ });
  await row.waitFor();
  expect(await row.innerText()).toContain('Processed');
  expect(await row.innerText()).toContain('newsletter');
  await shot('submissions');
  await row.getByRole('link', { name: /Nadia/ }).click();
  await page.waitForURL(`**/contacts/${contact.id}`);

  await page.goto(`/workflows/${workflow.id}/executions`);
  await page.getByRole('row', { name: /Nadia/ }).waitFor();
  await shot('workflow-run');
  expect(run.userId).toBe(user.id);

  // The list shows one submission, and the dashboard counts it.
  await page.goto('/forms');
  await page.getByRole('row', { name: /Spring check-up/ }).getByRole('link', { name: '1', exact: true }).waitFor();
  await shot('list');
  await page.goto('/');
  await expect.poll(() => page.getByTestId('stat-form-submissions').innerText()).toBe('1');
}, 120_000);

test('the embed script puts the form in an iframe as tall as the form, and tells it the host page and its utm tags', async () => {
  const { page, shot } = await openPage(browser, app, 'forms-embed');
  await logIn(app, page);
  const created = await apiAs<{ id: string }>(page, 'POST', '/forms', { name: 'Newsletter' });
  await apiAs(page, 'POST', `/forms/${created.id}/publish`);
  const site = await hostSite(
    `<!doctype html><title>Our dentist</title><h1>Join our newsletter</h1><script src="${app.url}/embed/form.js" data-soshogle-form="${created.id}" data-title="Newsletter" async></script><p>Footer</p>`,
  );
  const host = `${site}/spring?utm_source=site&utm_medium=embed`;
  await page.goto(host);
  const iframe = page.locator('iframe[title="Newsletter"]');
  const src = new URL((await iframe.getAttribute('src'))!);
  expect(Object.fromEntries(src.searchParams)).toMatchObject({ embed: '1', source: host.split('?')[0], utm_source: 'site', utm_medium: 'embed' });
  const frame = page.frameLocator('iframe[title="Newsletter"]');
  await frame.locator('.form-view').waitFor();
  expect(await frame.getByText('Forms by Soshogle').count()).toBe(0);
  await expect.poll(async () => (await iframe.boundingBox())?.height).not.toBe(560);
  const inner = await frame.locator('html').evaluate((el) => Math.ceil(el.getBoundingClientRect().height));
  await expect.poll(async () => Math.round((await iframe.boundingBox())?.height ?? 0)).toBe(inner);
  await shot('embedded');
}, 60_000);
