import { z } from 'zod';

/** Shared field shapes. Text fields refuse control characters so that nothing
 * user-supplied can break a log line, a mail header or a terminal prompt. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LINE_BREAKS = /[\r\n\u2028\u2029]/;

/** One line of text: no control characters and no line breaks. */
export const singleLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(
      (v) => !CONTROL_CHARS.test(v) && !LINE_BREAKS.test(v),
      'must be one line without control characters',
    );

/** Free text: line breaks allowed, other control characters not. */
export const multiLine = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !CONTROL_CHARS.test(v), 'must not contain control characters');

export const IdSchema = z.uuid().max(36);
export const EmailSchema = z.email().max(254);
/** Every time on the wire is UTC ISO-8601 with an explicit offset. */
// The length bound only keeps a caller from sending a megabyte of fraction digits.
export const TimestampSchema = z.iso.datetime({ offset: true }).max(64);

export const TimeZoneSchema = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown IANA time zone');

export const LanguageSchema = z.enum(['en', 'de', 'ja', 'ko']);
export type Language = z.infer<typeof LanguageSchema>;
export const LANGUAGES = LanguageSchema.options;
