// The leads screens' words for the leads API's answers (typed from its OpenAPI document),
// and for their statuses.
import type { Schema } from '../api.ts';

export type Lead = Schema<'Lead'>;
export type SearchJob = Schema<'LeadSearch'>;
export type Conversion = Schema<'LeadConversion'>;
export type LeadStatus = Lead['status'];

export const leadStatuses: LeadStatus[] = ['NEW', 'CONTACTED', 'QUALIFIED', 'CONVERTED', 'REJECTED'];
/** CONVERTED is reached only by converting a lead, never chosen. */
export const settableStatuses = leadStatuses.filter((s) => s !== 'CONVERTED');

export const statusLabel: Record<LeadStatus, string> = {
  NEW: 'New',
  CONTACTED: 'Contacted',
  QUALIFIED: 'Qualified',
  CONVERTED: 'Converted',
  REJECTED: 'Rejected',
};

export const finished = (job: SearchJob) => job.status === 'COMPLETED' || job.status === 'FAILED';
