import type { ApiFailure } from '../api/http.ts';
import { en, type MessageKey } from './catalog-en.ts';
import type { Translate } from './i18n.ts';

/** A failed call in the agent's language (the broker's English message is only a fallback detail). */
export function failureText(t: Translate, failure: ApiFailure): string {
  const key = `error.${failure.code}`;
  const known = Object.hasOwn(en, key) ? (key as MessageKey) : 'error.bad_response';
  return t(known, { seconds: failure.retryAfter ?? 60 });
}
