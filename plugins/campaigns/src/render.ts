// A campaign's subject and message for one contact: the same Liquid templates and the
// same `contact` as workflow steps ({{ contact.firstName | default: "there" }}).
import { invalid, renderHtmlTemplate, renderTemplate, TemplateError, templateIssues } from '@soshogle/core';
import type { Campaign } from '@soshogle/db';

export interface Rendered {
  subject: string | null;
  body: string;
  html: string | null;
}

type Content = Pick<Campaign, 'subject' | 'message' | 'html'>;

export function renderFor(campaign: Content, contact: Record<string, unknown> | null): Rendered {
  const context = { contact: contact ?? {} };
  return {
    subject: campaign.subject === null ? null : renderTemplate(campaign.subject, context),
    body: renderTemplate(campaign.message, context),
    // The contact's data is escaped in the HTML body: a name like <script> stays text.
    html: campaign.html === null ? null : renderHtmlTemplate(campaign.html, context),
  };
}

/** 422 naming each field whose template does not parse. */
export function checkTemplates(content: Partial<Record<'subject' | 'message' | 'html', string | null | undefined>>): void {
  const errors = Object.entries(content).flatMap(([field, value]) =>
    typeof value === 'string' ? templateIssues(value).map((issue) => ({ field: `body.${field}`, message: issue.message })) : [],
  );
  if (errors.length) throw invalid(errors);
}

/** A template that parsed when saved can still fail on one contact's data (a render limit): say so for that contact. */
export function renderOrReason(campaign: Content, contact: Record<string, unknown>): Rendered | string {
  try {
    return renderFor(campaign, contact);
  } catch (error) {
    if (error instanceof TemplateError) return `The template failed for this contact: ${error.message}`;
    throw error;
  }
}
