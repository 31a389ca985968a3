// checkAnswers: the one set of rules the public page and the API both apply (pure: no server).
import { describe, expect, it } from 'vitest';
import { checkAnswers, hiddenAnswers } from './answers.ts';
import { formDefinition } from './definition.ts';

const definition = formDefinition.parse({
  title: 'Contact us',
  fields: [
    { key: 'name', type: 'text', label: 'Name', required: true, mapsTo: { contact: 'firstName' } },
    { key: 'email', type: 'email', label: 'Email', required: true, mapsTo: { contact: 'email' } },
    { key: 'phone', type: 'phone', label: 'Phone', required: false, mapsTo: { contact: 'phone' } },
    { key: 'plan', type: 'select', label: 'Plan', required: false, options: ['Basic', 'Pro'] },
    { key: 'topics', type: 'multi_select', label: 'Topics', required: false, options: ['SEO', 'Ads'] },
    { key: 'terms', type: 'checkbox', label: 'I accept', required: true },
    { key: 'start', type: 'date', label: 'Start', required: false },
    { key: 'about', type: 'textarea', label: 'About', required: false },
  ],
});

const errorsOf = (answers: unknown) => {
  const checked = checkAnswers(definition, answers);
  return checked.ok ? [] : checked.errors.map((e) => e.field);
};

describe('checkAnswers', () => {
  it('keeps good answers in their stored form, drops blanks and unknown keys', () => {
    const checked = checkAnswers(definition, {
      name: '  Ada ', email: 'ADA@Example.TEST', phone: '+1 (512) 555-0100', plan: 'Pro', topics: ['SEO', 'SEO'], terms: true, start: '2027-02-28', about: '', other: 'x',
    });
    expect(checked).toEqual({
      ok: true,
      value: { name: 'Ada', email: 'ada@example.test', phone: '+1 (512) 555-0100', plan: 'Pro', topics: ['SEO'], terms: true, start: '2027-02-28' },
    });
  });

  it('names each bad answer as answers.<key>', () => {
    expect(errorsOf({})).toEqual(['answers.name', 'answers.email', 'answers.terms']);
    expect(errorsOf({ name: 'Ada', email: 'not-an-email', terms: true })).toEqual(['answers.email']);
    expect(errorsOf({ name: 'Ada', email: 'a@b.co', terms: false })).toEqual(['answers.terms']);
    expect(errorsOf({ name: 'Ada', email: 'a@b.co', terms: true, phone: 'call me' })).toEqual(['answers.phone']);
    expect(errorsOf({ name: 'Ada', email: 'a@b.co', terms: true, phone: '123' })).toEqual(['answers.phone']);
    expect(errorsOf({ name: 'Ada', email: 'a@b.co', terms: true, plan: 'Gold' })).toEqual(['answers.plan']);
    expect(errorsOf({ name: 'Ada', email: 'a@b.co', terms: true, topics: ['SEO', 'TV'] })).toEqual(['answers.topics']);
    expect(errorsOf({ name: 'Ada', email: 'a@b.co', terms: true, topics: 'SEO' })).toEqual(['answers.topics']);
    expect(errorsOf({ name: 'Ada', email: 'a@b.co', terms: true, start: '2027-02-30' })).toEqual(['answers.start']);
    expect(errorsOf({ name: 'Ada', email: 'a@b.co', terms: true, about: 'x'.repeat(5001) })).toEqual(['answers.about']);
    expect(errorsOf({ name: { no: 1 }, email: 'a@b.co', terms: true })).toEqual(['answers.name']);
    expect(errorsOf('nonsense')).toEqual(['answers.name', 'answers.email', 'answers.terms']);
  });
});

describe('hiddenAnswers', () => {
  const hidden = (key: string, hiddenValue: string) => ({ key, type: 'hidden' as const, label: key, required: false, hiddenValue });
  const fields = [hidden('campaign', 'utm_campaign'), hidden('page', 'page_url'), hidden('origin', 'partner'), hidden('medium', 'utm_medium')];

  it('fills hidden fields from the page, else their fixed text, and keeps what the page sent', () => {
    const visit = { sourceUrl: 'https://shop.example/pricing', utm: { utm_campaign: 'spring' } };
    expect(hiddenAnswers({ fields }, visit)).toEqual({ campaign: 'spring', page: 'https://shop.example/pricing', origin: 'partner' });
    expect(hiddenAnswers({ fields }, visit, { campaign: 'summer', page: '' })).toEqual({ page: 'https://shop.example/pricing', origin: 'partner' });
  });
});
