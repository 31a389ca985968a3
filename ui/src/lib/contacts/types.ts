// The CRM's shapes as the contacts screens read them from /api/crm.

import type { Page } from '../api.ts';
export interface Contact {
  id: string;
  firstName: string;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  tags: string[];
  source: string | null;
  customFields: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export type ContactPage = Page<Contact>;

export interface Tag {
  id: string;
  name: string;
  color: string | null;
  contacts?: number;
}

export type CustomFieldType = 'TEXT' | 'NUMBER' | 'DATE' | 'SELECT' | 'MULTI_SELECT' | 'BOOLEAN';
export interface CustomField {
  id: string;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
}

export interface ContactFilter {
  q?: string;
  tagsAny?: string[];
  tagsAll?: string[];
  tagsNone?: string[];
  source?: string;
  createdAfter?: string;
  createdBefore?: string;
  updatedAfter?: string;
  updatedBefore?: string;
}

export interface SmartList {
  id: string;
  name: string;
  filter: ContactFilter;
}

export type SortField = 'createdAt' | 'updatedAt' | 'firstName';

export interface CrmJob {
  id: string;
  kind: 'BULK_ACTION' | 'CONTACT_IMPORT' | 'LEAD_SEARCH';
  status: 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  total: number | null;
  processed: number;
  succeeded: number;
  failed: number;
  result: Record<string, number> | null;
  error: string | null;
}

export interface JobError {
  item: number;
  field: string | null;
  message: string;
}

export interface TimelineEntry {
  id: string;
  kind: string;
  at: string;
  title: string;
  body?: string;
  link?: string | null;
  source: string;
  data?: Record<string, unknown>;
}

export interface DealCard {
  id: string;
  title: string;
  value: string;
  currency: string;
  stage: string;
  probability: number;
}

export const fullName = (c: Pick<Contact, 'firstName' | 'lastName'>) => [c.firstName, c.lastName].filter(Boolean).join(' ');
