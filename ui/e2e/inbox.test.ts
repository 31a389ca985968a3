// The inbox: a contact's message arrives (sandbox), shows unread, is read and answered on
// its channel; the sandbox simulates the contact's reply; a do-not-disturb contact cannot
// be messaged; on a tablet one pane shows at a time.
import { expect, test } from 'vitest';
import { apiCall, fitsWidth, launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();

test('unread, read, reply, simulated reply, STOP and do-not-disturb, tablet layout', async () => {
  const { page, shot } = await openPage(browser, app, 'inbox');
  const user = await logIn(app, page);
  const userId = user.id;
  // Replies go out at once whatever the hour the test runs.
  await app.db.messagingSettings.create({ data: { userId, quietHoursEnabled: false } });
  const ada = await app.db.contact.create({ data: { userId, firstName: 'Ada', lastName: 'Lovelace', phone: '+15125550111' } });
  const bo = await app.db.contact.create({ data: { userId, firstName: 'Bo', lastName: 'Diddley', phone: '+15125550122' } });

  // Ada writes twice (through the same path a Twilio webhook takes); we texted Bo, who then asked not to be texted.
  for (const body of ['Hi, do you have openings Friday?', 'Morning is best for me.']) {
    expect((await apiCall(page, 'POST', '/messaging/sandbox/inbound', { channel: 'SMS', from: ada.phone, body })).status).toBe(201);
  }
  expect((await apiCall(page, 'POST', '/messaging/messages', { contactId: bo.id, channel: 'SMS', body: 'Your cleaning is confirmed.' })).status).toBe(202);
  expect((await apiCall(page, 'PUT', `/messaging/contacts/${bo.id}/consent/SMS`, { doNotDisturb: true, reason: 'Asked by phone not to be texted' })).status).toBe(200);

  await page.goto('/inbox');
  const list = page.getByRole('list', { name: 'Conversations' });
  const adaRow = list.getByRole('button', { name: /Ada Lovelace/ });
  await adaRow.waitFor();
  await expect.poll(() => adaRow.getByLabel('2 unread').count()).toBe(1);
  expect(await list.getByRole('button', { name: /Bo Diddley/ }).getByText('You: Your cleaning is confirmed.').count()).toBe(1);
  // By last activity: Bo's (newer) first.
  expect(await list.getByRole('button').allTextContents()).toEqual([expect.stringContaining('Bo Diddley'), expect.stringContaining('Ada Lovelace')]);
  await page.getByRole('checkbox', { name: 'Unread only' }).check();
  expect(await list.getByRole('button').count()).toBe(1);
  await shot('unread');
  await page.getByRole('checkbox', { name: 'Unread only' }).uncheck();

  // Opening it reads it.
  await adaRow.click();
  await page.waitForURL(/\/inbox\?conversation=/);
  const conversationId = new URL(page.url()).searchParams.get('conversation')!;
  const thread = page.getByRole('region', { name: 'Conversation', exact: true });
  await thread.getByText('Morning is best for me.').waitFor();
  await expect.poll(() => adaRow.getByLabel(/unread/).count()).toBe(0);
  await expect.poll(async () => (await app.db.conversation.findUniqueOrThrow({ where: { id: conversationId } })).lastReadAt).not.toBeNull();
  await thread.getByText('Sandbox mode').waitFor();
  await thread.getByText('Can be messaged').waitFor();

  // Reply: Enter sends, Shift+Enter is a new line.
  const reply = thread.getByLabel('Reply', { exact: true });
  await reply.click();
  await reply.pressSequentially('Yes, Friday 9am works.');
  await reply.press('Shift+Enter');
  await reply.pressSequentially('See you then!');
  await reply.press('Enter');
  await expect.poll(() => reply.inputValue()).toBe('');
  const mine = thread.getByRole('listitem').filter({ hasText: 'Yes, Friday 9am works.' });
  await mine.getByText('Sent', { exact: true }).waitFor();
  expect(await mine.getByText('Sandbox', { exact: true }).count()).toBe(1);
  const sent = await app.db.message.findFirstOrThrow({ where: { conversationId, direction: 'OUTBOUND' } });
  expect(sent).toMatchObject({ content: 'Yes, Friday 9am works.\nSee you then!', channel: 'SMS', sandbox: true, status: 'SENT', to: ada.phone });
  await shot('replied');

  // The sandbox pretends Ada answered; it lands in the thread on the left.
  await thread.getByRole('button', { name: 'Simulate inbound message' }).click();
  expect(await thread.getByLabel('From').inputValue()).toBe(ada.phone);
  await thread.getByLabel('Their message').fill('Perfect, thanks!');
  await shot('simulate-form');
  await thread.getByRole('button', { name: 'Receive message' }).click();
  const theirs = thread.getByRole('listitem').filter({ hasText: 'Perfect, thanks!' });
  await theirs.waitFor();
  expect(await theirs.evaluate((el) => el.classList.contains('outbound'))).toBe(false);
  expect(await app.db.message.count({ where: { conversationId, direction: 'INBOUND' } })).toBe(3);

  // STOP from Ada: do-not-disturb shows and replies are off.
  await thread.getByLabel('Their message').fill('STOP');
  await thread.getByRole('button', { name: 'Receive message' }).click();
  await thread.getByText('Do not disturb', { exact: true }).waitFor();
  await expect.poll(() => reply.isDisabled()).toBe(true);

  // Bo, by deep link (the contact page links here): do-not-disturb with the reason.
  const boConversation = await app.db.conversation.findFirstOrThrow({ where: { contactId: bo.id } });
  await page.goto(`/inbox?conversation=${boConversation.id}`);
  await thread.getByRole('heading', { name: 'Bo Diddley' }).waitFor();
  await thread.getByText('Do not disturb', { exact: true }).waitFor();
  await thread.getByText(/Asked by phone not to be texted/).waitFor();
  expect(await thread.getByLabel('Reply', { exact: true }).isDisabled()).toBe(true);
  expect(await thread.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
  await shot('do-not-disturb');

  // Polling: a message arriving while the thread is open shows without a reload.
  await app.db.consentChange.deleteMany({ where: { contactId: bo.id } });
  expect((await apiCall(page, 'POST', '/messaging/sandbox/inbound', { channel: 'SMS', from: bo.phone, body: 'Actually, text me again please' })).status).toBe(201);
  await thread.getByText('Actually, text me again please').waitFor({ timeout: 10_000 });

  // A channel with no conversations.
  await page.getByLabel('Channel').selectOption('EMAIL');
  await page.getByText('No conversations yet').waitFor();
  await page.getByLabel('Channel').selectOption('');
  await adaRow.waitFor();

  // Tablet: one pane at a time, with a way back.
  const tablet = await openPage(browser, app, 'inbox-tablet', { width: 820, height: 1000 });
  await tablet.page.goto('/login');
  await tablet.page.getByLabel('Email').fill(user.email);
  await tablet.page.getByLabel('Password').fill('correct horse battery staple');
  await tablet.page.getByRole('button', { name: 'Log in' }).click();
  await tablet.page.waitForURL((url) => url.pathname === '/');
  await tablet.page.goto('/inbox');
  const tabletList = tablet.page.getByRole('list', { name: 'Conversations' });
  await tabletList.getByRole('button', { name: /Ada Lovelace/ }).click();
  const back = tablet.page.getByRole('button', { name: 'Back to conversations' });
  await back.waitFor();
  expect(await tabletList.isVisible()).toBe(false);
  expect(await fitsWidth(tablet.page)).toBe(true);
  await tablet.shot('thread');
  await back.click();
  await tabletList.waitFor();
  expect(await back.isVisible()).toBe(false);
  await tablet.shot('list');
}, 60_000);
