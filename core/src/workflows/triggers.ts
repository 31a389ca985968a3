// The spec's workflow triggers (Workflow.trigger), declared once by the core so the
// plugins that own contacts, deals, messages, forms and appointments all raise the same
// events: `core.contact_created`, `core.tag_added`, ... A plugin's own triggers are
// `<plugin>.<name>` and start workflows the same way.
//
// Convention: an event whose payload has `contactId` is about that contact; workflows
// it starts run for the contact, and waits and goals of that contact's runs hear it.
import { DealStage, MessageChannel, type WorkflowTrigger } from '@soshogle/db';
import { z } from 'zod';
import { defineTrigger, type TriggerDefinition } from '../plugin.ts';

const id = z.string().min(1);
const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export const standardTriggers = {
  CONTACT_CREATED: defineTrigger({
    name: 'contact_created',
    displayName: 'Contact created',
    description: 'A contact was added (by hand, import, form or lead conversion).',
    payload: z.object({ contactId: id, source: z.string().nullish() }),
    filter: z.object({ source: z.string().optional().describe('Only contacts from this source') }),
    matches: (f, p) => !f.source || sameText(f.source, p.source ?? ''),
  }),
  CONTACT_UPDATED: defineTrigger({
    name: 'contact_updated',
    displayName: 'Contact updated',
    description: 'Fields of a contact changed.',
    payload: z.object({ contactId: id, changed: z.array(z.string()) }),
    filter: z.object({ fields: z.array(z.string()).optional().describe('Only when one of these fields changed') }),
    matches: (f, p) => !f.fields?.length || f.fields.some((field) => p.changed.includes(field)),
  }),
  TAG_ADDED: defineTrigger({
    name: 'tag_added',
    displayName: 'Tag added',
    description: 'A tag was added to a contact.',
    payload: z.object({ contactId: id, tag: z.string() }),
    filter: z.object({ tag: z.string().optional().describe('Only this tag') }),
    matches: (f, p) => !f.tag || sameText(f.tag, p.tag),
  }),
  TAG_REMOVED: defineTrigger({
    name: 'tag_removed',
    displayName: 'Tag removed',
    description: 'A tag was removed from a contact.',
    payload: z.object({ contactId: id, tag: z.string() }),
    filter: z.object({ tag: z.string().optional().describe('Only this tag') }),
    matches: (f, p) => !f.tag || sameText(f.tag, p.tag),
  }),
  DEAL_CREATED: defineTrigger({
    name: 'deal_created',
    displayName: 'Deal created',
    description: 'A deal was created.',
    payload: z.object({ dealId: id, contactId: id.nullish(), stage: z.enum(DealStage) }),
    filter: z.object({ stage: z.enum(DealStage).optional().describe('Only deals created in this stage') }),
    matches: (f, p) => !f.stage || f.stage === p.stage,
  }),
  DEAL_STAGE_CHANGED: defineTrigger({
    name: 'deal_stage_changed',
    displayName: 'Deal stage changed',
    description: 'A deal moved from one pipeline stage to another.',
    payload: z.object({ dealId: id, contactId: id.nullish(), from: z.enum(DealStage), to: z.enum(DealStage) }),
    filter: z.object({
      from: z.enum(DealStage).optional().describe('Only moves out of this stage'),
      to: z.enum(DealStage).optional().describe('Only moves into this stage'),
    }),
    matches: (f, p) => (!f.from || f.from === p.from) && (!f.to || f.to === p.to),
  }),
  APPOINTMENT_SCHEDULED: defineTrigger({
    name: 'appointment_scheduled',
    displayName: 'Appointment scheduled',
    description: 'An appointment was booked with a contact.',
    // The calendar says which calendar and type, and how it was booked (BOOKING_PAGE, ADMIN, ...).
    payload: z.object({
      appointmentId: id, contactId: id.nullish(), startTime: z.string(),
      calendarId: id.nullish(), appointmentTypeId: id.nullish(), source: z.string().nullish(),
    }),
    filter: z.object({
      calendarId: id.optional().describe('Only appointments on this calendar'),
      appointmentTypeId: id.optional().describe('Only appointments of this type'),
    }),
    matches: (f, p) => (!f.calendarId || f.calendarId === p.calendarId) && (!f.appointmentTypeId || f.appointmentTypeId === p.appointmentTypeId),
  }),
  MESSAGE_RECEIVED: defineTrigger({
    name: 'message_received',
    displayName: 'Message received',
    description: 'A contact sent a message (SMS, email, WhatsApp, Facebook, Instagram...).',
    payload: z.object({ messageId: id, contactId: id, channel: z.enum(MessageChannel), body: z.string().nullish() }),
    filter: z.object({
      channel: z.enum(MessageChannel).optional().describe('Only messages on this channel'),
      keyword: z.string().optional().describe('Only messages containing this word (case-insensitive)'),
    }),
    matches: (f, p) =>
      (!f.channel || f.channel === p.channel) && (!f.keyword || (p.body ?? '').toLowerCase().includes(f.keyword.trim().toLowerCase())),
  }),
  FORM_SUBMITTED: defineTrigger({
    name: 'form_submitted',
    displayName: 'Form submitted',
    description: 'A contact submitted a form.',
    payload: z.object({ formId: id, contactId: id, submissionId: id.optional(), fields: z.record(z.string(), z.unknown()).default({}) }),
    filter: z.object({
      formId: z.string().optional().describe('Only this form'),
      fields: z.record(z.string().max(40), z.string().max(500)).optional().describe('Only when every one of these answers is this value (a list answer: when it includes it)'),
    }),
    matches: (f, p) => (!f.formId || f.formId === p.formId) && Object.entries(f.fields ?? {}).every(([key, want]) => answered(p.fields[key], want)),
  }),
  MANUAL: defineTrigger({
    name: 'manual',
    displayName: 'Started by hand',
    description: 'Started from the contact list or the API, for one contact or a filtered set.',
    payload: z.object({ contactId: id }),
    filter: z.object({}),
    matches: () => true,
  }),
} satisfies Record<Exclude<WorkflowTrigger, 'CUSTOM'>, TriggerDefinition>;

/** Whether a form answer is `want`: text compared case-insensitively, a ticked box as "true", a list when it holds it. */
function answered(answer: unknown, want: string): boolean {
  const same = (v: unknown) => String(v).trim().toLowerCase() === want.trim().toLowerCase();
  return Array.isArray(answer) ? answer.some(same) : answer !== undefined && answer !== null && same(answer);
}

/** `TAG_ADDED` -> `core.tag_added`; a plugin trigger keeps its own key. */
export function triggerKeyOf(trigger: WorkflowTrigger, custom?: string): string | undefined {
  return trigger === 'CUSTOM' ? custom : `core.${standardTriggers[trigger].name}`;
}

/** `core.tag_added` -> `TAG_ADDED`; anything else is a plugin's: `CUSTOM`. */
export function triggerOfKey(key: string): WorkflowTrigger {
  for (const [trigger, definition] of Object.entries(standardTriggers)) {
    if (key === `core.${definition.name}`) return trigger as WorkflowTrigger;
  }
  return 'CUSTOM';
}
