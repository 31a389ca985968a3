// The CRM: the data a CRM user lives in. Contacts with custom fields and tags, notes,
// and the deal pipeline. Its changes raise the core's contact, tag and deal events in the
// transaction of the change, whether a person makes them or a workflow step
// (crm.add_tag, crm.create_deal, ...).
import { definePlugin } from '@soshogle/core';
import { bulkJobs } from './bulk/jobs.ts';
import { bulkRoutes } from './bulk/routes.ts';
import { crmConfig } from './config.ts';
import { contactActions } from './contacts/actions.ts';
import { contactData } from './contacts/contact-data.ts';
import { createContactAction } from './contacts/create-contact-action.ts';
import { findOrCreateContactAction, findOrCreateContactsAction } from './contacts/find-or-create-action.ts';
import { updateContactFieldStep } from './contacts/update-field-action.ts';
import { customFieldRoutes } from './contacts/custom-field-routes.ts';
import { contactRoutes } from './contacts/routes.ts';
import { smartListRoutes } from './contacts/smart-list-routes.ts';
import { dealSteps } from './deals/actions.ts';
import { dealRoutes } from './deals/routes.ts';
import { importsJobs } from './imports/jobs.ts';
import { importsRoutes } from './imports/routes.ts';
import { jobRoutes } from './jobs/routes.ts';
import { mergeRoutes } from './merge/routes.ts';
import { releaseLeadNotes } from './notes/lead-notes-action.ts';
import { createNoteStep } from './notes/actions.ts';
import { noteRoutes } from './notes/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { crmRetention } from './retention.ts';
import { contactContext, crmCounts, dealContext } from './run-context.ts';
import { tagSteps } from './tags/actions.ts';
import { tagRoutes } from './tags/routes.ts';
import { keepTagRecords } from './tags/subscribers.ts';
import { dealsTimeline, mergesTimeline, notesTimeline } from './timeline.ts';

// Workflow steps, under their former core.* keys too; and internal actions with which
// other plugins find and count the contacts they target (campaigns), add contacts (leads)
// and find or add the person they met (the calendar's bookings).
const actions = [...tagSteps, updateContactFieldStep, createNoteStep, ...dealSteps, ...contactActions, createContactAction, findOrCreateContactAction, findOrCreateContactsAction, releaseLeadNotes];

export default definePlugin({
  name: 'crm',
  displayName: 'CRM',
  description: 'Contacts, custom fields, tags, notes and the deal pipeline.',
  screens: [
    { path: '/contacts', label: 'Contacts', icon: 'M16 11a4 4 0 1 0-8 0 4 4 0 0 0 8 0zM4 21a8 8 0 0 1 16 0', order: 20 },
    { path: '/pipeline', label: 'Pipeline', icon: 'M4 4h4v16H4zm6 0h4v10h-4zm6 0h4v6h-4z', order: 30 },
  ],
  config: crmConfig,
  models: ['Contact', 'Deal', 'DealContact', 'Note', 'Tag', 'CustomField', 'SmartList', 'ContactMerge', 'CrmJob', 'CrmJobError', 'CsvUpload'],
  // Fixed paths (/contacts/export, /contacts/bulk) before /contacts/:id.
  routes: [...importsRoutes, ...bulkRoutes, ...mergeRoutes, ...contactRoutes, ...customFieldRoutes, ...smartListRoutes, ...tagRoutes, ...noteRoutes, ...dealRoutes, ...jobRoutes, ...reportRoutes],
  actions,
  subscribers: [keepTagRecords],
  timeline: [notesTimeline, dealsTimeline, mergesTimeline],
  contactData: [contactData],
  // What workflow runs read as `contact` and `deal`, and the agency roll-up's numbers.
  context: [contactContext, dealContext],
  counts: crmCounts,
  jobs: [...importsJobs, ...bulkJobs],
  retention: crmRetention,
});

// What other plugins may call and hear, typed from these declarations (see Plugins in @soshogle/core).
declare module '@soshogle/core' {
  interface Plugins { crm: { actions: typeof actions; triggers: [] } }
}
