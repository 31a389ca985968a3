// Proves the typed contracts between plugins bite: checked by `tsc` (never run, not a
// test). Each @ts-expect-error line is a mistake the typecheck must refuse; if the typing
// were lost (keys widened to string, props or payloads to unknown) the directive itself
// would be unused and tsc would fail. The keys are the core's and the plugins' real ones,
// typed from their declarations through `Plugins`.
import { defineSubscriber, type ActionOutput, type Actions, type Events, type PluginOffer, type Plugins, type TenantTx } from './index.ts';

declare const tx: TenantTx;
declare const actions: Actions;
declare const events: Events;
const options = { tenantId: 't', idempotencyKey: 'k' };

/** Every entry of the registry names arrays of actions and triggers (a misshapen one would type nothing). */
export const entriesAreOffers: Plugins extends Record<keyof Plugins, PluginOffer> ? true : never = true;

export async function actionCalls(): Promise<void> {
  // The output is the action's own, with no type argument and no cast.
  const page = await actions.run(tx, 'crm.find_contacts', { tags: ['vip'], limit: 10 }, options);
  const ids: string[] = page.contacts.map((c) => c.id);
  const next: string | null = page.next;
  void [ids, next];
  const same: ActionOutput<'crm.count_contacts'> = await actions.run(tx, 'crm.count_contacts', { smartListId: 's' }, options);
  void same.count;

  // @ts-expect-error a key no plugin offers
  await actions.run(tx, 'crm.find_contact', { tags: ['vip'] }, options);
  // @ts-expect-error a prop find_contacts does not have (tags, not tag)
  await actions.run(tx, 'crm.find_contacts', { tag: 'vip' }, options);
  // @ts-expect-error a prop of the wrong type
  await actions.run(tx, 'crm.count_contacts', { tags: 'vip' }, options);
  // @ts-expect-error a field the output does not have
  void page.total;
}

export async function raises(): Promise<void> {
  await events.raise(tx, 'core.tag_added', { contactId: 'c', tag: 'vip' }, { tenantId: 't' });
  // @ts-expect-error an event no plugin declares
  await events.raise(tx, 'core.tag_addded', { contactId: 'c', tag: 'vip' }, { tenantId: 't' });
  // @ts-expect-error a payload field the trigger does not have (tag, not tags)
  await events.raise(tx, 'core.tag_added', { contactId: 'c', tags: ['vip'] }, { tenantId: 't' });
  // @ts-expect-error a payload without a required field
  await events.raiseMany(tx, 'messaging.message_event', [{ messageId: 'm' }], { tenantId: 't' });
}

export const subscribers = [
  defineSubscriber({
    name: 'reads_its_payload',
    event: 'core.deal_stage_changed',
    async run(_ctx, event) {
      const to: string = event.payload.to;
      // @ts-expect-error a field the deal_stage_changed payload lacks
      void event.payload.tag;
      void to;
    },
  }),
  // @ts-expect-error an event no plugin declares
  defineSubscriber({ name: 'listens_to_nothing', event: 'crm.contact_creatd', async run() {} }),
];
