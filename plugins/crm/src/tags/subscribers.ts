import { defineSubscriber, type TenantContext } from '@soshogle/core';

/** Tag records for these names, in name order (two transactions adding the same new tags queue instead of deadlocking). */
const keepRecords = (db: TenantContext['db'], tags: string[]) =>
  db.tag.createMany({ data: [...new Set(tags)].sort().map((name) => ({ name, userId: '' })), skipDuplicates: true });

// Tags added by anyone (a workflow step, another plugin) get their Tag record too, so
// the tag list, colours and renames cover every tag a contact carries. In the raiser's
// transaction, one statement per raiseMany: as a job per tag added it was most of the work a
// batch of form submissions queued (two jobs per new contact).
export const keepTagRecords = defineSubscriber({
  name: 'keep_tag_records',
  event: 'core.tag_added',
  transactional: true,
  async run({ db }, event) {
    await keepRecords(db, [event.payload.tag]);
  },
  async runMany({ db }, events) {
    await keepRecords(db, events.map((event) => event.payload.tag));
  },
});
