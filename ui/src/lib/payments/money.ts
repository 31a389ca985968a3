// Money as the payments API sends it: a decimal string in the currency's major unit
// ("49.90"), shown and multiplied exactly (never through a float, so 0.1 × 3 is 0.30).

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

/** An invoice line's total, `unitAmount × quantity`, as a decimal string with the unit's decimals. */
export function lineTotal(unitAmount: string, quantity: number): string {
  const negative = unitAmount.startsWith('-');
  const [whole = '0', fraction = ''] = unitAmount.replace(/^[-+]/, '').split('.');
  const total = BigInt(`${whole}${fraction}`) * BigInt(quantity);
  const digits = total.toString().padStart(fraction.length + 1, '0');
  const cut = digits.length - fraction.length;
  return `${negative ? '-' : ''}${digits.slice(0, cut)}${fraction ? `.${digits.slice(cut)}` : ''}`;
}
