// The "Update contact field" workflow step: one field set as a person's edit sets it,
// through the same schema (phones in E.164, emails in lower case) and service (the row
// locked, custom fields checked against their definitions, core.contact_updated raised).
import { defineAction, PermanentFailure } from '@soshogle/core';
import { z } from 'zod';
import { crmConfig } from '../config.ts';
import { formerKey, runContactId, stepScope } from '../steps.ts';
import { contactFields } from './fields.ts';
import { changeContact } from './service.ts';

const editableContactFields = ['firstName', 'lastName', 'email', 'phone', 'company', 'source'] as const;
const customField = 'customFields.';

export const updateContactFieldStep = defineAction({
  name: 'update_contact_field',
  aliases: formerKey('update_contact_field'),
  config: crmConfig,
  version: 1,
  displayName: 'Update contact field',
  description: 'Sets a field of the contact, or one of its custom fields (raises "Contact updated").',
  props: z.object({
    field: z.union([z.enum(editableContactFields), z.string().regex(/^customFields\.[A-Za-z0-9_]{1,64}$/, 'a contact field, or customFields.<name>')]),
    value: z.string().max(10_000).nullable().describe('New value; empty clears it'),
  }),
  output: z.object({ changed: z.boolean() }),
  idempotent: true,
  transactional: true,
  describe: (p) => `Set the contact's ${p.field} to ${p.value === null || p.value === '' ? '(empty)' : `"${p.value}"`}`,
  async run(ctx) {
    const contactId = await runContactId(ctx);
    const { field, value } = ctx.props;
    const raw = field.startsWith(customField) ? { customFields: { [field.slice(customField.length)]: value } } : { [field]: value ?? '' };
    if (field === 'firstName' && !value?.trim()) throw new PermanentFailure('A contact must keep a first name');
    const patch = contactFields(ctx.config.defaultCountry).partial().safeParse(raw);
    if (!patch.success) {
      // Email and phone are "empty, or valid": say what the check of a valid one said.
      const issue = patch.error.issues[0]!;
      throw new PermanentFailure(`${field}: ${issue.code === 'invalid_union' ? (issue.errors.at(-1)?.[0]?.message ?? issue.message) : issue.message}`);
    }
    const { changed } = await changeContact(stepScope(ctx), contactId, patch.data);
    return { changed: changed.length > 0 };
  },
});
