import { parseWith, type FieldIssue } from '@beckon/protocol';
import type { z } from 'zod';
import type { ApiFailure } from '../api/http.ts';

/** Field → first problem; `form` for problems without a field. */
export type Problems = Record<string, string>;

export function problemsOf(issues: readonly FieldIssue[]): Problems {
  const out: Problems = {};
  for (const issue of issues) {
    const field = issue.path === '(root)' ? 'form' : (issue.path.split('.')[0] ?? 'form');
    out[field] ??= issue.message;
  }
  return out;
}

/** Checks a body with its protocol schema: the value to send, or the problems per field. */
export function check<S extends z.ZodType>(
  schema: S,
  body: unknown,
): { ok: true; value: z.infer<S> } | { ok: false; problems: Problems } {
  const parsed = parseWith(schema, body);
  return parsed.ok
    ? { ok: true, value: parsed.value }
    : { ok: false, problems: problemsOf(parsed.error.issues) };
}

/** A failed create: field problems from the broker, or one message for the form. */
export function problemsOfFailure(failure: ApiFailure, text: string): Problems {
  const fields = problemsOf(failure.issues);
  return Object.keys(fields).length ? fields : { form: text };
}
