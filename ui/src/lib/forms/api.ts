// Every call the forms screens and the hosted form page make, in one place: the admin ones
// through the typed client; the public ones with no cookie (publicRequest), typed from the
// same generated paths.
import { api, publicRequest, type ItemOf, type QueryOf, type Reply, type RequestBody } from '../api.ts';
import type { Definition } from './types.ts';

export type FormSummary = ItemOf<'/forms'>;
export type Form = Reply<'/forms/{id}'>;
export type FormStatus = FormSummary['status'];
export type FormPatch = RequestBody<'/forms/{id}', 'patch'>;
export type Submission = ItemOf<'/forms/{id}/submissions'>;
export type SubmissionStatus = Submission['status'];
export type SubmissionQuery = QueryOf<'/forms/{id}/submissions'>;

export const statusLabel: Record<FormStatus, string> = { DRAFT: 'Draft', PUBLISHED: 'Published', ARCHIVED: 'Archived' };
export const statusClass: Record<FormStatus, string> = { DRAFT: '', PUBLISHED: 'ok', ARCHIVED: 'muted' };
/** A submission's status as its badge says it, in the order the filter offers them. */
export const submissionStatusLabel: Record<SubmissionStatus, string> = { PROCESSED: 'Processed', RECEIVED: 'Received', SPAM: 'Spam', FAILED: 'Failed' };
export const submissionStatusClass: Record<SubmissionStatus, string> = { PROCESSED: 'ok', RECEIVED: 'warn', SPAM: '', FAILED: 'danger' };

export const formsApi = {
  list: (query: QueryOf<'/forms'>, signal?: AbortSignal) => api.list('/forms', { query, signal }),
  create: (name: string) => api.post('/forms', { body: { name } }),
  get: (id: string, signal?: AbortSignal) => api.get('/forms/{id}', { path: { id }, signal }),
  update: (id: string, body: FormPatch) => api.patch('/forms/{id}', { path: { id }, body }),
  publish: (id: string) => api.post('/forms/{id}/publish', { path: { id } }),
  archive: (id: string) => api.post('/forms/{id}/archive', { path: { id } }),
  remove: (id: string) => api.delete('/forms/{id}', { path: { id } }),
  versions: (id: string, signal?: AbortSignal) => api.get('/forms/{id}/versions', { path: { id }, signal }).then((r) => r.items),
  submissions: (id: string, query: SubmissionQuery, signal?: AbortSignal) => api.list('/forms/{id}/submissions', { path: { id }, query, signal }),
  /** The CSV export is a plain link (the browser downloads it with the session's cookie). */
  csvHref: (id: string) => `/api/forms/${encodeURIComponent(id)}/submissions.csv`,
  report: (days: number, signal?: AbortSignal) => api.get('/forms/reports/submissions', { query: { days }, signal }),
};

// ---- The hosted page: no session, no cookie ----

export type PublicForm = Reply<'/forms/public/{formId}'>;
export type Submitted = Reply<'/forms/public/{formId}/submissions', 'post'>;
export type SubmissionInput = RequestBody<'/forms/public/{formId}/submissions', 'post'>;

const seg = encodeURIComponent;
export const publicFormApi = {
  form: (formId: string) => publicRequest<PublicForm & { definition: Definition }>('GET', `/forms/public/${seg(formId)}`),
  submit: (formId: string, body: SubmissionInput) => publicRequest<Submitted>('POST', `/forms/public/${seg(formId)}/submissions`, body),
};
