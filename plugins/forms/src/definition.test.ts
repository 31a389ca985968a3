// The form definition's rules, as the API and the builder apply them (pure: no server).
import { describe, expect, it } from 'vitest';
import { formDefinition, starterDefinition, type FormDefinitionInput } from './definition.ts';

const base: FormDefinitionInput = {
  title: 'Get a quote',
  fields: [
    { key: 'name', type: 'text', label: 'Name', required: true, mapsTo: { contact: 'firstName' } },
    { key: 'email', type: 'email', label: 'Email', required: true, mapsTo: { contact: 'email' } },
    { key: 'budget', type: 'select', label: 'Budget', required: false, options: ['Small', 'Large'] },
  ],
  after: { kind: 'message', message: 'Thanks' },
};

const paths = (input: unknown) => {
  const parsed = formDefinition.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
};

describe('a form definition', () => {
  it('accepts a good one and fills the defaults', () => {
    const parsed = formDefinition.parse(base);
    expect(parsed).toMatchObject({ submitLabel: 'Submit', tags: [] });
    expect(formDefinition.parse(starterDefinition('Newsletter')).fields.map((f) => f.key)).toEqual(['first_name', 'email']);
  });

  it('names the failing field of each mistake', () => {
    const fields = base.fields;
    expect(paths({ ...base, fields: [...fields.slice(0, 2), { ...fields[2]!, options: undefined }] })).toEqual(['fields.2.options']);
    expect(paths({ ...base, fields: [...fields.slice(0, 2), { ...fields[2]!, options: ['A', 'a'] }] })).toEqual(['fields.2.options']);
    expect(paths({ ...base, fields: [...fields, { key: 'email', type: 'text', label: 'Again', required: false }] })).toEqual(['fields.3.key']);
    expect(paths({ ...base, fields: [...fields, { key: 'Bad-Key', type: 'text', label: 'X', required: false }] })).toEqual(['fields.3.key']);
    expect(paths({ ...base, fields: [...fields, { key: 'note', type: 'text', label: 'X', required: false, options: ['a'] }] })).toEqual(['fields.3.options']);
    expect(paths({ ...base, fields: [...fields, { key: 'mail2', type: 'text', label: 'X', required: false, mapsTo: { contact: 'email' } }] })).toEqual(['fields.3.mapsTo', 'fields.3.mapsTo']);
    expect(paths({ ...base, fields: [...fields, { key: 'src', type: 'text', label: 'X', required: false, hiddenValue: 'utm_source' }] })).toEqual(['fields.3.hiddenValue']);
    expect(paths({ ...base, after: { kind: 'redirect', url: 'javascript:alert(1)' } })).toEqual(['after.url']);
    expect(paths({ ...base, consent: { email: false, sms: false, wording: 'Yes' } })).toEqual(['consent']);
    expect(paths({ ...base, fields: [] })).toContain('fields');
  });

  it('needs a field that fills the contact email or phone', () => {
    expect(paths({ ...base, fields: [base.fields[0], { ...base.fields[1]!, mapsTo: undefined }] })).toEqual(['fields']);
    expect(paths({ ...base, fields: [base.fields[0], { key: 'tel', type: 'phone', label: 'Phone', required: true, mapsTo: { contact: 'phone' } }] })).toEqual([]);
  });
});
