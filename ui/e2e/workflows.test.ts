// The workflow builder as a marketer uses it: a workflow built on the canvas (trigger
// "Tag added" with tag vip, an SMS with a merge field, an if/else from the condition
// builder), a refused publish shown on the step, the fix, a dry run's highlighted path,
// and a real run: tagging the contact sends a sandbox SMS, seen in the runs and the DB.
import { expect, test } from 'vitest';
import { launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();

test('build, validate, publish, dry run and run a workflow on the canvas', async () => {
  const { page, shot } = await openPage(browser, app, 'workflows');
  const user = await logIn(app, page);
  const ada = await app.db.contact.create({ data: { userId: user.id, firstName: 'Ada', lastName: 'Lovelace', phone: '+15555550123', email: 'ada@example.test' } });

  await page.goto('/workflows');
  await page.getByText('No workflows yet').waitFor();
  await page.getByRole('button', { name: 'New workflow' }).click();
  await page.getByLabel('Name').fill('VIP welcome');
  await page.getByRole('button', { name: 'Create and open the builder' }).click();
  await page.waitForURL(/\/workflows\/[^/]+$/);
  const workflowId = page.url().split('/').pop()!;
  await page.locator('.svelte-flow__node').first().waitFor();
  await shot('new-workflow');

  // The trigger: Tag added, only for the tag "vip".
  await page.getByTestId('node-__trigger').click();
  await page.getByLabel('Starts when').selectOption('core.tag_added');
  await page.getByLabel('Tag', { exact: true }).fill('vip');
  await expect.poll(() => page.getByTestId('node-__trigger').textContent()).toMatch(/Tag added.*tag = vip/);

  // An SMS after the trigger, its message left empty: publishing is refused on that step.
  await page.getByRole('button', { name: 'Add a step after the trigger' }).click();
  await page.getByRole('dialog', { name: 'Add a step' }).getByRole('button', { name: /Send an SMS/ }).click();
  const sms = page.getByTestId('node-send_sms');
  await sms.waitFor();
  await page.getByRole('button', { name: 'Publish' }).click();
  await expect.poll(() => sms.getAttribute('class')).toMatch(/invalid/);
  expect(await sms.textContent()).toMatch(/body is required/);
  await page.locator('.field-error', { hasText: 'is required' }).waitFor();
  expect(await app.db.workflowVersion.count({ where: { workflowId } })).toBe(0);
  await shot('validation-error-on-step');

  // The fix, with a merge field inserted at the cursor.
  const body = page.getByLabel('Body');
  await body.fill('Hi ');
  await page.getByRole('group', { name: 'Merge fields' }).getByRole('button', { name: 'First name' }).click();
  await body.press('End');
  await body.pressSequentially(', welcome to the VIP club!');
  expect(await body.inputValue()).toBe('Hi {{ contact.firstName }}, welcome to the VIP club!');

  // An if/else after the SMS, from the condition builder: has tag vip AND first name equals Ada.
  await page.getByRole('button', { name: 'Add a step after send_sms' }).click();
  await page.getByRole('dialog', { name: 'Add a step' }).getByRole('button', { name: /If \/ else/ }).click();
  await page.getByTestId('node-branch').waitFor();
  await page.getByLabel('Value (condition 1)').fill('vip');
  await page.getByRole('button', { name: '+ Add condition' }).click();
  await page.getByLabel('Field (condition 2)').selectOption('contact.firstName');
  await page.getByLabel('Operator (condition 2)').selectOption('==');
  await page.getByLabel('Value (condition 2)').fill('Ada');
  await page.getByText('json-logic').click();
  const rule = JSON.parse((await page.getByLabel('Generated json-logic').textContent())!);
  expect(rule).toEqual({ and: [{ has_tag: 'vip' }, { '==': [{ var: 'contact.firstName' }, 'Ada'] }] });
  // The No path gets a note, so both paths are drawn.
  await page.getByRole('button', { name: 'Add a step on the No path of branch' }).click();
  await page.getByRole('dialog', { name: 'Add a step' }).getByRole('button', { name: /^Create note/ }).click();
  await page.getByLabel('Content').fill('{{ contact.firstName }} is not a VIP yet');
  await shot('branch-condition-builder');

  await page.getByRole('button', { name: 'Publish' }).click();
  await expect.poll(() => page.getByTestId('workflow-status').textContent()).toBe('Published');
  await expect.poll(() => page.locator('.card-node.invalid').count()).toBe(0);
  const version = await app.db.workflowVersion.findFirstOrThrow({ where: { workflowId } });
  expect(version.triggerKey).toBe('core.tag_added');
  expect(version.triggerFilter).toEqual({ tag: 'vip' });
  expect(version.actions).toMatchObject([
    { id: 'send_sms', type: 'action', action: 'messaging.send_sms', props: { body: 'Hi {{ contact.firstName }}, welcome to the VIP club!' }, next: 'branch' },
    { id: 'end', type: 'end' },
    { id: 'branch', type: 'branch', condition: rule, then: 'end', else: 'create_note' },
    { id: 'create_note', type: 'action', action: 'crm.create_note' },
  ]);
  await shot('published');

  // Keyboard: a focused step asks before Delete removes it.
  await page.getByTestId('node-branch').click();
  await page.locator('.svelte-flow__node[data-id="branch"]').focus();
  await page.keyboard.press('Delete');
  const confirmDelete = page.getByRole('dialog', { name: 'Delete step?' });
  await confirmDelete.getByText('This also deletes create_note').waitFor();
  await confirmDelete.getByRole('button', { name: 'Cancel' }).click();
  expect(await page.locator('.svelte-flow__node[data-id="branch"]').count()).toBe(1);

  // Dry run for Ada (no vip tag yet): SMS, then the branch's No path; the End is not on it.
  await page.getByRole('button', { name: 'Dry run' }).click();
  await page.getByRole('searchbox', { name: 'Contact' }).fill('Ada');
  await page.getByRole('button', { name: /Ada Lovelace/ }).click();
  const dryPath = page.getByRole('list', { name: 'Dry run path' });
  await dryPath.waitFor();
  expect(await dryPath.textContent()).toMatch(/Hi Ada, welcome to the VIP club!/);
  expect(await dryPath.textContent()).toMatch(/Condition is false/);
  await expect.poll(() => sms.getAttribute('class')).toMatch(/on-path/);
  expect(await page.getByTestId('node-create_note').getAttribute('class')).toMatch(/on-path/);
  expect(await page.getByTestId('node-end').getAttribute('class')).toMatch(/dimmed/);
  await shot('dry-run-path');

  // The real thing: tag Ada "vip" through the API; the run sends a sandbox SMS.
  const status = await page.evaluate(async (id) => {
    const s = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string };
    const r = await fetch(`/api/crm/contacts/${id}/tags`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken }, body: JSON.stringify({ add: ['vip'] }) });
    return r.status;
  }, ada.id);
  expect(status).toBeLessThan(300);
  await expect.poll(() => app.db.message.findFirst({ where: { contactId: ada.id } }), { timeout: 20_000 }).toMatchObject({
    channel: 'SMS',
    direction: 'OUTBOUND',
    sandbox: true,
    content: 'Hi Ada, welcome to the VIP club!',
  });
  await expect.poll(async () => (await app.db.workflowExecution.findFirst({ where: { workflowId } }))?.status, { timeout: 20_000 }).toBe('COMPLETED');

  await page.getByRole('link', { name: /^Runs/ }).click();
  await page.waitForURL(/executions$/);
  const row = page.getByRole('row', { name: /completed.*Ada Lovelace/ });
  await row.waitFor();
  await shot('runs');
  await row.getByRole('link', { name: /Open run of Ada Lovelace/ }).click();
  await page.getByRole('heading', { name: 'Run for Ada Lovelace' }).waitFor();
  const output = page.getByTestId('output-send_sms');
  await expect.poll(() => output.textContent()).toMatch(/"status": "queued"/);
  const message = await app.db.message.findFirstOrThrow({ where: { contactId: ada.id } });
  expect(await output.textContent()).toContain(message.id);
  expect(await page.getByRole('listitem', { name: 'Step branch' }).textContent()).toMatch(/"result": true/);
  await shot('run-detail');

  // The list: published, v1, one run; pause it.
  await page.goto('/workflows');
  const listRow = page.getByRole('row', { name: /VIP welcome/ });
  await listRow.getByText('Published').waitFor();
  expect(await listRow.textContent()).toMatch(/Tag added.*v1/);
  await listRow.getByRole('button', { name: 'Pause VIP welcome' }).click();
  await listRow.getByText('Paused').waitFor();
  expect((await app.db.workflow.findUniqueOrThrow({ where: { id: workflowId } })).status).toBe('INACTIVE');
  await shot('list');
}, 60_000);

test('the builder fits a tablet, and an old version opens read-only', async () => {
  const { page, shot } = await openPage(browser, app, 'workflows-tablet');
  const user = await logIn(app, page);
  await page.setViewportSize({ width: 820, height: 1100 });
  const actions = [
    { id: 'wait', type: 'wait', wait: { mode: 'duration', amount: 2, unit: 'days' }, next: 'tag' },
    { id: 'tag', type: 'action', action: 'crm.add_tag', props: { tag: 'nurtured' } },
  ];
  const workflow = await app.db.workflow.create({
    data: { userId: user.id, name: 'Nurture', trigger: 'CONTACT_CREATED', triggerKey: 'core.contact_created', actions, status: 'ACTIVE', publishedVersion: 1 },
  });
  await app.db.workflowVersion.create({ data: { userId: user.id, workflowId: workflow.id, version: 1, triggerKey: 'core.contact_created', triggerFilter: {}, actions: actions.slice(0, 1), allowReentry: false } });
  await page.goto(`/workflows/${workflow.id}`);
  await page.getByTestId('node-tag').waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  await shot('builder-tablet');
  await page.getByRole('button', { name: 'Versions' }).click();
  await page.getByRole('button', { name: 'View', exact: true }).click();
  await page.getByText('Viewing version 1').waitFor();
  expect(await page.getByTestId('node-tag').count()).toBe(0);
  expect(await page.getByRole('button', { name: /Add a step/ }).count()).toBe(0);
  await shot('version-read-only');
  await page.getByRole('button', { name: 'Back to the draft' }).click();
  await page.getByTestId('node-tag').waitFor();
});
