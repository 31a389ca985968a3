// Money as the payments API sends it: a decimal string in the currency's major unit
// ("49.90"), shown, multiplied and subtracted exactly in minor units (never through a
// float, so 0.1 × 3 is 0.30).

/**
 * "$49.90", "¥5,000", "KWD 1.250": the string formatted as is (never through a float), with
 * every decimal its currency has, so cents are never rounded away.
 */
export function moneyLabel(amount: string | number | null | undefined, currency: string): string {
  const exact = String(amount ?? 0) as Intl.StringNumericLiteral;
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(exact);
  } catch {
    return `${exact} ${currency}`; // a code the browser does not know
  }
}

/** How many decimals the currency's minor unit has, as the browser knows it (USD 2, JPY 0). */
export function decimalsOf(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** A decimal string in minor units, exactly ("10.5", 2 -> 1050). */
function minor(amount: string, decimals: number): bigint {
  const [whole = '0', fraction = ''] = amount.replace(/^[-+]/, '').split('.');
  const units = BigInt(whole + fraction.padEnd(decimals, '0').slice(0, decimals));
  return amount.startsWith('-') ? -units : units;
}

/** Minor units back as a decimal string (1050, 2 -> "10.50"). */
function major(units: bigint, decimals: number): string {
  const text = (units < 0n ? -units : units).toString().padStart(decimals + 1, '0');
  return `${units < 0n ? '-' : ''}${decimals ? `${text.slice(0, -decimals)}.${text.slice(-decimals)}` : text}`;
}

/** An invoice line's total, `unitAmount × quantity`, as a decimal string with the unit's decimals ("0.10" × 3 -> "0.30"). */
export function lineTotal(unitAmount: string, quantity: number): string {
  const decimals = unitAmount.split('.')[1]?.length ?? 0;
  return major(minor(unitAmount, decimals) * BigInt(quantity), decimals);
}

/** What is still refundable of a payment, as a decimal string ("70.25"). */
export function leftToRefund(p: { amount: string; amountRefunded: string; currency: string }): string {
  const d = decimalsOf(p.currency);
  const left = minor(p.amount, d) - minor(p.amountRefunded, d);
  return major(left > 0n ? left : 0n, d);
}
