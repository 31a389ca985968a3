// Money is exact: amounts are decimal strings in the currency's major unit ("10.50" USD),
// stored as Decimal, and never finer than the currency's minor unit. Providers take
// integer minor units (1050); the conversion is string arithmetic, never a float.

/** ISO 4217 currencies whose minor unit is not 1/100 (all others have 2 decimals). */
const exponents: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

/** How many decimals the currency's minor unit has (USD 2, JPY 0, KWD 3). */
export function exponentOf(currency: string): number {
  return exponents[currency.toUpperCase()] ?? 2;
}

/** Upper-case ISO 4217 code: three letters. */
export const currencyPattern = /^[A-Z]{3}$/;

/** The largest amount we take, in minor units: far below 2^53, and below every provider's cap. */
export const maxMinor = 99_999_999_99;

export class MoneyError extends Error {
  override name = 'MoneyError';
}

/**
 * A positive amount in `currency` as integer minor units: "10.5" USD -> 1050, "1000" JPY -> 1000.
 * Throws MoneyError for anything else (a float's noise, more decimals than the currency has,
 * zero or negative, too large), so a route answers 422 naming the field.
 */
export function toMinor(amount: string | number | { toString(): string }, currency: string): number {
  const text = typeof amount === 'number' ? String(amount) : amount.toString();
  const match = /^(\d{1,12})(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new MoneyError(`"${text}" is not an amount: use digits and at most one decimal point, e.g. 10.50`);
  const exponent = exponentOf(currency);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) {
    throw new MoneyError(exponent === 0 ? `${currency} has no minor unit: use a whole amount` : `${currency} has ${exponent} decimals at most`);
  }
  const minor = Number(match[1]!) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (minor <= 0) throw new MoneyError('The amount must be more than zero');
  if (minor > maxMinor) throw new MoneyError('The amount is too large');
  return minor;
}

/** Integer minor units back to the decimal string: 1050 USD -> "10.50", 1000 JPY -> "1000". */
export function fromMinor(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new MoneyError(`${minor} is not a count of minor units`);
  const exponent = exponentOf(currency);
  if (exponent === 0) return String(minor);
  const digits = String(minor).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Sums of minor units stay exact below 2^53; this checks it. */
export function addMinor(...amounts: number[]): number {
  const sum = amounts.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(sum)) throw new MoneyError('The sum is too large');
  return sum;
}
