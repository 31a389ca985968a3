// Where a submission came from, as the hosted page learns it: inside an embed the script
// passes the host page's address and utm_* in the iframe's query (`source=`, `utm_source=`);
// on the hosted page itself they are its own query and the page that linked to it.
import { utmKeys } from '@soshogle/plugin-forms/definition';
import type { Answers, Definition } from './types.ts';

/** The hidden fields' values from the visit (the API fills them the same way). */
export { hiddenAnswers } from '@soshogle/plugin-forms/answers';

export interface Visit {
  sourceUrl: string | undefined;
  utm: Record<string, string>;
}

export function visitOf(url: URL, referrer: string): Visit {
  const utm: Record<string, string> = {};
  for (const key of utmKeys) {
    const value = url.searchParams.get(key)?.trim();
    if (value) utm[key] = value.slice(0, 200);
  }
  const sourceUrl = url.searchParams.get('source') || referrer || `${url.origin}${url.pathname}`;
  return { sourceUrl: sourceUrl.slice(0, 2000), utm };
}

/** The answers as sent: text trimmed, empty ones left out (an unticked box is `false`). */
export function answersToSend(definition: Definition, answers: Answers): Answers {
  const out: Answers = {};
  for (const f of definition.fields) {
    const value = answers[f.key];
    if (f.type === 'checkbox') out[f.key] = value === true;
    else if (Array.isArray(value)) {
      if (value.length) out[f.key] = value;
    } else if (typeof value === 'string' && value.trim()) out[f.key] = value.trim();
  }
  return out;
}
