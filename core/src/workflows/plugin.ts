// The core's own triggers and actions, declared through the same contract as any
// plugin's: the spec's triggers (core.contact_created, ...), which every plugin raises
// for its changes, and the actions that need no plugin (webhook, notification). The
// CRM's steps (tags, contact fields, notes, deals) are the CRM plugin's.
import type { Config } from '../config.ts';
import { applyWebhooks } from '../http/webhook-inbox.ts';
import { coreRetention } from '../lifecycle.ts';
import { definePlugin, type PluginDefinition } from '../plugin.ts';
import type { KeyRing } from '../secrets.ts';
import type { CoreServices } from '../services.ts';
import { workflowRunsContactData } from './contact-data.ts';
import { contactDeleted } from './contact-deletes.ts';
import { contactMerged, moveRunsOfMergedContact } from './contact-merges.ts';
import { coreActions } from './core-actions.ts';
import { renameTagInWorkflows, stopWorkflowsOfDeletedTag, tagDeleted, tagRenamed } from './tag-filters.ts';
import { workflowRunsTimeline } from './timeline.ts';
import { standardTriggers } from './triggers.ts';

/** The models of prisma/schema/core.prisma and workflows.prisma: the core writes them, no plugin does. */
const coreModels = [
  'User', 'Account', 'Session', 'VerificationToken', 'WebhookInbox', 'ApiKey', 'AuditLog', 'RateLimit', 'SystemEmail', 'ProviderConnection',
  'Workflow', 'WorkflowVersion', 'WorkflowExecution', 'WorkflowStepRun', 'WorkflowWait', 'Notification', 'WebhookSecret', 'WorkerHeartbeat', 'LifecycleRun',
];

export function corePlugin(deps: {
  keyRing: KeyRing;
  config: Pick<Config, 'WEBHOOK_ALLOWED_HOSTS'>;
  /** The running services, for the jobs that work for every plugin (the webhook inbox); asked for only when a job runs. */
  services: () => Pick<CoreServices, 'registry' | 'tenantContext' | 'log'>;
}): PluginDefinition {
  return definePlugin({
    name: 'core',
    displayName: 'Soshogle',
    description: 'The standard triggers (contacts, tags, deals, messages...), signed webhooks and team notifications.',
    models: coreModels,
    triggers: [...Object.values(standardTriggers), tagRenamed, tagDeleted, contactMerged, contactDeleted],
    subscribers: [renameTagInWorkflows, stopWorkflowsOfDeletedTag, moveRunsOfMergedContact],
    timeline: [workflowRunsTimeline],
    contactData: [workflowRunsContactData],
    actions: coreActions(deps),
    jobs: [applyWebhooks(deps.services)],
    retention: coreRetention,
  });
}

// The core's triggers (which plugins raise) and actions, typed for plugins like any plugin's.
declare module '../plugin.ts' {
  interface Plugins {
    core: { actions: ReturnType<typeof coreActions>; triggers: [...(typeof standardTriggers)[keyof typeof standardTriggers][], typeof tagRenamed, typeof tagDeleted, typeof contactMerged, typeof contactDeleted] };
  }
}
