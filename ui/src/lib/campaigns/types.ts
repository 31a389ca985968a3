// The campaigns screens' words for the campaigns API's answers (typed from its OpenAPI
// document), and the labels and helpers they share.
import type { Schema } from '../api.ts';

export type Campaign = Schema<'Campaign'>;
export type Metrics = Schema<'CampaignMetrics'>;
export type Recipient = Schema<'CampaignRecipient'>;
export type CampaignStatus = Campaign['status'];
export type CampaignType = Campaign['type'];
export type RecipientStatus = Recipient['status'];

export const recipientStatuses: RecipientStatus[] = ['QUEUED', 'SKIPPED', 'SENT', 'DELIVERED', 'OPENED', 'CLICKED', 'BOUNCED', 'FAILED', 'CANCELLED'];

export const statusLabel: Record<CampaignStatus, string> = { DRAFT: 'Draft', SCHEDULED: 'Scheduled', ACTIVE: 'Sending', COMPLETED: 'Completed', CANCELLED: 'Cancelled' };
export const statusClass: Record<CampaignStatus, string> = { DRAFT: '', SCHEDULED: 'accent', ACTIVE: 'warn', COMPLETED: 'ok', CANCELLED: 'danger' };
export const recipientClass: Record<RecipientStatus, string> = {
  QUEUED: '', SKIPPED: 'warn', SENT: 'accent', DELIVERED: 'ok', OPENED: 'ok', CLICKED: 'ok', BOUNCED: 'danger', FAILED: 'danger', CANCELLED: 'warn',
};
export const editable = (status: CampaignStatus) => status === 'DRAFT' || status === 'SCHEDULED';
export const titleCase = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();

/** Merge fields the templates know (Liquid, with the contact's fields). */
export const mergeFields = [
  ['{{ contact.firstName }}', 'First name'],
  ['{{ contact.lastName }}', 'Last name'],
  ['{{ contact.email }}', 'Email'],
  ['{{ contact.phone }}', 'Phone'],
  ['{{ contact.company }}', 'Company'],
  ['{{ contact.firstName | default: "there" }}', 'First name, or "there"'],
] as const;

export type { PickedContact } from '../components/contacts.ts';
