// The CRM's shapes as the contacts screens read them from /api/crm: named after the
// API's own schemas (generated into api-types.ts), so they follow the server.
import type { ItemOf, QueryOf, Reply, Schema } from '../api.ts';

export type Contact = Schema<'Contact'>;
export type ContactPage = Reply<'/crm/contacts'>;
/** A tag with its colour (and, when listed with counts, how many contacts carry it). */
export type Tag = Schema<'Tag'>;
export type CustomField = Schema<'CustomField'>;
export type CustomFieldType = CustomField['type'];
export type ContactFilter = Schema<'ContactFilter'>;
export type SmartList = Schema<'SmartList'>;
export type SortField = NonNullable<QueryOf<'/crm/contacts'>['sort']>;
export type CrmJob = Schema<'CrmJob'>;
export type JobError = Schema<'CrmJobError'>;
export type TimelineEntry = ItemOf<'/contacts/{id}/timeline'>;
export type DealCard = Schema<'DealCard'>;

export const fullName = (c: Pick<Contact, 'firstName' | 'lastName'>) => [c.firstName, c.lastName].filter(Boolean).join(' ');
