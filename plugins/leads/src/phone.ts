// Phones of leads as E.164, the form the CRM stores too. Same metadata as the CRM's
// (`max`), so a number the lead keeps is one conversion keeps.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** "+15125550100", or null for a number that is not valid; `country` applies to numbers without a + prefix. */
export function toE164(value: string, country: string): string | null {
  const parsed = parsePhoneNumberFromString(value, country as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}
