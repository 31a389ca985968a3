// Payment requests: the one way a payment comes to be (API, UI, a workflow, the inbox's
// text-to-pay, a booking that requires payment). An amount with a description, or an
// invoice's numbered lines with a due date; either way one Payment whose pay page link
// goes to the contact. Providers are asked nothing here: the pay page makes the
// provider's checkout when the payer opens it.
import { randomBytes } from 'node:crypto';
import { invalid, tenantSql, type TenantContext, type TenantTx } from '@soshogle/core';
import type { Invoice, InvoiceLine, Payment, PaymentProvider } from '@soshogle/db';
import { currencyPattern, fromMinor, MoneyError, toMinor } from './money.ts';

export interface RequestLine {
  description: string;
  quantity: number;
  /** Decimal string in the currency's major unit. */
  unitAmount: string;
}

export interface PaymentRequestInput {
  contactId?: string | null;
  currency: string;
  /** The amount (decimal string), or `lines` (an invoice): exactly one of the two. */
  amount?: string | null;
  lines?: RequestLine[] | null;
  description?: string | null;
  /** An invoice's due date (YYYY-MM-DD). */
  dueDate?: string | null;
  memo?: string | null;
  /** The link stops taking payments after this. */
  expiresAt?: Date | null;
  /** API, UI, WORKFLOW, INBOX, BOOKING. */
  source: string;
  /** Idempotency: the same key for the tenant gives back the same payment. */
  key?: string | null;
  /** What another plugin asked it for (`calendar.appointment:<id>`): carried in the payment events. */
  reference?: string | null;
  /** Where the field names in errors start (`body.`, `props.`). */
  fieldPrefix?: string;
}

export interface PaymentRequest {
  payment: Payment;
  invoice: (Invoice & { lines: InvoiceLine[] }) | null;
  /** The pay page's public address, to send to the contact. */
  url: string;
}

type Ctx = Pick<TenantContext, 'publicUrl' | 'providers' | 'tenantId'>;

/** The pay page's path: the UI serves /pay/:token. */
export const payPath = (token: string) => `/pay/${token}`;

/**
 * Makes a payment request in `tx`: checks the money (422 naming the field), numbers the
 * invoice (per tenant, gapless in creation order), and records which provider will take
 * it: the one the tenant connected, or sandbox mode (STRIPE, simulated) without one.
 */
export async function createPaymentRequest(ctx: Ctx, tx: TenantTx, input: PaymentRequestInput): Promise<PaymentRequest> {
  const prefix = input.fieldPrefix ?? '';
  if (input.key) {
    const existing = await tx.payment.findFirst({ where: { key: input.key }, include: { invoice: { include: { lines: { orderBy: { position: 'asc' } } } } } });
    if (existing) return { payment: existing, invoice: existing.invoice, url: ctx.publicUrl(payPath(existing.payToken)) };
  }
  const currency = input.currency.toUpperCase();
  if (!currencyPattern.test(currency)) throw invalid(`${prefix}currency`, 'Use a three-letter ISO 4217 code, e.g. USD');
  const hasLines = !!input.lines && input.lines.length > 0;
  if (hasLines === !!input.amount) throw invalid(`${prefix}amount`, 'Give either an amount or invoice lines, not both');

  let amountMinor: number;
  let lines: { position: number; description: string; quantity: number; unitAmount: string }[] = [];
  if (hasLines) {
    lines = input.lines!.map((line, i) => ({
      position: i + 1,
      description: line.description,
      quantity: line.quantity,
      unitAmount: fromMinor(money(line.unitAmount, currency, `${prefix}lines.${i}.unitAmount`, true), currency),
    }));
    amountMinor = lines.reduce((sum, l) => sum + toMinorOrZero(l.unitAmount, currency) * l.quantity, 0);
    if (amountMinor <= 0) throw invalid(`${prefix}lines`, 'The invoice’s total must be more than zero');
    if (!Number.isSafeInteger(amountMinor)) throw invalid(`${prefix}lines`, 'The invoice’s total is too large');
  } else {
    amountMinor = money(input.amount!, currency, `${prefix}amount`, false);
  }
  const amount = fromMinor(amountMinor, currency);

  const connected = await ctx.providers.get('payments.checkout', { tx });
  const provider: PaymentProvider = connected?.service.provider ?? 'STRIPE';

  let invoice: PaymentRequest['invoice'] = null;
  if (hasLines) {
    const number = await nextInvoiceNumber(tx, ctx.tenantId);
    const made = await tx.invoice.create({
      data: {
        userId: ctx.tenantId, contactId: input.contactId ?? null, number, currency, total: amount,
        dueDate: input.dueDate ? new Date(`${input.dueDate}T00:00:00Z`) : null, memo: input.memo ?? null,
      },
    });
    const rows = await tx.invoiceLine.createManyAndReturn({ data: lines.map((l) => ({ ...l, userId: ctx.tenantId, invoiceId: made.id })) });
    invoice = { ...made, lines: rows.sort((a, b) => a.position - b.position) };
  }
  const payment = await tx.payment.create({
    data: {
      userId: ctx.tenantId, contactId: input.contactId ?? null, invoiceId: invoice?.id ?? null,
      amount, currency, description: input.description ?? (invoice ? `Invoice ${invoiceLabel(invoice.number)}` : null),
      provider, sandbox: !connected, payToken: randomBytes(24).toString('base64url'),
      expiresAt: input.expiresAt ?? null, source: input.source, key: input.key ?? null,
      reference: input.reference ?? null,
    },
  });
  return { payment, invoice, url: ctx.publicUrl(payPath(payment.payToken)) };
}

/** INV-000123. */
export const invoiceLabel = (number: number) => `INV-${String(number).padStart(6, '0')}`;

// Gapless per tenant in creation order: concurrent requests take turns on a per-tenant
// transaction lock, then read the highest number (the rollback of a loser frees nothing).
async function nextInvoiceNumber(tx: TenantTx, tenantId: string): Promise<number> {
  const t = tenantSql(tenantId);
  await tx.$executeRaw(t`select pg_advisory_xact_lock(hashtext('payments.invoice_number'), hashtext(${t.id}))`);
  const [row] = await tx.$queryRaw<{ max: number | null }[]>(t`select max(number) as max from "Invoice" where ${t.owns()}`);
  return (row?.max ?? 0) + 1;
}

function money(value: string, currency: string, field: string, zeroAllowed: boolean): number {
  if (zeroAllowed && /^0+(\.0+)?$/.test(value.trim())) return 0;
  try {
    return toMinor(value, currency);
  } catch (error) {
    if (error instanceof MoneyError) throw invalid(field, error.message);
    throw error;
  }
}

const toMinorOrZero = (value: string, currency: string) => (/^0+(\.0+)?$/.test(value) ? 0 : toMinor(value, currency));
