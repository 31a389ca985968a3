// The core's own triggers and actions, declared through the same contract as any
// plugin's: the spec's triggers (core.contact_created, ...) and the building-block
// actions (tags, contact fields, notes, deals, webhook, notification).
import type { Config } from '../config.ts';
import { definePlugin, type PluginDefinition } from '../plugin.ts';
import type { KeyRing } from '../secrets.ts';
import { contactMerged, moveRunsOfMergedContact } from './contact-merges.ts';
import { coreActions } from './core-actions.ts';
import { renameTagInWorkflows, stopWorkflowsOfDeletedTag, tagDeleted, tagRenamed } from './tag-filters.ts';
import { workflowRunsTimeline } from './timeline.ts';
import { standardTriggers } from './triggers.ts';

/** The models of prisma/schema/core.prisma and workflows.prisma: the core writes them, no plugin does. */
const coreModels = [
  'User', 'Account', 'Session', 'VerificationToken', 'WebhookDelivery', 'ApiKey', 'AuditLog', 'RateLimit', 'SystemEmail', 'ProviderConnection',
  'Workflow', 'WorkflowVersion', 'WorkflowExecution', 'WorkflowStepRun', 'WorkflowWait', 'Notification', 'WebhookSecret', 'WorkerHeartbeat',
];

export function corePlugin(deps: { keyRing: KeyRing; config: Pick<Config, 'WEBHOOK_ALLOWED_HOSTS'> }): PluginDefinition {
  return definePlugin({
    name: 'core',
    displayName: 'Soshogle',
    description: 'Contacts, tags, deals and notes; webhooks and notifications: the building blocks of every workflow.',
    models: coreModels,
    triggers: [...Object.values(standardTriggers), tagRenamed, tagDeleted, contactMerged],
    subscribers: [renameTagInWorkflows, stopWorkflowsOfDeletedTag, moveRunsOfMergedContact],
    timeline: [workflowRunsTimeline],
    actions: coreActions(deps),
  });
}
