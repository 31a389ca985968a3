// The public form API (no one signs in): the tenant is found from the form id in the URL,
// and everything the handlers read or write goes through that tenant's scoped db.
import { defineRoute, issueFormToken, type AnyRoute } from '@soshogle/core';
import { formsConfig } from '../config.ts';
import { formIdParams, publicForm, submissionBody, submitted } from '../schemas.ts';
import { limitReads } from './limits.ts';
import { formTenant, openForm, versionOf } from './published.ts';
import { submitForm } from './submit.ts';

const getRoute = defineRoute({
  config: formsConfig,
  method: 'GET',
  path: '/public/:formId',
  summary: 'A published form as its page shows it, with the form token to send it with (404 "This form is closed" once archived)',
  access: 'public',
  params: formIdParams,
  response: publicForm,
  tenant: formTenant,
  async handler(ctx) {
    await limitReads(ctx, ctx.http.ip);
    const form = await openForm(ctx.db, ctx.params.formId);
    const definition = (await versionOf(ctx.db, form.id, form.publishedVersionId))!;
    return { formId: form.id, versionId: form.publishedVersionId, definition, formToken: issueFormToken(ctx.secrets, form.id) };
  },
});

const submitRoute = defineRoute({
  config: formsConfig,
  method: 'POST',
  path: '/public/:formId/submissions',
  summary: 'Send a form: the answers are checked against the version loaded (422 naming body.answers.<key>); answers what to show next',
  access: 'public',
  params: formIdParams,
  body: submissionBody,
  response: submitted,
  tenant: formTenant,
  handler: (ctx) => submitForm(ctx, { formId: ctx.params.formId, body: ctx.body, ip: ctx.http.ip, userAgent: ctx.http.get('user-agent') || null }),
});

export const publicRoutes: AnyRoute[] = [getRoute, submitRoute];
