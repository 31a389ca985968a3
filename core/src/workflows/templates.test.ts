import { describe, expect, it } from 'vitest';
import { renderHtmlTemplate, renderTemplate, renderValue, TemplateError, templateIssues } from './templates.ts';

const createdAt = new Date('2024-03-05T10:20:30Z');
const context = () => ({
  contact: { firstName: 'Ann', lastName: 'Lee', createdAt, tags: ['vip', 'lead'], address: { city: 'Oslo' } },
  deal: { amount: 1200 },
  event: { type: 'contact.created' },
  steps: { fetch: { status: 200, body: { ok: true } } },
  workflow: { name: 'Welcome' },
  now: createdAt,
});

describe('renderTemplate', () => {
  it('renders nested variables', () => {
    expect(renderTemplate('Hi {{ contact.firstName }} from {{ contact.address.city }}', context())).toBe('Hi Ann from Oslo');
    expect(renderTemplate('{{ steps.fetch.status }}/{{ steps.fetch.body.ok }}/{{ deal.amount }}', context())).toBe('200/true/1200');
    expect(renderTemplate('{{ contact.tags[0] }},{{ contact.tags.size }},{{ contact.tags | join: "+" }}', context())).toBe('vip,2,vip+lead');
    expect(renderTemplate('no tags here', context())).toBe('no tags here');
  });

  it('renders unknown variables as empty strings', () => {
    expect(renderTemplate('[{{ nope }}|{{ contact.nope.deeper }}|{{ steps.missing.status }}]', context())).toBe('[||]');
  });

  it('applies filters', () => {
    expect(renderTemplate('Hi {{ contact.nickname | default: "friend" }}', context())).toBe('Hi friend');
    expect(renderTemplate('{{ contact.firstName | upcase }}', context())).toBe('ANN');
    expect(renderTemplate('{{ contact.createdAt | date: "%Y-%m-%d %H:%M" }}', context())).toBe('2024-03-05 10:20');
    expect(renderTemplate('{{ now | date: "%b %-d, %Y" }}', context())).toBe('Mar 5, 2024');
    expect(renderTemplate('{{ "2024-01-02T03:04:05Z" | date: "%H:%M" }}', context())).toBe('03:04');
    expect(renderTemplate('{% if deal.amount > 1000 %}big{% else %}small{% endif %}', context())).toBe('big');
  });

  it('renders Dates as ISO strings', () => {
    expect(renderTemplate('{{ contact.createdAt }}', context())).toBe('2024-03-05T10:20:30.000Z');
    expect(renderTemplate('{{ now }}', context())).toBe('2024-03-05T10:20:30.000Z');
  });

  it('throws TemplateError on broken templates and unknown filters', () => {
    expect(() => renderTemplate('Hi {{ contact.firstName', context())).toThrow(TemplateError);
    expect(() => renderTemplate('{% if x %}never closed', context())).toThrow(TemplateError);
    expect(() => renderTemplate('{{ contact.firstName | no_such_filter }}', context())).toThrow(/undefined filter: no_such_filter/);
  });

  it('does not let templates change the caller context', () => {
    const ctx = context();
    expect(renderTemplate('{% increment contact %}{% increment deal %}{% assign workflow = 1 %}', ctx)).toBe('00');
    expect(ctx.contact.firstName).toBe('Ann');
    expect(ctx.deal.amount).toBe(1200);
    expect(renderTemplate('{{ contact.firstName }} {{ deal.amount }} {{ workflow.name }}', ctx)).toBe('Ann 1200 Welcome');
  });
});

describe('renderValue', () => {
  it('deep-renders strings in objects and arrays, leaving other values and keys alone', () => {
    const input = {
      to: '{{ contact.firstName }}',
      '{{ key }}': 'kept key',
      body: { text: 'Hi {{ contact.firstName | upcase }}', parts: ['{{ deal.amount }}', 3, true, null, { x: '{{ event.type }}' }] },
      retries: 2,
    };
    const snapshot = structuredClone(input);
    const out = renderValue(input, context());
    expect(out).toEqual({
      to: 'Ann',
      '{{ key }}': 'kept key',
      body: { text: 'Hi ANN', parts: ['1200', 3, true, null, { x: 'contact.created' }] },
      retries: 2,
    });
    expect(input).toEqual(snapshot);
    expect(out).not.toBe(input);
    expect(out.body).not.toBe(input.body);
  });

  it('keeps a JSON "__proto__" key as a plain key', () => {
    const out = renderValue(JSON.parse('{"__proto__": {"polluted": "{{ contact.firstName }}"}}'), context()) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('renders scalars', () => {
    expect(renderValue('{{ workflow.name }}', context())).toBe('Welcome');
    expect(renderValue(42, context())).toBe(42);
    expect(renderValue(null, context())).toBe(null);
  });
});

describe('templateIssues', () => {
  it('returns nothing for valid templates', () => {
    expect(templateIssues({ a: 'Hi {{ x }}', b: ['{% if y %}z{% endif %}', 1, null], c: 'plain' })).toEqual([]);
  });

  it('finds broken templates with their paths', () => {
    const issues = templateIssues({
      subject: 'Hi {{ contact.firstName }}',
      body: { text: 'Hi {{ contact.firstName' },
      list: ['ok', '{% for x in y %}no end', '{{ a | bogus }}'],
    });
    expect(issues.map((i) => i.path)).toEqual([['body', 'text'], ['list', 1], ['list', 2]]);
    for (const issue of issues) expect(issue.message).toEqual(expect.any(String));
    expect(issues[0]!.message).toMatch(/not closed/);
    expect(issues[2]!.message).toMatch(/undefined filter: bogus/);
  });

  it('uses an empty path for a bare string', () => {
    expect(templateIssues('{{ oops')).toEqual([{ path: [], message: expect.stringMatching(/not closed/) }]);
  });

  it('rejects partial tags at save time', () => {
    expect(templateIssues(["{% include 'a' %}", "{% render 'b' %}", "{% layout 'c' %}"]).map((i) => i.path)).toEqual([[0], [1], [2]]);
  });
});

describe('untrusted templates', () => {
  // Each must render empty (or literal text); never function source, env values, or file contents.
  const rendersTo: [string, string][] = [
    ['{{ constructor.constructor }}', ''],
    ['{{ constructor }}', ''],
    ['{{ __proto__ }}', ''],
    ['{{ contact.__proto__.polluted }}', ''],
    ['{{ contact.constructor }}', ''],
    ['{{ contact.toString }}', ''],
    ['{{ contact.tags.constructor }}', ''],
    ['{{ "abc".constructor }}', ''],
    ['{{ process.env.HOME }}', ''],
    ['{{ process }}', ''],
    ['{{ global }}', ''],
    ['{{ globalThis }}', ''],
    ['{{ this }}', ''],
    ['{{ require }}', ''],
    ["{{ contact['constructor'] }}", ''],
    ["{{ contact['__proto__']['constructor'] }}", ''],
    ['{{ "a" | prepend: contact.constructor }}', 'a'],
    ['{{ contact.tags | map: "constructor" }}', ''],
    ["{% assign x = contact['__proto__'] %}{{ x.polluted }}", ''],
    ['{% assign __proto__ = "p" %}{{ polluted }}', ''],
  ];
  for (const [template, expected] of rendersTo) {
    it(`renders ${template} as ${JSON.stringify(expected)}`, () => {
      expect(renderTemplate(template, context())).toBe(expected);
    });
  }

  it('cannot call functions', () => {
    // Liquid has no call syntax: this is a parse error, never an invocation.
    expect(() => renderTemplate("{{ contact.constructor.constructor('return process')() }}", context())).toThrow(TemplateError);
  });

  it('cannot read files through include/render/layout', () => {
    for (const template of ["{% include '/etc/passwd' %}", "{% render '../../package.json' %}", "{% layout 'x' %}", '{% include contact.firstName %}']) {
      expect(() => renderTemplate(template, context())).toThrow(/tag "(include|render|layout)" not found/);
    }
  });

  it('does not pollute prototypes', () => {
    for (const template of [
      '{% assign __proto__ = "x" %}',
      '{% increment __proto__ %}{% decrement constructor %}',
      '{% capture __proto__ %}polluted{% endcapture %}',
      "{% assign contact['__proto__'].polluted = 'yes' %}",
    ]) {
      try {
        renderTemplate(template, context());
      } catch (err) {
        expect(err).toBeInstanceOf(TemplateError);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('bounds huge ranges and loop nests', () => {
    const start = Date.now();
    expect(() => renderTemplate('{% for i in (1..100000000) %}x{% endfor %}', context())).toThrow(/memory alloc limit exceeded/);
    expect(() => renderTemplate(
      '{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}',
      context(),
    )).toThrow(TemplateError);
    expect(() => renderTemplate("{% assign s = 'x' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}", context())).toThrow(/memory alloc limit exceeded/);
    expect(() => renderTemplate('x'.repeat(2_000_000) + '{{ a }}', context())).toThrow(/parse length limit exceeded/);
    expect(Date.now() - start).toBeLessThan(5_000);
  });

  it('turns deep nesting into a TemplateError, not a crash', () => {
    const deep = '{% if true %}'.repeat(20_000) + 'x' + '{% endif %}'.repeat(20_000);
    let out: string | undefined;
    try {
      out = renderTemplate(deep, context());
    } catch (err) {
      expect(err).toBeInstanceOf(TemplateError);
    }
    if (out !== undefined) expect(out).toBe('x');
  });
});

describe('renderHtmlTemplate', () => {
  it('escapes the data, not the template', () => {
    const contact = { firstName: '<script>alert("x")</script>', company: { name: "Tom & Jerry's" } };
    expect(renderHtmlTemplate('<p>Hi <b>{{ contact.firstName }}</b> of {{ contact.company.name | upcase }}</p>', { contact })).toBe(
      '<p>Hi <b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</b> of TOM &AMP; JERRY&#39;S</p>',
    );
  });
});
