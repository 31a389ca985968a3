// The forms plugin: forms built in the admin (fields mapped to the contact, tags, a consent
// checkbox), published as immutable versions, served on a hosted page and embedded anywhere;
// each submission becomes a contact with its tags and consent and raises core.form_submitted.
// docs/forms.md.
import { definePlugin } from '@soshogle/core';
import { formsConfig } from './config.ts';
import { formRoutes } from './forms/routes.ts';
import { publicRoutes } from './public/routes.ts';
import { contactData } from './submissions/contact-data.ts';
import { moveSubmissionsOfMergedContact } from './submissions/merge.ts';
import { processSubmissions } from './submissions/process.ts';
import { reportRoutes, submissionRoutes } from './submissions/routes.ts';
import { submissionsTimeline } from './submissions/timeline.ts';

export default definePlugin({
  name: 'forms',
  displayName: 'Forms',
  description: 'Forms for your site: build, publish and embed them; each submission becomes a contact with tags and consent, and can start a workflow.',
  dependsOn: ['crm', 'messaging'],
  screens: [{ path: '/forms', label: 'Forms', icon: 'M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h7', order: 58 }],
  models: ['Form', 'FormVersion', 'FormSubmission'],
  config: formsConfig,
  // Fixed paths (/public/..., /reports/...) before /:id.
  routes: [...publicRoutes, ...reportRoutes, ...formRoutes, ...submissionRoutes],
  jobs: [processSubmissions],
  timeline: [submissionsTimeline],
  contactData: [contactData],
  subscribers: [moveSubmissionsOfMergedContact],
});
