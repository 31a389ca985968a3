// The campaigns screens' view of /api/campaigns.
export type CampaignStatus = 'DRAFT' | 'SCHEDULED' | 'ACTIVE' | 'COMPLETED' | 'CANCELLED';
export type CampaignType = 'EMAIL' | 'SMS';

export interface Metrics {
  recipients: number;
  queued: number;
  skipped: number;
  cancelled: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  bounced: number;
  failed: number;
  unsubscribed: number;
  deliveryRate: number;
  openRate: number;
  clickRate: number;
  bounceRate: number;
  unsubscribeRate: number;
}

export interface Campaign {
  id: string;
  name: string;
  type: CampaignType;
  status: CampaignStatus;
  targetTags: string[];
  smartListId: string | null;
  subject: string | null;
  message: string;
  html: string | null;
  scheduledAt: string | null;
  sentAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
  updatedAt: string;
  recipientCount: number;
  sentCount: number;
  deliveredCount: number;
  openCount: number;
  clickCount: number;
  failedCount: number;
  skippedCount: number;
  metrics?: Metrics;
}

export type RecipientStatus = 'QUEUED' | 'SKIPPED' | 'SENT' | 'DELIVERED' | 'OPENED' | 'CLICKED' | 'BOUNCED' | 'FAILED' | 'CANCELLED';
export const recipientStatuses: RecipientStatus[] = ['QUEUED', 'SKIPPED', 'SENT', 'DELIVERED', 'OPENED', 'CLICKED', 'BOUNCED', 'FAILED', 'CANCELLED'];

export interface Recipient {
  id: string;
  contactId: string;
  messageId: string | null;
  status: RecipientStatus;
  reason: string | null;
  sendAfter: string | null;
  queuedAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  openedAt: string | null;
  clickedAt: string | null;
  contact: { id: string; firstName: string | null; lastName: string | null; email: string | null; phone: string | null } | null;
}

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
