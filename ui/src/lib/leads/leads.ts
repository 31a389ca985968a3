// Leads as the leads plugin's API returns them, and the words the screens use for their statuses.

export const leadStatuses = ['NEW', 'CONTACTED', 'QUALIFIED', 'CONVERTED', 'REJECTED'] as const;
export type LeadStatus = (typeof leadStatuses)[number];
/** CONVERTED is reached only by converting a lead, never chosen. */
export const settableStatuses = leadStatuses.filter((s) => s !== 'CONVERTED');

export const statusLabel: Record<LeadStatus, string> = {
  NEW: 'New',
  CONTACTED: 'Contacted',
  QUALIFIED: 'Qualified',
  CONVERTED: 'Converted',
  REJECTED: 'Rejected',
};

export interface Lead {
  id: string;
  businessName: string;
  address: string;
  city: string;
  state: string;
  zipCode: string;
  country: string;
  phone: string | null;
  website: string | null;
  email: string | null;
  rating: number | null;
  reviewCount: number | null;
  category: string;
  googlePlaceId: string | null;
  status: LeadStatus;
  source: string;
  createdAt: string;
  updatedAt: string;
}

export interface SearchJob {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  total: number | null;
  processed: number;
  succeeded: number;
  failed: number;
  result: { sandbox: boolean; pages: number; created: number; updated: number; skipped: number; done: boolean } | null;
  error: string | null;
}

export const finished = (job: SearchJob) => job.status === 'COMPLETED' || job.status === 'FAILED';

/** What converting a lead made. */
export interface Conversion {
  contact: { id: string; firstName: string | null; lastName: string | null };
  deal: { id: string; title: string } | null;
  lead: Lead;
}
