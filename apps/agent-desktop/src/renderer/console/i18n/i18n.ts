import { LANGUAGES, type Language } from '@beckon/protocol';
import { de } from './catalog-de.ts';
import { en, type MessageKey } from './catalog-en.ts';
import { ja } from './catalog-ja.ts';
import { ko } from './catalog-ko.ts';

export type { MessageKey };
export type MessageParams = Readonly<Record<string, string | number>>;
/** The one way UI text is produced. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export const CATALOGS: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { en, de, ja, ko };

/**
 * Language names are shown in their own language (an endonym), so an agent can
 * find theirs even in a UI they cannot read: they are deliberately not in the catalogs.
 */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  de: 'Deutsch',
  ja: '日本語',
  ko: '한국어',
};

/** BCP 47 tags for Intl, so dates follow each language's conventions. */
const LOCALES: Readonly<Record<Language, string>> = { en: 'en-GB', de: 'de-DE', ja: 'ja-JP', ko: 'ko-KR' };

const PLACEHOLDER = /\{(\w+)\}/g;

export function translate(language: Language, key: MessageKey, params?: MessageParams): string {
  const text = CATALOGS[language][key] ?? en[key];
  if (!params) return text;
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function translator(language: Language): Translate {
  return (key, params) => translate(language, key, params);
}

/** The placeholders a text uses, sorted: translations must use the same set. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').sort();
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The first of the browser's preferred languages that Beckon speaks (`de-AT` → `de`), else English. */
export function detectLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

/** A valid IANA zone or null (Intl throws for unknown zones). */
export function checkTimeZone(zone: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A wire timestamp shown in the agent's language and time zone; `short` for
 * table cells. Formatters are cached: a 10,000-row list formats many dates
 * and building one is costly.
 */
export function formatDateTime(
  iso: string | null,
  language: Language,
  timeZone: string,
  style: 'medium' | 'short' = 'medium',
): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const id = `${language}|${timeZone}|${style}`;
  let format = formatters.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[language], {
      dateStyle: style,
      timeStyle: 'short',
      timeZone: checkTimeZone(timeZone) ?? 'UTC',
    });
    formatters.set(id, format);
  }
  return format.format(date);
}

/** Counts with the language's grouping (10,000 / 10.000). */
export function formatNumber(value: number, language: Language): string {
  return new Intl.NumberFormat(LOCALES[language]).format(value);
}
