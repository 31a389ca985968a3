// Campaigns: an email or SMS to every contact with some tags or in a smart list, written
// once with merge fields, scheduled or sent now, counted exactly. The audience comes from
// the CRM and the messages go through messaging, both through their actions: the same
// consent, quiet hours, rate limits and conversations as every other send.
import { definePlugin } from '@soshogle/core';
import { contactData } from './contact-data.ts';
import { campaignsCount } from './counts.ts';
import { fanOut, startScheduled } from './fan-out.ts';
import { countMessageEvents, refreshMetrics } from './metrics.ts';
import { campaignRoutes } from './routes.ts';

export default definePlugin({
  name: 'campaigns',
  displayName: 'Campaigns',
  description: 'Scheduled email and SMS campaigns to tagged contacts or a smart list, with exact delivery, open and click metrics.',
  dependsOn: ['crm', 'messaging'],
  screens: [{ path: '/campaigns', label: 'Campaigns', icon: 'M3 11v2l13 5V6zm13-5 5-2v16l-5-2', order: 60 }],
  models: ['Campaign', 'CampaignRecipient'],
  routes: campaignRoutes,
  jobs: [startScheduled, fanOut, refreshMetrics],
  subscribers: [countMessageEvents],
  counts: [campaignsCount],
  contactData: [contactData],
});

// What other plugins may call and hear, typed from these declarations (see Plugins in @soshogle/core).
declare module '@soshogle/core' {
  interface Plugins { campaigns: { actions: []; triggers: [] } }
}
