// The forms API's wire shapes: what routes accept and answer (named for the OpenAPI
// document and the UI's generated types).
import { isoDate, keysetCursor, listQuery } from '@soshogle/core';
import { z } from 'zod';
import { formAfter, formDefinition, utmKeys, type UtmKey } from './definition.ts';

export const idParams = z.object({ id: z.string().min(1).max(64) });
export const formIdParams = z.object({ formId: z.string().min(1).max(64) });

export const formStatus = z.enum(['DRAFT', 'PUBLISHED', 'ARCHIVED']);
export const submissionStatus = z.enum(['RECEIVED', 'PROCESSED', 'SPAM', 'FAILED']);

export const formListItem = z
  .object({
    id: z.string(),
    name: z.string(),
    status: formStatus,
    version: z.number().int().nullable().describe('The published version number, null before the first publish'),
    submissions: z.number().int(),
    updatedAt: isoDate,
  })
  .meta({ id: 'FormListItem', description: 'A form in the list, with its published version and how many submissions it has' });

export const formVersionSummary = z.object({ id: z.string(), version: z.number().int(), createdAt: isoDate });

export const formResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    status: formStatus,
    draft: formDefinition,
    updateExistingContacts: z.boolean(),
    publishedVersion: formVersionSummary.nullable(),
    publicUrl: z.string().describe('The hosted page: <PUBLIC_URL>/f/<id>'),
    embedCode: z.string().describe('The script tag that embeds the form on another site'),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Form', description: 'A form: its editable draft and the version the public page serves' });

export const formCreate = z.object({ name: z.string().trim().min(1).max(200), definition: formDefinition.optional() });
export const formPatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  draft: formDefinition.optional(),
  updateExistingContacts: z.boolean().optional(),
});

export const formVersion = z
  .object({ id: z.string(), version: z.number().int(), definition: formDefinition, createdAt: isoDate })
  .meta({ id: 'FormVersion', description: 'A published, unchangeable version of a form' });
export const published = z.object({ version: formVersion });

export const utm = z.object(Object.fromEntries(utmKeys.map((k) => [k, z.string().trim().max(200).optional()])) as Record<UtmKey, z.ZodOptional<z.ZodString>>);

export const submissionResponse = z
  .object({
    id: z.string(),
    status: submissionStatus,
    contactId: z.string().nullable(),
    contact: z.object({ id: z.string(), name: z.string(), email: z.string().nullable() }).nullable(),
    answers: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.boolean()])),
    sourceUrl: z.string().nullable(),
    utm,
    spamReason: z.string().nullable(),
    createdAt: isoDate,
    version: z.number().int(),
  })
  .meta({ id: 'FormSubmission', description: 'What a visitor sent, and the contact it became' });

export const submissionsQuery = listQuery({ size: 50, max: 200, cursor: keysetCursor }).extend({
  q: z.string().trim().max(200).optional().describe('Text in the answers (case-insensitive)'),
  status: submissionStatus.optional(),
});
export const csvQuery = z.object({ status: submissionStatus.optional() });
export const formsQuery = listQuery({ size: 50, max: 200, cursor: keysetCursor });

export const submissionsReport = z
  .object({
    timezone: z.string(),
    total: z.number().int().describe('Submissions (not spam) in the range'),
    byDay: z.array(z.object({ date: z.string(), count: z.number().int() })),
  })
  .meta({ id: 'FormSubmissionsReport', description: 'Form submissions per day in the account time zone' });

// Public
export const publicForm = z
  .object({ formId: z.string(), versionId: z.string(), definition: formDefinition, formToken: z.string() })
  .meta({ id: 'PublicForm', description: 'A published form as its public page shows it, with the token to send it with' });

export const submissionBody = z.object({
  versionId: z.string().min(1).max(64),
  formToken: z.string().min(1).max(200),
  answers: z.record(z.string().max(40), z.unknown()).refine((a) => Object.keys(a).length <= 100, 'Too many answers'),
  website: z.string().max(500).optional().describe('The honeypot: people leave it empty'),
  consent: z.boolean().optional().describe("The consent checkbox, when the form has one"),
  sourceUrl: z.string().trim().max(2000).optional(),
  utm: utm.optional(),
});
export const submitted = z.object({ after: formAfter }).meta({ id: 'FormSubmitted', description: 'What the visitor sees next' });
