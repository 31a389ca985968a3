// The import's quick check of text cells against the contact schema it stands in for.
import { describe, expect, it } from 'vitest';
import { contactCellsChecker, contactFields, type ContactCells } from './fields.ts';

const long = (n: number) => 'x'.repeat(n);
const values = {
  firstName: ['Ada', '  Ada  ', '', '   ', long(100), long(101), ` ${long(100)} `, 'Zoë', '\tJosé\n', "O'Brien"],
  lastName: ['Lovelace', '', '  ', long(100), long(101), ' de la Cruz '],
  email: ['ada@example.com', 'ADA@Example.COM', '  ada@example.com ', '', '  ', 'not-an-email', 'a@b', 'a@b.c', 'a.b+c@d-e.example.org', 'a..b@example.com', '.a@example.com',
    'a@-example.com', 'ünï@example.com', `${long(250)}@example.com`, `${long(240)}@ex.com`, 'a@example.com.', "o'brien@example.ie", 'a b@example.com'],
  phone: ['(512) 555-0134', '+1 512 555 0134', '512-555-0134', '5125550134', '  (512) 555-0134 ', '', '  ', '555', '+44 20 7946 0958', '+33 1 23 45 67 89', 'call me',
    '+1 (512) 555-0134 ext. 12', '(999) 555-0134', long(41), '+15125550134', '1 800 FLOWERS'],
  company: ['Acme', '', '  Acme  ', long(200), long(201)],
  source: ['web', '', long(50), long(51), ' fair '],
  tags: [[], ['vip'], [' vip ', 'VIP', 'Vip'], ['a', 'b', 'a'], [long(50)], [long(51)], ['   '], Array.from({ length: 100 }, (_, i) => `t${i}`), Array.from({ length: 101 }, (_, i) => `t${i}`), [' x', 'y ']],
} as const;

/** Every value of every field at least once, in varied company, plus rows without the optional fields. */
function* rows(): Generator<ContactCells> {
  let seed = 7;
  const pick = <T>(list: readonly T[]): T => list[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % list.length]!;
  const fields = Object.keys(values) as (keyof typeof values)[];
  for (const field of fields) {
    for (const value of values[field]) {
      const row: ContactCells = { firstName: pick(values.firstName.slice(0, 2)), tags: [], customFields: { plan: 'pro' } };
      for (const other of fields) if (other !== 'firstName' && other !== 'tags' && seed % 3) (row[other] as string) = pick(values[other]);
      if (field === 'tags') row.tags = [...(value as readonly string[])];
      else (row[field] as string) = value as string;
      yield row;
    }
  }
  for (let i = 0; i < 300; i++) {
    const row: ContactCells = { firstName: pick(values.firstName), tags: [...pick(values.tags)], customFields: {} };
    for (const field of ['lastName', 'email', 'phone', 'company', 'source'] as const) if (seed % 4) row[field] = pick(values[field]);
    yield row;
  }
}

describe('contactCellsChecker', () => {
  it('gives what the schema gives for every value it takes, and leaves every value the schema refuses to the schema', () => {
    for (const country of ['US', 'GB']) {
      const schema = contactFields(country);
      const quick = contactCellsChecker(country);
      let taken = 0;
      let refused = 0;
      for (const row of rows()) {
        const parsed = schema.safeParse(structuredClone(row));
        const fast = quick(structuredClone(row));
        if (!parsed.success) {
          expect(fast, JSON.stringify(row)).toBeNull();
          refused++;
        } else if (fast) {
          expect(fast, JSON.stringify(row)).toEqual(parsed.data);
          taken++;
        }
      }
      // Both kinds really occur, and the quick check takes most valid rows.
      expect(taken).toBeGreaterThan(100);
      expect(refused).toBeGreaterThan(100);
    }
  });

  it('takes a plain row as the schema writes it', () => {
    const row = { firstName: ' Ada ', lastName: '', email: 'ADA@Example.com', phone: '(512) 555-0134', company: ' Acme ', tags: ['vip', ' VIP ', 'math'], customFields: { plan: 'pro' } };
    expect(contactCellsChecker('US')(row)).toEqual({ firstName: 'Ada', lastName: null, email: 'ada@example.com', phone: '+15125550134', company: 'Acme', tags: ['vip', 'math'], customFields: { plan: 'pro' } });
  });
});
