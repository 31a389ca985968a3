// The editor's copy of a campaign's content, and what a save sends.
import type { Campaign, CampaignType } from './types.ts';

export interface CampaignForm {
  name: string;
  type: CampaignType;
  targetTags: string[];
  smartListId: string | null;
  subject: string;
  message: string;
  html: string;
}

export const formOf = (c: Campaign): CampaignForm => ({
  name: c.name,
  type: c.type,
  targetTags: [...c.targetTags],
  smartListId: c.smartListId,
  subject: c.subject ?? '',
  message: c.message,
  html: c.html ?? '',
});

/** The PATCH body: an SMS has no subject or HTML; empty ones are none, so the API names what is missing. */
export const bodyOf = (f: CampaignForm) => ({
  name: f.name,
  type: f.type,
  targetTags: f.targetTags,
  smartListId: f.smartListId,
  subject: f.type === 'EMAIL' ? f.subject.trim() || null : null,
  message: f.message,
  html: f.type === 'EMAIL' && f.html.trim() ? f.html : null,
});
