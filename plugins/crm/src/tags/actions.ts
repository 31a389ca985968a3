// The "Add tag" and "Remove tag" workflow steps: the contact's tags change as they do when
// a person tags it (changeTags: the row locked, the tenant's spelling, any case matches)
// and raise the same core.tag_added / core.tag_removed.
import { defineAction } from '@soshogle/core';
import { z } from 'zod';
import { changeTags } from '../contacts/service.ts';
import { formerKey, runContactId, stepScope } from '../steps.ts';

const tagProps = z.object({ tag: z.string().trim().min(1).max(100).describe('Tag') });

/** One step in two directions. */
function tagStep(change: 'add' | 'remove') {
  const adding = change === 'add';
  // The output says what happened in the marketer's words: steps.<id>.added / .removed.
  const key = adding ? 'added' : 'removed';
  return defineAction({
    name: `${change}_tag`,
    aliases: formerKey(`${change}_tag`),
    version: 1,
    displayName: adding ? 'Add tag' : 'Remove tag',
    description: adding ? 'Adds a tag to the contact (raises "Tag added").' : 'Removes a tag from the contact, in any case (raises "Tag removed").',
    props: tagProps,
    output: z.object({ [key]: z.boolean() }) as z.ZodObject<Record<string, z.ZodBoolean>>,
    idempotent: true,
    transactional: true,
    describe: (p) => (adding ? `Add the tag "${p.tag}" to the contact` : `Remove the tag "${p.tag}" from the contact`),
    async run(ctx) {
      const contactId = await runContactId(ctx);
      const { tagsAdded, tagsRemoved } = await changeTags(stepScope(ctx), contactId, adding ? { add: [ctx.props.tag] } : { remove: [ctx.props.tag] });
      return { [key]: (adding ? tagsAdded : tagsRemoved).length > 0 };
    },
  });
}

export const tagSteps = [tagStep('add'), tagStep('remove')];
