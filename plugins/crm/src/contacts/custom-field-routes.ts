// Custom field definitions. A definition's key is fixed once made (values are stored
// under it); deleting a definition deletes its values from every contact with it.
import { defineRoute, invalid, itemsOf, noContent, tenantSql } from '@soshogle/core';
import { CustomFieldType } from '@soshogle/db';
import { z } from 'zod';
import { customFieldResponse } from './schemas.ts';

const id = z.object({ id: z.string().min(1).max(64) });
const options = z.array(z.string().trim().min(1).max(100)).max(200);
const definition = z
  .object({
    key: z.string().regex(/^[a-z][a-zA-Z0-9_]{0,63}$/, 'Start with a lower-case letter; letters, digits and _ only (at most 64)'),
    label: z.string().trim().min(1).max(100),
    type: z.enum(CustomFieldType),
    options: options.default([]),
    required: z.boolean().default(false),
  })
  .refine((d) => !['SELECT', 'MULTI_SELECT'].includes(d.type) || d.options.length > 0, { message: 'Choices are required for select fields', path: ['options'] });

export const customFieldRoutes = [
  defineRoute({
    method: 'GET',
    path: '/custom-fields',
    summary: 'The custom fields of contacts',
    response: itemsOf(customFieldResponse),
    handler: async ({ db }) => ({ items: await db.customField.findMany({ orderBy: { createdAt: 'asc' } }) }),
  }),
  defineRoute({
    method: 'POST',
    path: '/custom-fields',
    summary: 'Define a custom field',
    status: 201,
    body: definition,
    response: customFieldResponse,
    handler: ({ body, db, tenantId }) => db.customField.create({ data: { ...body, userId: tenantId } }),
  }),
  defineRoute({
    method: 'PATCH',
    path: '/custom-fields/:id',
    summary: 'Rename a custom field, change its choices or whether it is required',
    params: id,
    body: z.object({ label: z.string().trim().min(1).max(100).optional(), options: options.optional(), required: z.boolean().optional() }),
    response: customFieldResponse,
    async handler({ params, body, db }) {
      const current = await db.customField.findUniqueOrThrow({ where: { id: params.id } });
      if (body.options && ['SELECT', 'MULTI_SELECT'].includes(current.type) && !body.options.length) {
        throw invalid('body.options', 'Choices are required for select fields');
      }
      return db.customField.update({ where: { id: params.id }, data: body });
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/custom-fields/:id',
    summary: 'Delete a custom field and its values on every contact',
    params: id,
    response: noContent,
    async handler({ params, db, tenantId }) {
      await db.$transaction(async (tx) => {
        const field = await tx.customField.delete({ where: { id: params.id } });
        const t = tenantSql(tenantId);
        await tx.$executeRaw(t`update "Contact" set "customFields" = "customFields" - ${field.key}
          where ${t.owns()} and "customFields" ? ${field.key}`);
      });
    },
  }),
];
