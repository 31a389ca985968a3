// Text-to-pay, end to end (issue 19's "Done when"): from a contact's SMS conversation in the
// inbox, "Request payment" makes a sandbox payment link and puts it in the draft; the message
// goes out through messaging like any reply; the contact opens the link on a phone, the card
// is declined once, then paid, and the payment is SUCCEEDED in the API and on the page. Then
// the pay page's other faces: an invoice's lines and due date, a payer back from a checkout
// they left, and a link that has expired.
import { expect, test } from 'vitest';
import { apiCall, fitsWidth, launchBrowser, logIn, openPage, startApp } from './harness.ts';

const app = await startApp();
const browser = await launchBrowser();
const phone = { width: 390, height: 844 };
const enUS = { locale: 'en-US' };

const { page, shot } = await openPage(browser, app, 'payments', undefined, enUS);
const user = await logIn(app, page);
// Replies go out at once whatever the hour the test runs.
await app.db.messagingSettings.create({ data: { userId: user.id, quietHoursEnabled: false } });

test('a payment link sent from the inbox by SMS is paid on the pay page (sandbox)', async () => {
  const ada = await app.db.contact.create({ data: { userId: user.id, firstName: 'Ada', lastName: 'Lovelace', phone: '+15125550111' } });
  expect((await apiCall(page, 'POST', '/messaging/sandbox/inbound', { channel: 'SMS', from: ada.phone, body: 'How much do I owe for the crown?' })).status).toBe(201);
  const conversation = await app.db.conversation.findFirstOrThrow({ where: { contactId: ada.id, channel: 'SMS' } });

  await page.goto(`/inbox?conversation=${conversation.id}`);
  const thread = page.getByRole('region', { name: 'Conversation', exact: true });
  await thread.getByText('How much do I owe for the crown?').waitFor();

  // The form: amount, currency (USD: nothing was asked for before), what it is for.
  await thread.getByRole('button', { name: 'Request payment' }).click();
  const dialog = page.getByRole('dialog', { name: 'Request payment' });
  expect(await dialog.getByLabel('Currency').inputValue()).toBe('USD');
  await dialog.getByLabel('Amount', { exact: true }).fill('12,5');
  await dialog.getByLabel('Description (optional)').fill('Crown fitting');
  await dialog.getByRole('button', { name: 'Create payment link' }).click();
  // Bad input is shown on its field, and nothing is made.
  await dialog.locator('#payment-amount-error').waitFor();
  expect(await app.db.payment.count({ where: { userId: user.id } })).toBe(0);
  await dialog.getByLabel('Amount', { exact: true }).fill('125.50');
  await shot('request-form', { fullPage: false });
  await dialog.getByRole('button', { name: 'Create payment link' }).click();
  await expect.poll(() => dialog.isVisible()).toBe(false);

  // The link is in the draft, to be read over and sent like any reply.
  const reply = thread.getByLabel('Reply', { exact: true });
  await expect.poll(() => reply.inputValue()).toMatch(/\/pay\//);
  const payment = await app.db.payment.findFirstOrThrow({ where: { userId: user.id, contactId: ada.id } });
  expect(payment).toMatchObject({ status: 'PENDING', sandbox: true, currency: 'USD', description: 'Crown fitting' });
  expect(payment.amount.toFixed(2)).toBe('125.50');
  const draft = await reply.inputValue();
  const link = draft.match(/https?:\/\/\S+\/pay\/\S+/)?.[0];
  expect(new URL(link!).pathname).toBe(`/pay/${payment.payToken}`);
  expect(draft).toContain('$125.50 (Crown fitting)');
  await shot('draft-with-link');
  await thread.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => reply.inputValue()).toBe('');
  const mine = thread.getByRole('listitem').filter({ hasText: link! });
  await mine.getByText('Sent', { exact: true }).waitFor();
  const sent = await app.db.message.findFirstOrThrow({ where: { conversationId: conversation.id, direction: 'OUTBOUND' } });
  expect(sent).toMatchObject({ channel: 'SMS', status: 'SENT', to: ada.phone });
  expect(sent.content).toContain(link);
  await shot('sent');

  // Ada opens the link on her phone (no session of ours): a sandbox payment says so.
  const adaPhone = await openPage(browser, app, 'payments/pay-page-phone', phone, enUS);
  await adaPhone.page.goto(link!);
  await adaPhone.page.getByRole('heading', { name: '$125.50' }).waitFor();
  await adaPhone.page.getByText('Sandbox mode: no real money moves').waitFor();
  await adaPhone.page.getByText('Acme Dental').waitFor();
  await adaPhone.page.getByText('Crown fitting').waitFor();
  await adaPhone.page.getByText('Awaiting payment').waitFor();
  expect(await fitsWidth(adaPhone.page)).toBe(true);
  await adaPhone.shot('opened');

  // Pay: the sandbox's checkout is the page itself, where the outcome is picked.
  await adaPhone.page.getByRole('button', { name: 'Pay $125.50' }).click();
  await adaPhone.page.waitForURL(/[?&]sandbox=1/);
  await adaPhone.page.getByRole('heading', { name: 'Simulated checkout' }).waitFor();
  await adaPhone.shot('simulated-checkout');
  await adaPhone.page.getByRole('button', { name: 'Decline' }).click();
  await adaPhone.page.getByText('The card was declined (simulated). You can try again.').waitFor();
  await expect.poll(async () => (await app.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('FAILED');
  await adaPhone.shot('declined');
  await adaPhone.page.getByRole('button', { name: 'Succeed' }).click();
  await adaPhone.page.getByText('Paid. Thank you!').waitFor();
  expect(await adaPhone.page.getByRole('button', { name: 'Succeed' }).count()).toBe(0);
  expect(await fitsWidth(adaPhone.page)).toBe(true);
  await adaPhone.shot('paid');

  // SUCCEEDED through the API, and on the page when it is opened again.
  const read = await apiCall(page, 'GET', `/payments/payments/${payment.id}`);
  expect(read.status).toBe(200);
  expect(read.json.amount).toMatch(/^125\.50?$/);
  expect(read.json).toMatchObject({ status: 'SUCCEEDED', currency: 'USD', contactId: ada.id, sandbox: true });
  expect(read.json.paidAt).toEqual(expect.any(String));
  await adaPhone.page.goto(link!);
  await adaPhone.page.getByText('Paid', { exact: true }).waitFor();
  await adaPhone.page.getByText('Paid. Thank you!').waitFor();
  expect(await adaPhone.page.getByRole('button', { name: /^Pay / }).count()).toBe(0);
  // Paid once: another checkout is refused (409), and the page never offered one.
  expect((await apiCall(page, 'POST', `/payments/public/pay/${payment.payToken}/checkout`, {})).status).toBe(409);
}, 90_000);

test('an invoice shows its lines and due date; a payer back from a left checkout; an expired link', async () => {
  const bo = await app.db.contact.create({ data: { userId: user.id, firstName: 'Bo', lastName: 'Diddley', email: 'bo@example.test' } });
  const made = await apiCall(page, 'POST', '/payments/payments', {
    contactId: bo.id,
    currency: 'EUR',
    lines: [
      { description: 'Cleaning', quantity: 1, unitAmount: '80.00' },
      { description: 'Fluoride varnish', quantity: 3, unitAmount: '0.10' },
    ],
    dueDate: '2030-01-15',
    memo: 'Thank you for your visit.',
  });
  expect(made.status).toBe(201);
  const token = new URL(made.json.payUrl as string).pathname.split('/').pop()!;
  const boLaptop = await openPage(browser, app, 'payments/invoice-laptop', { width: 1366, height: 860 }, enUS);
  await boLaptop.page.goto(`/pay/${token}`);
  const invoice = boLaptop.page.getByRole('region', { name: /^Invoice INV-/ });
  await invoice.waitFor();
  await invoice.getByText('Due Jan 15, 2030').waitFor();
  // 3 × €0.10 is exactly €0.30; the total is the payment's amount.
  await invoice.getByRole('row', { name: /Fluoride varnish.*€0\.10 each.*3.*€0\.30/ }).waitFor();
  await invoice.getByRole('row', { name: /Total.*€80\.30/ }).waitFor();
  await boLaptop.page.getByRole('heading', { name: '€80.30' }).waitFor();
  await boLaptop.page.getByText('Thank you for your visit.').waitFor();
  await boLaptop.shot('invoice');

  // Back from a checkout the payer left: nothing was charged, and they can try again.
  await boLaptop.page.goto(`/pay/${token}?cancelled=1`);
  await boLaptop.page.getByText('You left the checkout before paying. Nothing was charged.').waitFor();
  await boLaptop.page.getByRole('button', { name: 'Pay €80.30' }).waitFor();
  await boLaptop.shot('came-back');

  // An expired link says so and offers no payment.
  await app.db.payment.update({ where: { payToken: token }, data: { expiresAt: new Date(Date.now() - 60_000) } });
  await boLaptop.page.goto(`/pay/${token}`);
  await boLaptop.page.getByText('This payment link has expired. Ask Acme Dental for a new one.').waitFor();
  expect(await boLaptop.page.getByRole('button', { name: /^Pay / }).count()).toBe(0);
  await boLaptop.shot('expired');

  // A mistyped link.
  await boLaptop.page.goto('/pay/not-a-real-token-0123456789');
  await boLaptop.page.getByRole('heading', { name: 'This payment link does not work' }).waitFor();
}, 60_000);
