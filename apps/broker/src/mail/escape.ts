/**
 * Escaping and validation for everything that goes into a mail. Values come
 * from agents, helpdesk integrations and customers, so each one is treated as
 * hostile: HTML-escaped in bodies, refused in headers if it could break a line.
 */

/** A value that must not reach a mail as given. Never worth retrying: the same input fails again. */
export class MailInputError extends Error {
  override name = 'MailInputError';
  /** The input field at fault, when known (an API answer names it). */
  readonly path: string | undefined;
  constructor(message: string, path?: string) {
    super(message);
    this.path = path;
  }
}

/** A header value (recipient, subject, from) holding a line break or another control character. */
export class UnsafeHeaderError extends MailInputError {
  override name = 'UnsafeHeaderError';
  readonly field: string;

  constructor(field: string) {
    super(`mail header "${field}" contains a control character`);
    this.field = field;
  }
}

/** A link that is not plain http(s), e.g. `javascript:` or `data:`, which must never become an href. */
export class UnsafeLinkError extends MailInputError {
  override name = 'UnsafeLinkError';
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values alike. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

// C0 and C1 controls (CR and LF among them, so no header injection), DEL, and
// the Unicode line and paragraph separators, which some clients render as breaks.
// eslint-disable-next-line no-control-regex
const HEADER_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Returns `value` unchanged if it is safe as a single-line header value, and
 * throws UnsafeHeaderError otherwise. Refusing beats stripping: a name that
 * carries "\r\nBcc:" is an attack or a bug upstream, and either should be loud.
 */
export function headerSafe(value: string, field = 'header'): string {
  if (HEADER_UNSAFE.test(value)) throw new UnsafeHeaderError(field);
  return value;
}

/** Parses a link meant for an href; only absolute http(s) URLs pass. Returns the normalised URL. */
export function safeHttpUrl(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new UnsafeLinkError('mail link is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UnsafeLinkError(`mail link scheme ${url.protocol} is not allowed`);
  }
  // The WHATWG serialisation percent-encodes spaces, quotes and controls, so the
  // result can't break out of an attribute even before escapeHtml runs on it.
  return url.href;
}
