import { defineSubscriber } from '@soshogle/core';

// Tags added by anyone (a workflow step, another plugin) get their Tag record too, so
// the tag list, colours and renames cover every tag a contact carries.
export const keepTagRecords = defineSubscriber({
  name: 'keep_tag_records',
  event: 'core.tag_added',
  async run({ db }, event) {
    const { tag } = event.payload;
    await db.tag.createMany({ data: [{ name: tag, userId: '' }], skipDuplicates: true });
  },
});
