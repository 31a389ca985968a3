// What a form is: its fields, what each maps to on the contact, its tags, its consent
// checkbox and what the visitor sees after sending. PURE (zod only, no node imports): the
// admin UI imports it as `@soshogle/plugin-forms/definition` and checks a draft with the
// same rules as the API.
import { z } from 'zod';

export const fieldTypes = ['text', 'textarea', 'email', 'phone', 'select', 'multi_select', 'checkbox', 'date', 'hidden'] as const;
export type FieldType = (typeof fieldTypes)[number];

/** The contact's own fields a form field may fill (the CRM's names); anything else maps to a custom field. */
export const contactFieldNames = ['firstName', 'lastName', 'email', 'phone', 'company'] as const;
export type ContactFieldName = (typeof contactFieldNames)[number];

/** The page's utm_* parameters a submission keeps. */
export const utmKeys = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
export type UtmKey = (typeof utmKeys)[number];

/** What a hidden field is filled with from the page: a utm_* parameter, the page's url, or (anything else) a fixed text. */
export const hiddenSources = [...utmKeys, 'page_url'] as const;

/** Whether a field of `type` may fill the contact's `contactField`: email from an email field, phone from a phone field, never a tick box. */
export function canFill(type: FieldType, contactField: ContactFieldName): boolean {
  if (type === 'multi_select' || type === 'checkbox') return false;
  if (contactField === 'email') return type === 'email';
  if (contactField === 'phone') return type === 'phone';
  return true;
}

export const fieldKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'Lower-case letters, digits and _, starting with a letter (at most 40)');

const mapsTo = z.union([
  z.object({ contact: z.enum(contactFieldNames) }).strict(),
  z.object({ customField: z.string().trim().min(1).max(100) }).strict(),
]);
type MapsTo = z.output<typeof mapsTo>;

/** The contact's field `field` fills, if it fills one of them. */
export const contactFieldOf = (field: { mapsTo?: MapsTo | undefined }): ContactFieldName | undefined =>
  field.mapsTo && 'contact' in field.mapsTo ? field.mapsTo.contact : undefined;

/** What a field fills, as one word: `contact:email` or `custom:plan` (two fields may not fill the same). */
export const mapsToTarget = (to: MapsTo) => ('contact' in to ? `contact:${to.contact}` : `custom:${to.customField}`);

const cannotFill = (type: FieldType, contact: ContactFieldName) =>
  contact === 'email' ? "The contact's email comes from an email field"
  : contact === 'phone' ? "The contact's phone comes from a phone field"
  : `A ${type} field cannot fill the contact's ${contact}`;

export const formField = z
  .object({
    key: fieldKey,
    type: z.enum(fieldTypes),
    label: z.string().trim().min(1).max(200),
    help: z.string().max(500).optional(),
    required: z.boolean().default(false),
    placeholder: z.string().max(200).optional(),
    options: z.array(z.string().trim().min(1).max(200)).min(1).max(100).optional(),
    mapsTo: mapsTo.optional(),
    hiddenValue: z.string().max(500).optional(),
  })
  .superRefine((f, ctx) => {
    const choice = f.type === 'select' || f.type === 'multi_select';
    if (choice && !f.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'A choice field needs its options' });
    if (!choice && f.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Only select and multi_select fields have options' });
    if (f.options && new Set(f.options.map((o) => o.toLowerCase())).size !== f.options.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'Options must be unique' });
    }
    if (f.hiddenValue !== undefined && f.type !== 'hidden') ctx.addIssue({ code: 'custom', path: ['hiddenValue'], message: 'Only hidden fields have a hidden value' });
    const contact = contactFieldOf(f);
    if (contact && !canFill(f.type, contact)) ctx.addIssue({ code: 'custom', path: ['mapsTo'], message: cannotFill(f.type, contact) });
  });
export type FormField = z.output<typeof formField>;

export const formAfter = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), message: z.string().trim().min(1).max(2000) }),
  z.object({ kind: z.literal('redirect'), url: z.url({ protocol: /^https?$/, message: 'An http(s) address' }).max(2000) }),
]);

export const formConsent = z.object({
  email: z.boolean(),
  sms: z.boolean(),
  wording: z.string().trim().min(1).max(1000),
});

export const formDefinition = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    fields: z.array(formField).min(1).max(50),
    submitLabel: z.string().trim().min(1).max(50).default('Submit'),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
    consent: formConsent.optional(),
    after: formAfter.default({ kind: 'message', message: 'Thank you!' }),
  })
  .superRefine((d, ctx) => {
    const seen = new Map<string, number>();
    d.fields.forEach((f, i) => {
      if (seen.has(f.key)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'key'], message: `Another field already has the key "${f.key}"` });
      seen.set(f.key, i);
    });
    const mapped = new Map<string, number>();
    d.fields.forEach((f, i) => {
      if (!f.mapsTo) return;
      const target = mapsToTarget(f.mapsTo);
      if (mapped.has(target)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'mapsTo'], message: 'Another field already fills this' });
      mapped.set(target, i);
    });
    if (!mapped.has('contact:email') && !mapped.has('contact:phone')) {
      ctx.addIssue({ code: 'custom', path: ['fields'], message: "At least one email or phone field must fill the contact's email or phone" });
    }
    if (d.consent && d.consent.email === d.consent.sms && !d.consent.email) {
      ctx.addIssue({ code: 'custom', path: ['consent'], message: 'Consent is for email, SMS or both' });
    }
  });
/** A definition as stored (defaults filled). */
export type FormDefinition = z.output<typeof formDefinition>;
/** A definition as written (defaults may be left out). */
export type FormDefinitionInput = z.input<typeof formDefinition>;

/** The definition a new form starts with: a name and an email. */
export function starterDefinition(title: string): FormDefinition {
  return {
    title,
    fields: [
      { key: 'first_name', type: 'text', label: 'First name', required: true, mapsTo: { contact: 'firstName' } },
      { key: 'email', type: 'email', label: 'Email', required: true, mapsTo: { contact: 'email' } },
    ],
    submitLabel: 'Submit',
    tags: [],
    after: { kind: 'message', message: 'Thank you! We will be in touch.' },
  };
}

/** The short name the UI uses. */
export type Definition = FormDefinition;
