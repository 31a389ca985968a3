// A new business's first automation, start to finish, all in the browser: sign up,
// onboard in sandbox mode, create a contact, build "tag added vip -> send an SMS" on the
// canvas and publish it, tag the contact on its page, then see the run and the sandbox
// SMS in the inbox.
import { expect, test } from 'vitest';
import { launchBrowser, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();

test('sign up -> onboarding -> contact -> workflow on the canvas -> tag -> run and inbox', async () => {
  const { page, shot } = await openPage(browser, app, 'journey');

  // Sign up and onboard, staying in sandbox mode.
  await page.goto('/signup');
  await page.getByLabel('Your name').fill('Mira Cole');
  await page.getByLabel('Email').fill('mira@brightsmile.test');
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL('**/onboarding');
  await page.getByLabel('Business name').fill('Bright Smile');
  await page.getByLabel('Industry').fill('Dental clinic');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Company address').fill('9 Elm St, Denver CO');
  await page.getByLabel('Time zone').selectOption('America/Denver');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('What do you do, and for whom?').fill('Dentistry for families.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Continue in sandbox mode' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  const user = await app.db.user.findUniqueOrThrow({ where: { email: 'mira@brightsmile.test' } });
  // Quiet hours would hold the SMS until morning when CI runs at night.
  await app.db.messagingSettings.create({ data: { userId: user.id, quietHoursEnabled: false } });

  // A contact, made on the contacts screen.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
  await page.getByRole('button', { name: 'New contact' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New contact' });
  await dialog.getByLabel('First name').fill('Theo');
  await dialog.getByLabel('Last name').fill('Park');
  await dialog.getByLabel('Phone').fill('+1 303 555 0199');
  await dialog.getByRole('button', { name: 'Create contact' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const theo = await app.db.contact.findFirstOrThrow({ where: { userId: user.id, firstName: 'Theo' } });
  await shot('contact-created');

  // The workflow, on the canvas: Tag added (vip) -> Send an SMS.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workflows' }).click();
  await page.getByRole('button', { name: 'New workflow' }).click();
  await page.getByLabel('Name').fill('VIP welcome');
  await page.getByRole('button', { name: 'Create and open the builder' }).click();
  await page.waitForURL(/\/workflows\/[^/]+$/);
  const workflowId = page.url().split('/').pop()!;
  await page.getByTestId('node-__trigger').click();
  await page.getByLabel('Starts when').selectOption('core.tag_added');
  await page.getByLabel('Tag', { exact: true }).fill('vip');
  await page.getByRole('button', { name: 'Add a step after the trigger' }).click();
  await page.getByRole('dialog', { name: 'Add a step' }).getByRole('button', { name: /Send an SMS/ }).click();
  await page.getByTestId('node-send_sms').waitFor();
  await page.getByLabel('Body').fill('Welcome to the VIP club, {{ contact.firstName }}!');
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect.poll(() => page.getByTestId('workflow-status').textContent()).toBe('Published');
  await shot('workflow-published');

  // Tag the contact on its page.
  await page.goto(`/contacts/${theo.id}`);
  await page.getByRole('heading', { name: 'Theo Park' }).waitFor();
  await page.getByLabel('New tag').fill('vip');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await expect.poll(async () => (await app.db.contact.findUniqueOrThrow({ where: { id: theo.id } })).tags).toEqual(['vip']);
  await shot('contact-tagged');

  // The run, in the workflow's runs.
  await expect.poll(async () => (await app.db.workflowExecution.findFirst({ where: { workflowId } }))?.status, { timeout: 20_000 }).toBe('COMPLETED');
  await page.goto(`/workflows/${workflowId}/executions`);
  await page.getByRole('row', { name: /completed.*Theo Park/i }).waitFor();
  await shot('workflow-run');

  // The SMS, in the inbox, marked as sandbox.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
  await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /Theo Park/ }).click();
  const thread = page.getByRole('region', { name: 'Conversation', exact: true });
  await thread.getByText('Welcome to the VIP club, Theo!').waitFor();
  await thread.getByText('Sandbox').first().waitFor();
  await shot('inbox-sandbox-sms');
  const sms = await app.db.message.findFirstOrThrow({ where: { contactId: theo.id } });
  expect(sms).toMatchObject({ channel: 'SMS', direction: 'OUTBOUND', sandbox: true, content: 'Welcome to the VIP club, Theo!', to: '+13035550199' });
}, 90_000);
