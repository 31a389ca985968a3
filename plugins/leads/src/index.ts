// Leads: businesses found with Google Places text searches (each tenant's own API key, or
// sample places in sandbox mode), worked through statuses and converted into CRM contacts
// and deals. The CRM does the converting, through its actions: this plugin owns only Lead
// and LeadSearch.
import { definePlugin } from '@soshogle/core';
import { leadsConfig } from './config.ts';
import { contactData } from './contact-data.ts';
import { googlePlaces } from './connections.ts';
import { leadJobs } from './jobs.ts';
import { leadRoutes } from './routes.ts';

export default definePlugin({
  name: 'leads',
  displayName: 'Leads',
  description: 'Leads from Google Places searches, worked through statuses and converted into CRM contacts and deals.',
  screens: [{ path: '/leads', label: 'Leads', icon: 'M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zm10 17-5-5', order: 40 }],
  dependsOn: ['crm'],
  config: leadsConfig,
  models: ['Lead', 'LeadSearch'],
  routes: leadRoutes,
  connections: [googlePlaces],
  jobs: leadJobs,
  contactData: [contactData],
});
