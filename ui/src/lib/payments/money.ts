// Money as the payments API sends it: a decimal string in the currency's major unit
// ("49.90"), shown and multiplied exactly (never through a float, so 0.1 × 3 is 0.30).

/** "$49.90", "¥5,000", "KWD 1.250": the string formatted as is, with its currency's own decimals. */
export function moneyLabel(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount as Intl.StringNumericLiteral);
  } catch {
    return `${amount} ${currency}`; // a code the browser does not know
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
