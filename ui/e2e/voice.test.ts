// The voice plugin in the admin UI (issue 21), sandbox mode (no ElevenLabs connection): an
// agent made on the agents screen (its bad input shown on its fields), given a number, calls
// a contact from the contact page (a do-not-disturb contact, one with no phone and a paused
// agent are refused in words); the scripted call plays to its end and shows in the inbox
// with its summary, the transcript turn by turn and the recording (also on a phone), and its
// page has them too; the call log filters; the agent is deleted and its call stays. At a
// phone's width the agents screen and the inbox do not scroll sideways.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { apiCall, fitsWidth, launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();
const phone = { width: 390, height: 844 };
const desktop = { width: 1366, height: 860 };

/** The recording the page offers can be loaded and decoded by the browser: its length in seconds. */
async function playableSeconds(page: Page, audio: string): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const el = document.querySelector(${JSON.stringify(audio)});
    el.addEventListener('loadedmetadata', () => resolve(el.duration), { once: true });
    el.addEventListener('error', () => reject(new Error('audio error ' + (el.error && el.error.code))), { once: true });
    el.preload = 'auto';
    el.load();
  })`);
}

test('an agent made in the UI calls a contact; the call is in the inbox and its transcript on its page', async () => {
  const { page, shot } = await openPage(browser, app, 'voice', undefined, { locale: 'en-US' });
  const user = await logIn(app, page);
  const userId = user.id;
  // Calls are dialled at once whatever the hour the test runs.
  await app.db.messagingSettings.create({ data: { userId, quietHoursEnabled: false } });
  const ada = await app.db.contact.create({ data: { userId, firstName: 'Ada', lastName: 'Lovelace', phone: '+15125550111' } });
  const bo = await app.db.contact.create({ data: { userId, firstName: 'Bo', lastName: 'Diddley', phone: '+15125550122' } });
  const cy = await app.db.contact.create({ data: { userId, firstName: 'Cy', lastName: 'Twombly-Rauschenberg de Kooning', email: 'cy@example.test' } });
  expect((await apiCall(page, 'PUT', `/messaging/contacts/${bo.id}/consent/VOICE`, { doNotDisturb: true, reason: 'Asked not to be called' })).status).toBe(200);

  // The agents screen, empty, then a new agent: a bad language is shown under its field.
  await page.goto('/voice');
  await page.getByText('No voice agents yet.').waitFor();
  await page.getByRole('button', { name: 'New agent' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New agent' });
  await dialog.getByLabel('Name').fill('Receptionist');
  await dialog.getByLabel('First message').fill('Hello, Acme Dental, how can I help?');
  await dialog.getByLabel('System prompt').fill('You book dental appointments. Be brief and kind.');
  await dialog.getByLabel('Language').fill('english');
  await dialog.getByRole('button', { name: 'Create agent' }).click();
  await dialog.locator('#agent-language-error').getByText('A language code such as en, es or pt-BR').waitFor();
  expect(await app.db.voiceAgent.count({ where: { userId } })).toBe(0);
  await shot('agent-form-error', { fullPage: false });
  await dialog.getByLabel('Language').fill('en');
  await dialog.getByRole('button', { name: 'Create agent' }).click();
  await expect.poll(() => dialog.isVisible()).toBe(false);
  const agents = page.getByRole('table', { name: 'Voice agents' });
  const row = agents.getByRole('row', { name: /Receptionist/ });
  await row.getByText('Sandbox', { exact: true }).waitFor();
  await row.getByText('Active', { exact: true }).waitFor();
  const agent = await app.db.voiceAgent.findFirstOrThrow({ where: { userId } });
  expect(agent).toMatchObject({ name: 'Receptionist', language: 'en', sandbox: true, firstMessage: 'Hello, Acme Dental, how can I help?' });

  // A number: not E.164 is refused on its field, then assigned.
  await row.getByRole('button', { name: 'Assign number to Receptionist' }).click();
  const numberDialog = page.getByRole('dialog', { name: 'Assign number' });
  await numberDialog.getByLabel('Phone number').fill('555-0100');
  await numberDialog.getByRole('button', { name: 'Assign number' }).click();
  await numberDialog.locator('#agent-number-error').waitFor();
  await numberDialog.getByLabel('Phone number').fill('+15125550100');
  await numberDialog.getByRole('button', { name: 'Assign number' }).click();
  await expect.poll(() => numberDialog.isVisible()).toBe(false);
  await row.getByText('+15125550100').waitFor();
  // On a phone the agents screen does not scroll sideways (its table scrolls in its frame).
  await page.setViewportSize(phone);
  await row.getByText('+15125550100').waitFor();
  expect(await fitsWidth(page)).toBe(true);
  await shot('agents-phone');
  await page.setViewportSize(desktop);

  // Paused, it places no calls: the contact page says why.
  await row.getByRole('button', { name: 'Pause Receptionist' }).click();
  await row.getByText('Paused', { exact: true }).waitFor();
  await shot('agents');
  await page.goto(`/contacts/${ada.id}`);
  const calls = page.getByRole('region', { name: 'Calls', exact: true });
  await calls.getByText('No calls with this contact.').waitFor();
  await calls.getByRole('button', { name: 'Call', exact: true }).click();
  const callDialog = page.getByRole('dialog', { name: 'Call this contact' });
  await callDialog.getByLabel('Agent').waitFor();
  await callDialog.getByRole('button', { name: 'Call now' }).click();
  await callDialog.getByText('The agent is paused: resume it to place calls').waitFor();
  await shot('call-paused-agent', { fullPage: false });
  await callDialog.getByRole('button', { name: 'Cancel' }).click();

  await page.goto('/voice');
  await agents.getByRole('button', { name: 'Resume Receptionist' }).click();
  await agents.getByRole('row', { name: /Receptionist/ }).getByText('Active', { exact: true }).waitFor();

  // A contact who asked not to be called is refused, and nothing is recorded.
  await page.goto(`/contacts/${bo.id}`);
  await calls.getByRole('button', { name: 'Call', exact: true }).click();
  await callDialog.getByLabel('Agent').waitFor();
  await callDialog.getByRole('button', { name: 'Call now' }).click();
  await callDialog.getByText('The contact asked not to be contacted by phone call').waitFor();
  await shot('call-do-not-disturb', { fullPage: false });
  await callDialog.getByRole('button', { name: 'Cancel' }).click();
  // Nor can one with no phone.
  await page.goto(`/contacts/${cy.id}`);
  await calls.getByRole('button', { name: 'Call', exact: true }).click();
  await callDialog.getByLabel('Agent').waitFor();
  await callDialog.getByRole('button', { name: 'Call now' }).click();
  await callDialog.getByText('The contact cannot be reached by phone call: no address').waitFor();
  await callDialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await app.db.call.count({ where: { userId } })).toBe(0);

  // Ada is called: the sandbox plays a scripted call to its end.
  await page.goto(`/contacts/${ada.id}`);
  await calls.getByRole('button', { name: 'Call', exact: true }).click();
  await callDialog.getByLabel('Agent').waitFor();
  await callDialog.getByRole('button', { name: 'Call now' }).click();
  await expect.poll(() => callDialog.isVisible()).toBe(false);
  const listed = calls.getByRole('list', { name: 'Calls with this contact' });
  await listed.getByText('Answered', { exact: true }).waitFor({ timeout: 20_000 });
  await listed.getByText('20 s', { exact: true }).waitFor();
  const call = await app.db.call.findFirstOrThrow({ where: { userId } });
  expect(call).toMatchObject({ status: 'COMPLETED', sandbox: true, contactId: ada.id, voiceAgentId: agent.id, direction: 'OUTBOUND', to: ada.phone });
  await shot('contact-calls');

  // In the inbox, the call reads as a call: its summary, the agent's judgement, the
  // transcript turn by turn and the recording, which the browser can play; it links to its page.
  const conversation = await app.db.conversation.findFirstOrThrow({ where: { userId, contactId: ada.id, channel: 'VOICE' } });
  const consentRead = page.waitForResponse((r) => r.url().endsWith(`/api/messaging/contacts/${ada.id}/consent`));
  await page.goto(`/inbox?conversation=${conversation.id}`);
  const thread = page.getByRole('region', { name: 'Conversation', exact: true });
  await thread.getByText('Outgoing call, answered (20 s)').waitFor();
  await thread.getByText('A simulated call (sandbox mode): nothing was dialled.').waitFor();
  await thread.getByText('Successful', { exact: true }).waitFor();
  // Simulated, it is marked as sandbox messages are; a log of calls says nothing of being messaged.
  await thread.getByRole('listitem').filter({ hasText: 'Outgoing call' }).getByText('Sandbox', { exact: true }).waitFor();
  await consentRead;
  await thread.getByText('Ada Lovelace', { exact: true }).waitFor();
  expect(await thread.getByText('Can be messaged').count()).toBe(0);
  const turns = thread.getByRole('list', { name: 'Call transcript' }).getByRole('listitem');
  await turns.first().waitFor();
  expect((await turns.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
    'Agent: Hello! This is a simulated call from the sandbox. 0:00',
    'Caller: Hi, thanks for calling. 0:04',
  ]);
  const recording = thread.locator('audio[aria-label="Call recording"]');
  expect(await recording.getAttribute('src')).toBe(`/api/voice/calls/${call.id}/recording`);
  expect(await playableSeconds(page, 'audio[aria-label="Call recording"]')).toBeCloseTo(2, 1);
  expect(await thread.getByRole('textbox', { name: 'Reply' }).count()).toBe(0);
  await shot('inbox-call');
  // On a phone the call stays readable and the page does not scroll sideways.
  await page.setViewportSize(phone);
  await turns.first().waitFor();
  expect(await fitsWidth(page)).toBe(true);
  await shot('inbox-call-phone');
  await page.setViewportSize(desktop);

  // A long call's transcript is folded: the thread stays readable until it is opened.
  const longCall = await app.db.conversation.create({ data: { userId, contactId: cy.id, channel: 'VOICE', address: '+15125550133', lastMessageAt: new Date() } });
  const said = ['Hello, Acme Dental.', 'Hi, do you do whitening?', 'We do. Would you like a time?', 'Next week, please.', 'Tuesday at 9 or Thursday at 2?', 'Thursday at 2.'];
  await app.db.message.create({
    data: {
      userId, contactId: cy.id, conversationId: longCall.id, channel: 'VOICE', direction: 'INBOUND', from: '+15125550133', to: '+15125550100', status: 'DELIVERED', provider: 'voice',
      providerMessageId: 'call-long', content: 'Incoming call, answered (1 min 30 s): Booked whitening on Thursday at 2.',
      call: { callId: 'call-long', status: 'COMPLETED', duration: 90, outcome: 'success', summary: 'Booked whitening on Thursday at 2.', recordingUrl: null, transcript: said.map((text, i) => ({ role: i % 2 ? 'user' : 'agent', text, atSecond: i * 10 })) },
    },
  });
  await page.goto(`/inbox?conversation=${longCall.id}`);
  await thread.getByText('Booked whitening on Thursday at 2.').waitFor();
  const folded = thread.getByText('Transcript (6 turns)');
  await folded.waitFor();
  expect(await thread.getByText('Next week, please.').isVisible()).toBe(false);
  expect(await thread.locator('audio').count()).toBe(0);
  // A call that really was made is not marked sandbox.
  expect(await thread.getByText('Sandbox', { exact: true }).count()).toBe(0);
  await shot('inbox-call-folded', { fullPage: false });
  // On a phone a long name wraps in the thread's header instead of being cut short.
  await page.setViewportSize(phone);
  const name = thread.getByRole('heading', { name: 'Cy Twombly-Rauschenberg de Kooning' });
  await name.waitFor();
  expect(await name.evaluate((h) => h.scrollWidth <= h.clientWidth)).toBe(true);
  expect(await fitsWidth(page)).toBe(true);
  await shot('inbox-call-long-name-phone', { fullPage: false });
  await page.setViewportSize(desktop);
  await folded.click();
  await thread.getByText('Next week, please.').waitFor();
  await page.goto(`/inbox?conversation=${conversation.id}`);
  await thread.getByRole('link', { name: 'Call details' }).click();
  await page.waitForURL(`**/voice/calls/${call.id}`);

  // The call's page: where it ended, the agent's judgement, the transcript turn by turn, the recording (simulated).
  await page.getByTestId('call-status').getByText('Answered').waitFor();
  expect(await page.getByTestId('call-duration').textContent()).toBe('20 s');
  await page.getByText('Successful', { exact: true }).waitFor();
  const transcript = page.getByRole('list', { name: 'Transcript' });
  await transcript.getByRole('listitem').first().waitFor();
  expect(await transcript.getByRole('listitem').allTextContents()).toEqual([
    expect.stringMatching(/Agent[\s\S]*Hello! This is a simulated call from the sandbox\./),
    expect.stringMatching(/Caller[\s\S]*Hi, thanks for calling\./),
  ]);
  expect(await page.getByLabel('Call recording').getAttribute('src')).toBe(`/api/voice/calls/${call.id}/recording`);
  await page.getByText('Ada Lovelace').first().waitFor();
  await shot('call-detail');
  // An outcome we have no words for is shown as it came, in words; none at all is "Unknown".
  await app.db.call.update({ where: { id: call.id }, data: { outcome: 'left_voicemail' } });
  await page.reload();
  await page.getByText('Left voicemail', { exact: true }).waitFor();
  await app.db.call.update({ where: { id: call.id }, data: { outcome: null } });
  await page.reload();
  await page.getByText('Unknown', { exact: true }).waitFor();

  // The call log: the call, then filtered away by status.
  await page.goto('/voice/calls');
  const log = page.getByRole('table', { name: 'Calls' });
  await log.getByRole('row', { name: /Outgoing.*Ada Lovelace.*Receptionist.*Answered.*20 s/ }).waitFor();
  await shot('call-log');
  await page.getByLabel('Status').selectOption('BUSY');
  await page.getByText('No calls match these filters.').waitFor();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await log.getByRole('row', { name: /Ada Lovelace/ }).waitFor();

  // Deleted (after a confirmation); its calls stay in the log.
  await page.goto('/voice');
  await agents.getByRole('button', { name: 'Delete Receptionist' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete agent' });
  await confirm.getByRole('button', { name: 'Delete agent' }).click();
  await page.getByText('No voice agents yet.').waitFor();
  expect(await app.db.call.count({ where: { userId } })).toBe(1);
}, 120_000);
