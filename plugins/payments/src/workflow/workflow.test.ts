// Payments in workflows and on the contact, through a real server, worker and database: the
// steps run by published workflows (the link goes out through messaging), what runs read as
// `payment`, the timeline entry, payments following a contact merge, and an invoice paid.
import { scopeToTenant } from '@soshogle/core';
import { eventually, expectJson, publishWorkflow, signedInUser, startTestSoshogle } from '@soshogle/core/testing';
import crm from '@soshogle/plugin-crm';
import messaging from '@soshogle/plugin-messaging';
import { describe, expect, it } from 'vitest';
import payments from '../index.ts';
import { withLink } from './actions.ts';
import { paymentContext } from './run-context.ts';

const soshogle = await startTestSoshogle([crm, messaging, payments]);

async function tenant() {
  const user = await signedInUser(soshogle);
  const api = (method: string, path: string, body?: unknown) => user.request(method, path, body);
  await expectJson(await api('PUT', '/api/messaging/settings', { quietHoursEnabled: false }), 200);
  const contact = async (firstName: string) => (await expectJson<{ id: string }>(await api('POST', '/api/crm/contacts', { firstName, email: `${firstName.toLowerCase()}-${crypto.randomUUID()}@example.test` }), 201)).id;
  return { user, api, contact };
}

describe('workflow steps', () => {
  it('asks each new contact for a payment once and emails them the link, through messaging', async () => {
    const t = await tenant();
    await publishWorkflow(t.user, {
      trigger: 'CONTACT_CREATED',
      actions: [{
        id: 'ask', type: 'action', action: 'payments.send_payment_link',
        props: { amount: '25.00', currency: 'USD', description: 'Deposit', channel: 'EMAIL', subject: 'Your deposit', message: 'Hi {{ contact.firstName }}, pay here: {link} Thanks!' },
      }],
    });
    const ann = await t.contact('Ann');
    const payment = await eventually(() => soshogle.db.payment.findFirst({ where: { contactId: ann } }));
    expect(payment).toMatchObject({ source: 'WORKFLOW', description: 'Deposit', sandbox: true, status: 'PENDING', key: expect.stringMatching(/^workflow:/) });
    const message = await eventually(() => soshogle.db.message.findFirst({ where: { contactId: ann, channel: 'EMAIL' } }));
    expect(message.content).toMatch(new RegExp(`^Hi Ann, pay here: http\\S+/pay/${payment.payToken} Thanks!$`));
    await eventually(async () => (await soshogle.db.workflowExecution.findFirst({ where: { contactId: ann } }))?.status === 'COMPLETED');
    expect(await soshogle.db.payment.count({ where: { contactId: ann } })).toBe(1);
  });

  it('makes an invoice for the run’s contact; bad money fails the step at once', async () => {
    const t = await tenant();
    await publishWorkflow(t.user, {
      trigger: 'CONTACT_CREATED',
      actions: [{
        id: 'invoice', type: 'action', action: 'payments.create_invoice',
        props: { currency: 'EUR', dueDate: '2027-02-01', lines: [{ description: 'Consultation', quantity: 2, unitAmount: '{{ contact.customFields.rate }}' }] },
      }],
    });
    const bea = (await expectJson<{ id: string }>(await t.api('POST', '/api/crm/contacts', { firstName: 'Bea', customFields: {} }), 201)).id;
    const failed = await eventually(() => soshogle.db.workflowExecution.findFirst({ where: { contactId: bea, status: 'FAILED' } }));
    expect(failed).toBeTruthy();
    expect(await soshogle.db.invoice.count({ where: { contactId: bea } })).toBe(0);

    await t.api('POST', '/api/crm/custom-fields', { key: 'rate', label: 'Rate', type: 'TEXT' });
    const cy = (await expectJson<{ id: string }>(await t.api('POST', '/api/crm/contacts', { firstName: 'Cy', customFields: { rate: '60.25' } }), 201)).id;
    const invoice = await eventually(() => soshogle.db.invoice.findFirst({ where: { contactId: cy }, include: { lines: true, payments: true } }));
    expect(invoice).toMatchObject({ currency: 'EUR', number: 1, status: 'OPEN', dueDate: new Date('2027-02-01T00:00:00Z') });
    expect(invoice.total.toString()).toBe('120.5');
    expect(invoice.payments).toHaveLength(1);
  });

  it('puts the pay link where {link} is, or after the message', () => {
    expect(withLink('Pay: {link}. Or {link}', 'https://x.test/pay/t')).toBe('Pay: https://x.test/pay/t. Or https://x.test/pay/t');
    expect(withLink('Please pay ', 'https://x.test/pay/t')).toBe('Please pay\nhttps://x.test/pay/t');
  });
});

describe('the payment as runs read it, on the timeline, through a merge', () => {
  it('loads the payment with its invoice number, for its tenant only', async () => {
    const t = await tenant();
    const made = await expectJson<{ id: string }>(await t.api('POST', '/api/payments/payments', { lines: [{ description: 'A', quantity: 1, unitAmount: '5' }], dueDate: '2027-03-01' }), 201);
    const db = scopeToTenant(soshogle.db, t.user.userId);
    const record = (await db.$transaction((tx) => paymentContext.load(tx, made.id))) as Record<string, unknown>;
    expect(record).toMatchObject({ id: made.id, amount: '5', currency: 'USD', status: 'PENDING', invoiceNumber: 'INV-000001', dueDate: '2027-03-01' });
    for (const name of Object.keys(record)) expect(paymentContext.fields?.names).toContain(name);
    const other = await tenant();
    expect(await scopeToTenant(soshogle.db, other.user.userId).$transaction((tx) => paymentContext.load(tx, made.id))).toBeNull();
  });

  it('shows payments on the contact’s timeline, keeps them through a merge, and marks a paid invoice paid', async () => {
    const t = await tenant();
    const kept = await t.contact('Eve');
    const merged = await t.contact('Evie');
    const made = await expectJson<{ id: string; payUrl: string; invoiceId: string }>(
      await t.api('POST', '/api/payments/payments', { contactId: merged, lines: [{ description: 'Crown', quantity: 1, unitAmount: '900' }] }),
      201,
    );
    const timeline = await expectJson<{ items: { source: string; title: string; link: string; data: { status: string } }[] }>(await t.api('GET', `/api/contacts/${merged}/timeline`), 200);
    expect(timeline.items.find((e) => e.source === 'payments.payments')).toMatchObject({ title: 'Payment request: 900 USD — Invoice INV-000001 (waiting)', link: `/payments/${made.id}`, data: { status: 'PENDING' } });

    await expectJson(await t.api('POST', '/api/crm/contacts/merge', { keepId: kept, mergeId: merged }), 200);
    expect(await soshogle.db.payment.findUnique({ where: { id: made.id } })).toMatchObject({ contactId: kept });
    expect(await soshogle.db.invoice.findUnique({ where: { id: made.invoiceId } })).toMatchObject({ contactId: kept });

    const token = made.payUrl.split('/pay/')[1]!;
    const paid = await fetch(`${soshogle.url}/api/payments/public/pay/${token}/sandbox`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: 'succeed' }) });
    expect(paid.status).toBe(200);
    expect(await soshogle.db.invoice.findUnique({ where: { id: made.invoiceId } })).toMatchObject({ status: 'PAID' });
  });
});
