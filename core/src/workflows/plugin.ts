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

export function corePlugin(deps: { keyRing: KeyRing; config: Pick<Config, 'WEBHOOK_ALLOWED_HOSTS'> }): PluginDefinition {
  return definePlugin({
    name: 'core',
    displayName: 'Soshogle',
    description: 'Contacts, tags, deals and notes; webhooks and notifications: the building blocks of every workflow.',
    triggers: [...Object.values(standardTriggers), tagRenamed, tagDeleted, contactMerged],
    subscribers: [renameTagInWorkflows, stopWorkflowsOfDeletedTag, moveRunsOfMergedContact],
    timeline: [workflowRunsTimeline],
    actions: coreActions(deps),
  });
}

// The core's triggers (which plugins raise) and actions, typed for plugins like any plugin's.
declare module '../plugin.ts' {
  interface Plugins {
    core: { actions: ReturnType<typeof coreActions>; triggers: [...(typeof standardTriggers)[keyof typeof standardTriggers][], typeof tagRenamed, typeof tagDeleted, typeof contactMerged] };
  }
}
