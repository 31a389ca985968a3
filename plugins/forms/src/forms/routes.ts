// The forms admin API under /api/forms (signed in, the tenant's forms only): list, create,
// read, edit the draft, publish a version, archive, delete, and the versions.
import { defineRoute, itemsOf, keysetOf, listOf, noContent, page, type AnyRoute } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import { starterDefinition } from '../definition.ts';
import { formCreate, formListItem, formPatch, formResponse, formsQuery, formVersion, idParams, published } from '../schemas.ts';
import { deleteForm, findForm, formDetail, publishForm, storedDefinition, updateForm } from './service.ts';

const listRoute = defineRoute({
  method: 'GET',
  path: '',
  summary: 'Forms, most recently changed first, with their published version and submission count',
  query: formsQuery,
  response: listOf(formListItem),
  async handler({ db, query }) {
    const after = query.cursor;
    const rows = await db.form.findMany({
      where: after?.at ? { OR: [{ updatedAt: { lt: after.at } }, { updatedAt: after.at, id: { lt: after.id } }] } : {},
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
      include: { _count: { select: { submissions: true } } },
    });
    const versions = await db.formVersion.findMany({
      where: { id: { in: rows.flatMap((f) => (f.publishedVersionId ? [f.publishedVersionId] : [])) } },
      select: { id: true, version: true },
    });
    const numbers = new Map(versions.map((v) => [v.id, v.version]));
    const items = rows.map((f) => ({
      id: f.id,
      name: f.name,
      status: f.status,
      version: f.publishedVersionId ? (numbers.get(f.publishedVersionId) ?? null) : null,
      submissions: f._count.submissions,
      updatedAt: f.updatedAt,
    }));
    return page(items, query.limit, (last) => keysetOf(last.updatedAt, last.id));
  },
});

const createRoute = defineRoute({
  method: 'POST',
  path: '',
  summary: 'Make a form (a draft); without a definition it starts with a name and an email field',
  body: formCreate,
  response: formResponse,
  status: 201,
  async handler({ db, tenantId, body, publicUrl }) {
    const draft = body.definition ?? starterDefinition(body.name);
    const form = await db.form.create({ data: { userId: tenantId, name: body.name, draft: draft as Prisma.InputJsonObject } });
    return formDetail(db, publicUrl, form);
  },
});

const getRoute = defineRoute({
  method: 'GET',
  path: '/:id',
  summary: 'A form: its draft, the published version, its public address and embed code',
  params: idParams,
  response: formResponse,
  handler: async ({ db, params, publicUrl }) => formDetail(db, publicUrl, await findForm(db, params.id)),
});

const patchRoute = defineRoute({
  method: 'PATCH',
  path: '/:id',
  summary: "Change a form's name, draft or contact-update setting (the public page changes only when it is published)",
  params: idParams,
  body: formPatch,
  response: formResponse,
  async handler({ db, params, body, publicUrl }) {
    const form = await updateForm(db, params.id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.draft !== undefined ? { draft: body.draft as Prisma.InputJsonObject } : {}),
      ...(body.updateExistingContacts !== undefined ? { updateExistingContacts: body.updateExistingContacts } : {}),
    });
    return formDetail(db, publicUrl, form);
  },
});

const publishRoute = defineRoute({
  method: 'POST',
  path: '/:id/publish',
  summary: 'Publish the draft as the next version: the public page serves it from now on (also reopens an archived form)',
  params: idParams,
  response: published,
  status: 201,
  async handler({ db, tenantId, params }) {
    const version = await db.$transaction((tx) => publishForm(tx, tenantId, params.id));
    return { version: { ...version, definition: storedDefinition(version.definition) } };
  },
});

const archiveRoute = defineRoute({
  method: 'POST',
  path: '/:id/archive',
  summary: 'Close a form: its public page answers "This form is closed"; its submissions stay',
  params: idParams,
  response: formResponse,
  async handler({ db, params, publicUrl }) {
    return formDetail(db, publicUrl, await updateForm(db, params.id, { status: 'ARCHIVED' }));
  },
});

const deleteRoute = defineRoute({
  method: 'DELETE',
  path: '/:id',
  summary: 'Delete a form that has no submissions (409 otherwise: archive it)',
  params: idParams,
  response: noContent,
  async handler({ db, params }) {
    await db.$transaction((tx) => deleteForm(tx, params.id));
  },
});

const versionsRoute = defineRoute({
  method: 'GET',
  path: '/:id/versions',
  summary: "A form's published versions, newest first",
  params: idParams,
  response: itemsOf(formVersion),
  async handler({ db, params }) {
    await findForm(db, params.id);
    const versions = await db.formVersion.findMany({ where: { formId: params.id }, orderBy: { version: 'desc' } });
    return { items: versions.map((v) => ({ id: v.id, version: v.version, definition: storedDefinition(v.definition), createdAt: v.createdAt })) };
  },
});

export const formRoutes: AnyRoute[] = [listRoute, createRoute, getRoute, patchRoute, publishRoute, archiveRoute, deleteRoute, versionsRoute];
