// The form a public URL names: open while it is published. Versions never change, so their
// parsed definitions are kept in memory by id (a busy form's submissions do not parse the
// same JSON again); the form's status is read every time, so archiving closes it at once.
import { notFound, Problem, type TenantDb, type TenantTx, type WebhookLookup } from '@soshogle/core';
import type { FormDefinition } from '../definition.ts';
import { storedDefinition } from '../forms/service.ts';

/** Forms' tenants by form id: a form never changes tenant, so every request after the first saves a query. */
const tenants = new Map<string, string>();
const tenantsSize = 10_000;

/**
 * The tenant of the form the URL names (any status: the handler tells closed from missing).
 * A form deleted since it was cached names its old tenant, whose handler then finds no form: a 404 either way.
 */
export async function formTenant({ params }: { params: { formId: string } }, lookup: WebhookLookup): Promise<string | null> {
  const cached = tenants.get(params.formId);
  if (cached) return cached;
  const form = await lookup.form.findUnique({ where: { id: params.formId }, select: { userId: true } });
  if (!form) return null;
  if (tenants.size >= tenantsSize) tenants.delete(tenants.keys().next().value!);
  tenants.set(params.formId, form.userId);
  return form.userId;
}

export interface OpenForm {
  id: string;
  publishedVersionId: string;
}

/** The published form, or the 404 its page shows: "This form is closed" once archived. */
export async function openForm(db: TenantDb | TenantTx, formId: string): Promise<OpenForm> {
  const form = await db.form.findUnique({ where: { id: formId }, select: { id: true, status: true, publishedVersionId: true } });
  if (form?.status === 'ARCHIVED') throw new Problem(404, 'Not Found', 'This form is closed');
  if (!form || form.status !== 'PUBLISHED' || !form.publishedVersionId) throw notFound('Form');
  return { id: form.id, publishedVersionId: form.publishedVersionId };
}

const cache = new Map<string, { formId: string; definition: FormDefinition }>();
const cacheSize = 1000;

/** Version `versionId` of form `formId`, or null when it is not one of its versions. */
export async function versionOf(db: TenantDb | TenantTx, formId: string, versionId: string): Promise<FormDefinition | null> {
  const hit = cache.get(versionId);
  if (hit) return hit.formId === formId ? hit.definition : null;
  const version = await db.formVersion.findUnique({ where: { id: versionId }, select: { formId: true, definition: true } });
  if (!version) return null;
  if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
  const entry = { formId: version.formId, definition: storedDefinition(version.definition) };
  cache.set(versionId, entry);
  return entry.formId === formId ? entry.definition : null;
}
