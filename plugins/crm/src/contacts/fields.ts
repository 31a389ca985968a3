// What a contact's fields may hold, and how they are written: phones in E.164, emails in
// lower case, tags trimmed and unique whatever their case, custom fields checked against
// the tenant's definitions. One schema serves the API, the CSV import and lead conversion.
import type { CustomField } from '@soshogle/db';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import { uniqueTags } from '../tags/spelling.ts';

export const tagName = z.string().trim().min(1).max(50);

/** Phone numbers as E.164 ("+15125550100"); `country` applies to numbers without a + prefix. */
export function normalisePhone(value: string, country: string): string | null {
  const parsed = parsePhoneNumberFromString(value, country as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

const email = z
  .string()
  .trim()
  .max(254)
  .transform((v) => v.toLowerCase())
  .pipe(z.email({ message: 'Not a valid email address' }));

const byCountry = new Map<string, ReturnType<typeof makeContactFields>>();

/**
 * The editable fields of a contact; `partial` for updates. Made once per country: zod 4
 * builds and compiles a schema on first use, which cost more than the checking itself
 * when it was made for every contact of a batch.
 */
export function contactFields(country: string) {
  let schema = byCountry.get(country);
  if (!schema) byCountry.set(country, (schema = makeContactFields(country)));
  return schema;
}

function makeContactFields(country: string) {
  const phone = z
    .string()
    .trim()
    .max(40)
    .transform((value, ctx) => {
      const e164 = normalisePhone(value, country);
      if (!e164) {
        ctx.addIssue({ code: 'custom', message: `Not a valid phone number (numbers without +country code are read as ${country})` });
        return z.NEVER;
      }
      return e164;
    });
  const optionalText = (max: number) =>
    z
      .string()
      .trim()
      .max(max)
      .transform((v) => v || null)
      .nullish();
  return z.object({
    firstName: z.string().trim().min(1).max(100),
    lastName: optionalText(100),
    email: z.union([z.literal('').transform(() => null), email]).nullish(),
    phone: z.union([z.literal('').transform(() => null), phone]).nullish(),
    company: optionalText(200),
    tags: z
      .array(tagName)
      .max(100)
      // Case repeats too: "VIP" and "vip" are one tag (tags/spelling.ts).
      .transform(uniqueTags),
    source: optionalText(50),
    customFields: z.record(z.string(), z.unknown()),
  });
}
export type ContactFields = z.output<ReturnType<typeof contactFields>>;

/** A contact as text cells, the way a CSV row gives it (fields not in the file are absent). */
export interface ContactCells {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  company?: string;
  source?: string;
  tags: string[];
  customFields: Record<string, string>;
}

const textLimits = { lastName: 100, company: 200, source: 50 } as const;

/**
 * contactFields(country) for text cells, without zod, for values the schema takes as they are:
 * what the schema outputs for them, or null for anything else, which the caller then checks
 * with the schema (for its messages). The CSV import checks every row of a file: zod's
 * object, union and pipe handling cost it more than the checks themselves. Same limits,
 * same trimming, same email pattern (read from the schema), same phone rule; a test
 * compares the two on hundreds of values.
 */
export function contactCellsChecker(country: string): (cells: ContactCells) => ContactFields | null {
  const emailPattern = z.email()._zod.def.pattern!;
  return (cells) => {
    const out: ContactFields = { firstName: '', tags: [], customFields: cells.customFields };
    if (cells.firstName === undefined) return null;
    const firstName = cells.firstName.trim();
    if (!firstName || firstName.length > 100) return null;
    out.firstName = firstName;
    for (const field of ['lastName', 'company', 'source'] as const) {
      const cell = cells[field];
      if (cell === undefined) continue;
      const value = cell.trim();
      if (value.length > textLimits[field]) return null;
      out[field] = value || null;
    }
    if (cells.email !== undefined) {
      if (cells.email === '') out.email = null;
      else {
        const trimmed = cells.email.trim();
        const email = trimmed.toLowerCase();
        if (trimmed.length > 254 || !emailPattern.test(email)) return null;
        out.email = email;
      }
    }
    if (cells.phone !== undefined) {
      if (cells.phone === '') out.phone = null;
      else {
        const trimmed = cells.phone.trim();
        const phone = trimmed.length > 40 ? null : normalisePhone(trimmed, country);
        if (!phone) return null;
        out.phone = phone;
      }
    }
    if (cells.tags.length > 100) return null;
    const tags: string[] = [];
    for (const tag of cells.tags) {
      const trimmed = tag.trim();
      if (!trimmed || trimmed.length > 50) return null;
      tags.push(trimmed);
    }
    out.tags = uniqueTags(tags);
    return out;
  };
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Checks custom field values against the tenant's definitions and returns them in their
 * stored form (numbers as numbers, dates as YYYY-MM-DD). `null` clears a value.
 * `merged` is the full set after the write, for the required check.
 */
export function checkCustomFields(
  values: Record<string, unknown>,
  definitions: Pick<CustomField, 'key' | 'label' | 'type' | 'options' | 'required'>[],
  merged: Record<string, unknown> = values,
): { values: Record<string, unknown>; problems: FieldProblem[] } {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const out: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const field = `customFields.${key}`;
    const definition = byKey.get(key);
    if (!definition) {
      problems.push({ field, message: 'No such custom field; define it first' });
      continue;
    }
    if (raw === null || raw === '') {
      out[key] = null;
      continue;
    }
    const parsed = parseValue(definition, raw);
    if (parsed.ok) out[key] = parsed.value;
    else problems.push({ field, message: parsed.message });
  }
  for (const definition of definitions) {
    if (!definition.required) continue;
    const value = key(definition.key, out, merged);
    if (value === undefined || value === null || (Array.isArray(value) && !value.length)) {
      problems.push({ field: `customFields.${definition.key}`, message: `${definition.label} is required` });
    }
  }
  return { values: out, problems };
}

function key(k: string, written: Record<string, unknown>, merged: Record<string, unknown>) {
  return k in written ? written[k] : merged[k];
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function parseValue(definition: Pick<CustomField, 'type' | 'options'>, raw: unknown): Parsed {
  switch (definition.type) {
    case 'TEXT':
      return typeof raw === 'string' && raw.length <= 2000 ? { ok: true, value: raw.trim() } : { ok: false, message: 'Expected text (at most 2000 characters)' };
    case 'NUMBER': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: 'Expected a number' };
    }
    case 'DATE': {
      const text = typeof raw === 'string' ? raw.trim() : '';
      const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : null;
      return date && !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text)
        ? { ok: true, value: text }
        : { ok: false, message: 'Expected a date as YYYY-MM-DD' };
    }
    case 'BOOLEAN': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      if (['true', 'yes', '1'].includes(text)) return { ok: true, value: true };
      if (['false', 'no', '0'].includes(text)) return { ok: true, value: false };
      return { ok: false, message: 'Expected true or false' };
    }
    case 'SELECT':
      return typeof raw === 'string' && definition.options.includes(raw.trim())
        ? { ok: true, value: raw.trim() }
        : { ok: false, message: `Expected one of: ${definition.options.join(', ')}` };
    case 'MULTI_SELECT': {
      const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[;|]/) : null;
      const values = list?.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '');
      return values && values.every((v) => typeof v === 'string' && definition.options.includes(v))
        ? { ok: true, value: [...new Set(values)] }
        : { ok: false, message: `Expected a list of: ${definition.options.join(', ')}` };
    }
  }
}
