// The booker's answers to the type's questions: required ones given, a select's answer one of
// its options, answers to questions the type does not ask dropped. Each failure names its field.
import { invalid, type FieldError } from '@soshogle/core';
import { questionsInput } from '../availability/schemas.ts';

export const questionsOf = (stored: unknown) => {
  const parsed = questionsInput.safeParse(stored);
  return parsed.success ? parsed.data : [];
};

export function checkAnswers(stored: unknown, given: Record<string, string>): Record<string, string> {
  const errors: FieldError[] = [];
  const kept: Record<string, string> = {};
  for (const q of questionsOf(stored)) {
    const answer = given[q.id]?.trim() ?? '';
    const field = `body.answers.${q.id}`;
    if (!answer) {
      if (q.required) errors.push({ field, message: `${q.label} is required` });
      continue;
    }
    if (q.kind === 'select' && q.options && !q.options.includes(answer)) {
      errors.push({ field, message: `Choose one of: ${q.options.join(', ')}` });
      continue;
    }
    kept[q.id] = answer;
  }
  if (errors.length) throw invalid(errors);
  return kept;
}
