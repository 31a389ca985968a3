// The guard every request's input passes before its schema: text PostgreSQL cannot store
// (U+0000, lone UTF-16 surrogates), JSON nested deeper than anything we keep, and dates
// outside PostgreSQL's range are refused here, once, with a 422 naming the field, instead
// of surfacing as a database error (a 500) in whichever route happens to store them.
import type { Context, Next } from 'koa';
import type { z } from 'zod';
import { invalid, parseOrThrow, type FieldError } from './problem.ts';

/** Deeper than any document we store (workflow steps, filters); also bounds the walk itself. */
export const maxDepth = 64;

/**
 * PostgreSQL's timestamps end in 294276 AD, after JavaScript's last date, so only the
 * start needs a check; years before 1 are refused too (PostgreSQL has no year 0 either).
 */
const earliest = new Date('0001-01-01T00:00:00.000Z').getTime();

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** What is wrong with a piece of text, or null. */
export function badText(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (text.search(loneSurrogate) !== -1) return 'must be valid Unicode text (it has a lone UTF-16 surrogate)';
  return null;
}

/** A field name safe to echo back, whatever the client put in its keys. */
const printable = (key: string) => key.replaceAll('\u0000', '\uFFFD').replace(loneSurrogate, '\uFFFD');

const isPlainObject = (value: object) => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/** Enough to fix a form with; a body full of NULs is not listed to the last one. */
const maxReported = 20;

/**
 * Every bad thing in a value as the client sent it (strings, object keys, nesting),
 * each named by its dotted path under `field` (`query.q`, `body.steps.0.props.to`).
 */
export function badInput(value: unknown, field: string, found: FieldError[] = [], depth = 0): FieldError[] {
  if (found.length >= maxReported) return found;
  if (typeof value === 'string') {
    const message = badText(value);
    if (message) found.push({ field, message });
    return found;
  }
  if (value === null || typeof value !== 'object') return found;
  if (depth >= maxDepth) {
    found.push({ field, message: `nests deeper than ${maxDepth} levels` });
    return found;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) badInput(item, `${field}.${i}`, found, depth + 1);
    return found;
  }
  if (!isPlainObject(value)) return found;
  for (const [key, item] of Object.entries(value)) {
    const name = `${field}.${printable(key)}`;
    const message = badText(key);
    if (message) found.push({ field: name, message: `has a name that ${message}` });
    else badInput(item, name, found, depth + 1);
  }
  return found;
}

/** The first date in a parsed value that PostgreSQL cannot store. */
export function badDate(value: unknown, field: string, depth = 0): FieldError | null {
  if (value instanceof Date) {
    const time = value.getTime();
    if (Number.isNaN(time)) return { field, message: 'must be a valid date' };
    if (time < earliest) return { field, message: 'must be a date from the year 1 on' };
    return null;
  }
  if (value === null || typeof value !== 'object' || depth >= maxDepth) return null;
  if (!Array.isArray(value) && !isPlainObject(value)) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = badDate(item, `${field}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** `parseOrThrow`, with the input guarded before the schema and the dates it produced checked after. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix: string): z.output<S> {
  const bad = badInput(value, prefix);
  if (bad.length) throw invalid(bad);
  const parsed = parseOrThrow(schema, value, prefix);
  const date = badDate(parsed, prefix);
  if (date) throw invalid([date]);
  return parsed;
}

const notUtf8 = 'must be percent-encoded UTF-8';

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return null;
  }
}

/**
 * A path or query that is not percent-encoded UTF-8, or a path with a NUL or a lone
 * surrogate in it. Broken UTF-8 is refused rather than guessed at: Node reads it in the
 * query as U+FFFD, and the router leaves it undecoded in a path parameter.
 */
function badUrl(path: string, querystring: string): FieldError | null {
  const text = decoded(path);
  if (text === null) return { field: 'path', message: notUtf8 };
  const message = badText(text);
  if (message) return { field: 'path', message };
  for (const pair of querystring ? querystring.split('&') : []) {
    const [key = '', value = ''] = pair.split(/=(.*)/s);
    const name = decoded(key);
    if (name === null || decoded(value) === null) return { field: `query.${printable(name ?? key)}`, message: notUtf8 };
  }
  return null;
}

/**
 * The URL of every request (API, webhooks, pages): the path and each query parameter,
 * before any router or handler reads them.
 */
export async function refuseBadUrl(ctx: Context, next: Next): Promise<void> {
  const inUrl = badUrl(ctx.path, ctx.querystring);
  const bad = inUrl ? [inUrl] : badInput(ctx.query, 'query');
  if (bad.length) throw invalid(bad);
  await next();
}
