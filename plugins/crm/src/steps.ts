// What the CRM's workflow steps share. A step changes CRM data through the same services
// as the routes, in the step's transaction and with the step's event bus (so the events
// it raises carry the run's loop-guard depth), and is about the run's contact.
import { PermanentFailure, type ActionContext } from '@soshogle/core';
import type { CrmScope } from './contacts/service.ts';

type StepContext = Pick<ActionContext<unknown>, 'db' | 'run' | 'events' | 'tenantId'>;

/**
 * The full keys the steps had when the core declared them: workflows saved, imported or
 * queued before they moved here still run (the registry resolves these aliases).
 */
export const formerKey = (name: string): string[] => [`core.${name}`];

/** The services' scope for a step: its transaction, tenant and event bus. */
export const stepScope = (ctx: StepContext): CrmScope => ({ tx: ctx.db, tenantId: ctx.tenantId, events: ctx.events });

/** The id of the run's contact, checked to still exist; retrying cannot help when there is none. */
export async function runContactId(ctx: StepContext): Promise<string> {
  const id = ctx.run.contactId;
  if (!id) throw new PermanentFailure('This run has no contact (its trigger is not about a contact)');
  if (!(await ctx.db.contact.findUnique({ where: { id }, select: { id: true } }))) throw new PermanentFailure('The contact of this run no longer exists');
  return id;
}
