// What the forms tests share: a Soshogle with the forms plugin and the plugins it needs, a
// tenant's published form, and the anonymous visitor who loads and sends it.
import { importPlugins, type PluginDefinition } from '@soshogle/core';
import { expectJson, signedInUser, startTestSoshogle, type TestClient } from '@soshogle/core/testing';
import type { FormDefinitionInput } from '../definition.ts';
import forms from '../index.ts';

export const api = '/api/forms';

/** Every request comes from 127.0.0.1: the per-address limits are raised unless a test sets them; no minimum fill time. */
export async function startForms(env: Record<string, string> = {}, more: PluginDefinition[] = []) {
  const plugins = await importPlugins(['@soshogle/plugin-crm', '@soshogle/plugin-messaging']);
  return startTestSoshogle([...plugins, forms, ...more], {
    FORMS_SUBMISSIONS_PER_IP_HOUR: '100000',
    FORMS_READS_PER_IP_MINUTE: '100000',
    FORMS_MIN_FILL_SECONDS: '0',
    ...env,
  });
}

type Soshogle = Awaited<ReturnType<typeof startForms>>;

export const quoteForm: FormDefinitionInput = {
  title: 'Get a quote',
  fields: [
    { key: 'first_name', type: 'text', label: 'First name', required: true, mapsTo: { contact: 'firstName' } },
    { key: 'last_name', type: 'text', label: 'Last name', required: false, mapsTo: { contact: 'lastName' } },
    { key: 'email', type: 'email', label: 'Email', required: true, mapsTo: { contact: 'email' } },
    { key: 'budget', type: 'select', label: 'Budget', required: true, options: ['Small', 'Large'] },
    { key: 'note', type: 'textarea', label: 'Anything else?', required: false },
    { key: 'campaign', type: 'hidden', label: 'Campaign', required: false, hiddenValue: 'utm_campaign' },
  ],
  tags: ['Website lead', 'Quote'],
  consent: { email: true, sms: false, wording: 'Yes, email me offers. I can unsubscribe at any time.' },
  after: { kind: 'message', message: 'Thanks, we will call you.' },
};

export interface Published {
  owner: TestClient;
  formId: string;
  versionId: string;
}

/** A new tenant's form, made and published through the admin API. */
export async function publishedForm(soshogle: Soshogle, definition: FormDefinitionInput = quoteForm, owner?: TestClient): Promise<Published> {
  const user = owner ?? (await signedInUser(soshogle));
  const form = await expectJson<{ id: string }>(await user.request('POST', api, { name: 'Quote', definition }), 201);
  const { version } = await expectJson<{ version: { id: string } }>(await user.request('POST', `${api}/${form.id}/publish`), 201);
  return { owner: user, formId: form.id, versionId: version.id };
}

/** The anonymous visitor: no cookie, no CSRF token. */
export function visitor(soshogle: Soshogle) {
  const visit = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${soshogle.url}${api}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  /** Loads the form's page data (version and token). */
  const load = (formId: string) => visit('GET', `/public/${formId}`);
  /** Loads the form and sends `answers` (with `more` body fields) to the version it loaded. */
  async function send(formId: string, answers: Record<string, unknown>, more: Record<string, unknown> = {}) {
    const page = await expectJson<{ versionId: string; formToken: string }>(await load(formId), 200);
    return visit('POST', `/public/${formId}/submissions`, { versionId: page.versionId, formToken: page.formToken, answers, website: '', ...more });
  }
  return { visit, load, send };
}

export const ada = { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.test', budget: 'Large', note: 'Call after 5' };
