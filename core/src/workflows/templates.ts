// Liquid templates in workflow action settings (`Hi {{ contact.firstName }}`).
// Marketers write them, so they are untrusted: liquidjs only reads data (no
// code), and the engine below is locked down further.
import { Liquid, type Template } from 'liquidjs';

/** A template problem found when a workflow is saved. path is relative (e.g. [] for a string, ['body','text'] inside an object). */
export interface TemplateIssue { path: (string | number)[]; message: string }

export class TemplateError extends Error {
  override name = 'TemplateError';
}

const CACHE_SIZE = 1000;

const engine = new Liquid({
  // Own properties only: `constructor`, `__proto__`, `toString`... read as undefined.
  ownPropertyOnly: true,
  strictVariables: false,
  // A typo'd filter is a save-time error, not silently dropped text.
  strictFilters: true,
  // Server-side rendering must not depend on the host's time zone.
  timezoneOffset: 0,
  // No file ever resolves; the partial tags are also removed below.
  relativeReference: false,
  fs: {
    exists: async () => false,
    existsSync: () => false,
    readFile: async () => { throw new Error('templates cannot read files'); },
    readFileSync: () => { throw new Error('templates cannot read files'); },
    resolve: (_dir, file) => file,
    contains: async () => false,
    containsSync: () => false,
  },
  // DoS bounds: template length (chars), wall time per render (ms), allocations (~chars/array items).
  parseLimit: 1_000_000,
  renderLimit: 250,
  memoryLimit: 10_000_000,
  // Not escaping: it is the one hook on every `{{ }}` output, used so Dates print as ISO strings.
  // Anything else is returned as is and stringified by liquidjs.
  outputEscape: (value: unknown) => (value instanceof Date ? (Number.isNaN(value.getTime()) ? '' : value.toISOString()) : value) as string,
});
// Partials only make sense with files: make them parse errors, so they are caught at save time.
for (const tag of ['include', 'render', 'layout']) delete engine.tags[tag];

// The engine renders the same few templates over and over: keep their parse trees (LRU by Map order).
const cache = new Map<string, Template[]>();

function parse(template: string): Template[] {
  const hit = cache.get(template);
  if (hit) {
    cache.delete(template);
    cache.set(template, hit);
    return hit;
  }
  let parsed: Template[];
  try {
    parsed = engine.parse(template);
  } catch (err) {
    throw toTemplateError(err);
  }
  cache.set(template, parsed);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return parsed;
}

function toTemplateError(err: unknown): TemplateError {
  return new TemplateError(err instanceof Error ? err.message : String(err), { cause: err });
}

/** Renders one template string. Unknown variables render as empty strings. Throws TemplateError on a broken template or when a limit is hit. */
export function renderTemplate(template: string, context: Record<string, unknown>): string {
  // Plain text is the common case: skip the parser and the cache.
  if (!template.includes('{')) return template;
  const parsed = parse(template);
  try {
    // A fresh top-level scope: `{% increment x %}` writes into it, and must not change the caller's context.
    return String(engine.renderSync(parsed, Object.assign(Object.create(null), context)));
  } catch (err) {
    throw toTemplateError(err);
  }
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Renders an HTML template (an email body): every string the data brings is HTML-escaped
 * first, so a contact named `<script>` stays text. The template's own markup is kept.
 */
export function renderHtmlTemplate(template: string, context: Record<string, unknown>): string {
  const escaped = mapStrings(context, [], (s) => s.replace(/[&<>"']/g, (c) => htmlEntities[c]!)) as Record<string, unknown>;
  return renderTemplate(template, escaped);
}

/** Deep-renders every string inside a JSON value (objects, arrays), leaving numbers/booleans/null and keys alone. Returns a new value; never mutates input. */
export function renderValue<T>(value: T, context: Record<string, unknown>): T {
  return mapStrings(value, [], (s) => renderTemplate(s, context)) as T;
}

/** Parse-checks every string inside a JSON value without rendering; returns an issue per broken template, with its path. Used at save time to answer 422. */
export function templateIssues(value: unknown): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  mapStrings(value, [], (s, path) => {
    try {
      if (s.includes('{')) parse(s);
    } catch (err) {
      issues.push({ path, message: err instanceof Error ? err.message : String(err) });
    }
    return s;
  });
  return issues;
}

function mapStrings(value: unknown, path: (string | number)[], fn: (s: string, path: (string | number)[]) => string): unknown {
  if (typeof value === 'string') return fn(value, path);
  if (Array.isArray(value)) return value.map((item, i) => mapStrings(item, [...path, i], fn));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    // fromEntries defines own properties, so a JSON `__proto__` key stays a plain key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, [...path, k], fn)]));
  }
  return value;
}
