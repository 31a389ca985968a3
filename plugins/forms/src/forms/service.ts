// A tenant's forms: reading one as the API shows it, and the changes that have rules
// (publishing copies the draft into a new immutable version; a form with submissions is
// archived, not deleted).
import { conflict, notFound, type PluginContext, type TenantDb, type TenantTx } from '@soshogle/core';
import type { Form, FormVersion, Prisma } from '@soshogle/db';
import { formDefinition, type FormDefinition } from '../definition.ts';

type Db = TenantDb | TenantTx;

export async function findForm(db: Db, id: string): Promise<Form> {
  const form = await db.form.findUnique({ where: { id } });
  if (!form) throw notFound('Form');
  return form;
}

/** Changes a form (which takes its row lock) and hands it back; another tenant's or a missing one is a 404. */
export async function updateForm(db: Db, id: string, data: Prisma.FormUpdateInput): Promise<Form> {
  try {
    return await db.form.update({ where: { id }, data });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'P2025') throw notFound('Form');
    throw error;
  }
}

/** A stored definition, read back with the schema it was written with (defaults filled). */
export const storedDefinition = (json: unknown): FormDefinition => formDefinition.parse(json);

export const publicPath = (formId: string) => `/f/${formId}`;

/** The script tag a site owner pastes: the embed script opens the hosted page in an iframe. */
export function embedCode(publicUrl: PluginContext['publicUrl'], formId: string): string {
  return `<script src="${publicUrl('/embed/form.js')}" data-soshogle-form="${formId}" async></script>`;
}

/** The form as the API shows it. */
export async function formDetail(db: Db, publicUrl: PluginContext['publicUrl'], form: Form) {
  const version = form.publishedVersionId
    ? await db.formVersion.findUnique({ where: { id: form.publishedVersionId }, select: { id: true, version: true, createdAt: true } })
    : null;
  return {
    id: form.id,
    name: form.name,
    status: form.status,
    draft: storedDefinition(form.draft),
    updateExistingContacts: form.updateExistingContacts,
    publishedVersion: version,
    publicUrl: publicUrl(publicPath(form.id)),
    embedCode: embedCode(publicUrl, form.id),
    createdAt: form.createdAt,
    updatedAt: form.updatedAt,
  };
}

/**
 * Copies the draft into the next version and serves it. The form row is locked first, so
 * two publishes at once number their versions one after the other.
 */
export async function publishForm(tx: TenantTx, tenantId: string, id: string): Promise<FormVersion> {
  const form = await updateForm(tx, id, { updatedAt: new Date() }); // takes the row lock
  const last = await tx.formVersion.findFirst({ where: { formId: id }, orderBy: { version: 'desc' }, select: { version: true } });
  const version = await tx.formVersion.create({
    data: { userId: tenantId, formId: id, version: (last?.version ?? 0) + 1, definition: storedDefinition(form.draft) as Prisma.InputJsonObject },
  });
  await tx.form.update({ where: { id }, data: { status: 'PUBLISHED', publishedVersionId: version.id } });
  return version;
}

/** Deletes a form that never received a submission; one that did keeps its record (archive it). */
export async function deleteForm(tx: TenantTx, id: string): Promise<void> {
  await findForm(tx, id);
  if (await tx.formSubmission.findFirst({ where: { formId: id }, select: { id: true } })) {
    throw conflict('This form has submissions: archive it instead', 'id');
  }
  await tx.form.delete({ where: { id } });
}
