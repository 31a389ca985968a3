// The builder's words for a form's pieces, and the few rules it needs beyond the definition
// schema (which the API applies again on save).
import { canFill, contactFieldOf, hiddenSources as sources } from '@soshogle/plugin-forms/definition';
import type { ContactField, FieldType, FormField } from './types.ts';

export { canFill, contactFieldOf, mapsToTarget } from '@soshogle/plugin-forms/definition';

export const fieldTypes: { value: FieldType; label: string }[] = [
  { value: 'text', label: 'Short text' },
  { value: 'textarea', label: 'Paragraph' },
  { value: 'email', label: 'Email' },
  { value: 'phone', label: 'Phone' },
  { value: 'select', label: 'Dropdown' },
  { value: 'multi_select', label: 'Checkboxes (several)' },
  { value: 'checkbox', label: 'Single checkbox' },
  { value: 'date', label: 'Date' },
  { value: 'hidden', label: 'Hidden' },
];
export const typeLabel = (t: FieldType) => fieldTypes.find((f) => f.value === t)?.label ?? t;
export const hasOptions = (t: FieldType) => t === 'select' || t === 'multi_select';

export const contactFields: { value: ContactField; label: string }[] = [
  { value: 'firstName', label: 'First name' },
  { value: 'lastName', label: 'Last name' },
  { value: 'email', label: 'Email' },
  { value: 'phone', label: 'Phone' },
  { value: 'company', label: 'Company' },
];

/** Where a hidden field's value can come from; anything else typed is a fixed value. */
export const hiddenSources = sources.map((value) => ({ value, label: value === 'page_url' ? 'The page address' : `${value} of the page` }));

/** A key for a new field from its label ("Your company" -> "your_company"), unique in the form. */
export function keyFor(label: string, taken: string[]): string {
  const base = (label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^[^a-z]+|_+$/g, '') || 'field').slice(0, 36);
  let key = base;
  for (let n = 2; taken.includes(key); n++) key = `${base}_${n}`;
  return key;
}

/** A fresh field of a type, with what that type needs (options for a dropdown; the contact's email or phone when no field fills it yet). */
export function newField(type: FieldType, fields: FormField[]): FormField {
  const label = type === 'hidden' ? 'Source' : typeLabel(type);
  const field: FormField = { key: keyFor(label, fields.map((f) => f.key)), type, label, required: false };
  applyType(field, type);
  const fills = (to: ContactField) => fields.some((f) => contactFieldOf(f) === to);
  if (type === 'email' && !fills('email')) field.mapsTo = { contact: 'email' };
  if (type === 'phone' && !fills('phone')) field.mapsTo = { contact: 'phone' };
  return field;
}

/**
 * Makes `field` one of `type`, with what that type needs: options for a choice (two to start
 * with when it has none), a hidden field's source (utm_source unless set), and no contact
 * field the type cannot fill.
 */
export function applyType(field: FormField, type: FieldType): void {
  field.type = type;
  if (!hasOptions(type)) delete field.options;
  else if (!field.options?.length) field.options = ['Option 1', 'Option 2'];
  if (type === 'hidden') field.hiddenValue ??= 'utm_source';
  else delete field.hiddenValue;
  const contact = contactFieldOf(field);
  if (contact && !canFill(type, contact)) delete field.mapsTo;
}

/** The array with the item at `from` moved to `to` (a new array, so the preview follows). */
export function moved<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length || from === to) return items;
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}
