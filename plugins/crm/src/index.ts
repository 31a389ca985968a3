// The CRM: the data a CRM user lives in. Contacts with custom fields and tags, notes,
// the deal pipeline, and leads found on Google Places. Its changes raise the core's
// contact, tag and deal events in the transaction of the change.
import { definePlugin } from '@soshogle/core';
import { bulkJobs } from './bulk/jobs.ts';
import { bulkRoutes } from './bulk/routes.ts';
import { crmConfig } from './config.ts';
import { googlePlaces } from './connections.ts';
import { contactActions } from './contacts/actions.ts';
import { customFieldRoutes } from './contacts/custom-field-routes.ts';
import { contactRoutes } from './contacts/routes.ts';
import { smartListRoutes } from './contacts/smart-list-routes.ts';
import { dealRoutes } from './deals/routes.ts';
import { importsJobs } from './imports/jobs.ts';
import { importsRoutes } from './imports/routes.ts';
import { jobRoutes } from './jobs/routes.ts';
import { leadJobs } from './leads/jobs.ts';
import { leadRoutes } from './leads/routes.ts';
import { mergeRoutes } from './merge/routes.ts';
import { noteRoutes } from './notes/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { contactContext, crmCounts, dealContext } from './run-context.ts';
import { tagRoutes } from './tags/routes.ts';
import { keepTagRecords } from './tags/subscribers.ts';
import { dealsTimeline, mergesTimeline, notesTimeline } from './timeline.ts';

export default definePlugin({
  name: 'crm',
  displayName: 'CRM',
  description: 'Contacts, custom fields, tags, notes, the deal pipeline and leads from Google Places.',
  screens: [
    { path: '/contacts', label: 'Contacts', icon: 'M16 11a4 4 0 1 0-8 0 4 4 0 0 0 8 0zM4 21a8 8 0 0 1 16 0', order: 20 },
    { path: '/pipeline', label: 'Pipeline', icon: 'M4 4h4v16H4zm6 0h4v10h-4zm6 0h4v6h-4z', order: 30 },
    { path: '/leads', label: 'Leads', icon: 'M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zm10 17-5-5', order: 40 },
  ],
  config: crmConfig,
  models: ['Contact', 'Lead', 'Deal', 'DealContact', 'Note', 'Tag', 'CustomField', 'SmartList', 'ContactMerge', 'CrmJob', 'CrmJobError', 'CsvUpload'],
  // Fixed paths (/contacts/export, /contacts/bulk) before /contacts/:id.
  routes: [...importsRoutes, ...bulkRoutes, ...mergeRoutes, ...contactRoutes, ...customFieldRoutes, ...smartListRoutes, ...tagRoutes, ...noteRoutes, ...dealRoutes, ...leadRoutes, ...jobRoutes, ...reportRoutes],
  connections: [googlePlaces],
  // Internal: other plugins (campaigns) find and count the contacts they target.
  actions: contactActions,
  subscribers: [keepTagRecords],
  timeline: [notesTimeline, dealsTimeline, mergesTimeline],
  // What workflow runs read as `contact` and `deal`, and the agency roll-up's numbers.
  context: [contactContext, dealContext],
  counts: crmCounts,
  jobs: [...leadJobs, ...importsJobs, ...bulkJobs],
});

// What other plugins may call and hear, typed from these declarations (see Plugins in @soshogle/core).
declare module '@soshogle/core' {
  interface Plugins { crm: { actions: typeof contactActions; triggers: [] } }
}
