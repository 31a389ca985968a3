// The contact list's columns: which exist (custom fields included), which are shown
// (the user's choice, kept in this browser), and which sort on the server.
import { format } from '../resource.svelte.ts';
import type { Contact, CustomField, SortField } from './types.ts';

export interface Column {
  key: string;
  label: string;
  sort?: SortField;
  value: (c: Contact) => string;
}

export const baseColumns: Column[] = [
  { key: 'email', label: 'Email', value: (c) => c.email ?? '' },
  { key: 'phone', label: 'Phone', value: (c) => c.phone ?? '' },
  { key: 'company', label: 'Company', value: (c) => c.company ?? '' },
  { key: 'tags', label: 'Tags', value: (c) => c.tags.join(', ') },
  { key: 'source', label: 'Source', value: (c) => c.source ?? '' },
  { key: 'createdAt', label: 'Created', sort: 'createdAt', value: (c) => format.date(c.createdAt) },
  { key: 'updatedAt', label: 'Updated', sort: 'updatedAt', value: (c) => format.date(c.updatedAt) },
];

export const defaultColumns = ['email', 'phone', 'company', 'tags', 'createdAt'];

export function customColumns(fields: CustomField[]): Column[] {
  return fields.map((f) => ({
    key: `cf.${f.key}`,
    label: f.label,
    value: (c: Contact) => {
      const v = c.customFields?.[f.key];
      return v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v);
    },
  }));
}

const storageKey = 'soshogle.contacts.columns';

export function loadChosen(): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as unknown;
    if (Array.isArray(saved) && saved.every((k) => typeof k === 'string')) return saved;
  } catch {
    // A broken saved value: the defaults.
  }
  return [...defaultColumns];
}

export function saveChosen(keys: string[]): void {
  try {
    localStorage.setItem(storageKey, JSON.stringify(keys));
  } catch {
    // Private mode or full storage: the choice lasts this visit only.
  }
}
