// A visitor's answers checked against the version of the form they loaded. PURE (zod only):
// the public page runs the same rules before sending, the API again on receipt, so the two
// never disagree. Answers to fields the form does not have are dropped; empty optional
// answers are left out; each failure names `answers.<key>`.
import { z } from 'zod';
import { utmKeys, type FormDefinition, type FormField, type UtmKey } from './definition.ts';

/** What a stored answer is: text, the options ticked, or a checkbox. */
export type Answer = string | string[] | boolean;
export type Answers = Record<string, Answer>;

const emailShape = z.email({ message: 'Enter a valid email address' });
/** Digits with the usual separators, an optional leading +; 6 to 15 digits (E.164's most). */
const phoneShape = /^\+?[\d\s().-]+$/;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function realDate(text: string): boolean {
  if (!isoDate.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

const maxLength = (type: FormField['type']) => (type === 'textarea' ? 5000 : type === 'hidden' ? 2000 : 500);

/** Empty text counts as not answered. */
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

function fieldSchema(field: FormField): z.ZodType<Answer | undefined> {
  const required = `${field.label} is required`;
  const present = fieldValue(field);
  return z.unknown().transform((value, ctx): Answer | undefined => {
    if (field.type === 'checkbox') {
      const ticked = value === true || value === 'true' || value === 'on';
      if (field.required && !ticked) ctx.addIssue({ code: 'custom', message: required });
      return ticked;
    }
    if (blank(value)) {
      if (field.required) ctx.addIssue({ code: 'custom', message: required });
      return undefined;
    }
    const parsed = present.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
      return z.NEVER;
    }
    return parsed.data;
  });
}

/** The schema of one answered field. */
function fieldValue(field: FormField): z.ZodType<Answer> {
  const text = z.string({ message: 'Expected text' }).trim().max(maxLength(field.type), `At most ${maxLength(field.type)} characters`);
  const options = field.options ?? [];
  switch (field.type) {
    case 'email':
      return text.toLowerCase().pipe(emailShape);
    case 'phone':
      return text.refine((v) => {
        const digits = v.replace(/\D/g, '').length;
        return phoneShape.test(v) && digits >= 6 && digits <= 15;
      }, 'Enter a valid phone number');
    case 'select':
      return text.refine((v) => options.includes(v), `Choose one of: ${options.join(', ')}`);
    case 'multi_select':
      return z
        .array(z.string({ message: 'Expected a list of options' }).trim(), { message: 'Expected a list of options' })
        .max(options.length)
        .transform((list) => [...new Set(list)])
        .refine((list) => list.every((v) => options.includes(v)), `Choose among: ${options.join(', ')}`);
    case 'date':
      return text.refine(realDate, 'Enter a date as YYYY-MM-DD');
    default:
      return text;
  }
}

/** The answers `definition` accepts, as a zod schema (unknown keys dropped, blanks left out). */
function answersSchema(definition: Pick<FormDefinition, 'fields'>) {
  const shape = Object.fromEntries(definition.fields.map((f) => [f.key, fieldSchema(f)]));
  // Every field is looked at, answered or not (a missing key is a blank answer).
  const everyKey = (given: unknown) => {
    const answers = given && typeof given === 'object' && !Array.isArray(given) ? (given as Record<string, unknown>) : {};
    return Object.fromEntries(definition.fields.map((f) => [f.key, answers[f.key] ?? null]));
  };
  return z
    .preprocess(everyKey, z.object(shape))
    .transform((parsed) => Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined)) as Answers);
}

// A definition's schema, made once per definition object (a stored version's is one object
// for as long as the process caches it): building a zod schema costs more than using it.
const schemas = new WeakMap<Pick<FormDefinition, 'fields'>, ReturnType<typeof answersSchema>>();

function schemaOf(definition: Pick<FormDefinition, 'fields'>) {
  let schema = schemas.get(definition);
  if (!schema) schemas.set(definition, (schema = answersSchema(definition)));
  return schema;
}

type CheckedAnswers = { ok: true; value: Answers } | { ok: false; errors: { field: string; message: string }[] };

/** The answers as stored, or every failure naming `answers.<key>`. */
export function checkAnswers(definition: Pick<FormDefinition, 'fields'>, answers: unknown): CheckedAnswers {
  const parsed = schemaOf(definition).safeParse(answers);
  if (parsed.success) return { ok: true, value: parsed.data };
  // One message per field (the first), as a form shows it beside the input.
  const errors = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const field = ['answers', ...issue.path.map(String)].join('.');
    if (!errors.has(field)) errors.set(field, issue.message);
  }
  return { ok: false, errors: [...errors].map(([field, message]) => ({ field, message })) };
}

/** Where the visitor sent the form from: the page's address and its utm_* parameters. */
export interface PageVisit {
  sourceUrl?: string | undefined;
  utm?: Partial<Record<UtmKey, string | undefined>> | undefined;
}

const isUtmKey = (source: string): source is UtmKey => (utmKeys as readonly string[]).includes(source);

/**
 * The values of the hidden fields `given` leaves empty: the page's utm_* parameter or
 * address the field names, else the fixed text the builder typed. The page and the API
 * both fill them so, and what the page sent is kept.
 */
export function hiddenAnswers(definition: Pick<FormDefinition, 'fields'>, visit: PageVisit, given: Record<string, unknown> = {}): Answers {
  const values: Answers = {};
  for (const field of definition.fields) {
    const answered = typeof given[field.key] === 'string' && given[field.key] !== '';
    if (field.type !== 'hidden' || !field.hiddenValue || answered) continue;
    const from = field.hiddenValue;
    const value = from === 'page_url' ? visit.sourceUrl : isUtmKey(from) ? visit.utm?.[from] : from;
    if (value) values[field.key] = value;
  }
  return values;
}
