import type { Language } from '@beckon/protocol';
import { escapeHtml, headerSafe, MailInputError, safeHttpUrl } from './escape.ts';
import { MESSAGES, type MailStatus, type Messages } from './messages.ts';

/** A rendered mail, ready for the outbox. */
export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export interface InviteParams {
  language: Language;
  customerName: string;
  agentName: string;
  companyName: string;
  displayCode: string;
  link: string;
  /** ISO-8601 UTC. */
  expiresAt: string;
  /** IANA zone of the request, so the customer reads the expiry in their own local time. */
  timeZone: string;
  comment: string | null;
}

export interface StatusUpdateParams {
  language: Language;
  customerName: string;
  agentName: string;
  companyName: string;
  displayCode: string;
  status: MailStatus;
  /** ISO-8601 UTC of the close or expiry. */
  at: string;
  timeZone: string;
}

type Vars = Record<string, string>;

/**
 * Fills `{key}` placeholders in one pass, so a value that itself contains
 * "{code}" is never expanded again. `literal` and `value` say how the template
 * text and the values are encoded (identity for plain text, escaping for HTML).
 */
function fill(template: string, vars: Vars, literal: (s: string) => string, value: (s: string) => string) {
  let out = '';
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    const v = vars[m[1] ?? ''];
    if (v === undefined) throw new Error(`mail template placeholder ${m[0]} has no value`);
    out += literal(template.slice(last, m.index)) + value(v);
    last = m.index + m[0].length;
  }
  return out + literal(template.slice(last));
}

export const plain = (template: string, vars: Vars = {}) =>
  fill(
    template,
    vars,
    (s) => s,
    (s) => s,
  );
export const html = (template: string, vars: Vars = {}) => fill(template, vars, escapeHtml, escapeHtml);
const htmlStrong = (template: string, vars: Vars = {}) =>
  fill(template, vars, escapeHtml, (s) => `<strong>${escapeHtml(s)}</strong>`);

/**
 * A UTC instant as the reader's local time, in their language, with the zone
 * spelled out so "14:30" is never ambiguous: "March 12, 2026 at 2:30 PM GMT+9 (Asia/Tokyo)".
 */
export function formatInstant(iso: string, language: Language, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new MailInputError(`invalid mail timestamp: ${iso}`);
  let formatted: string;
  try {
    formatted = new Intl.DateTimeFormat(MESSAGES[language].locale, {
      timeZone,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(date);
  } catch {
    throw new MailInputError(`unknown time zone: ${timeZone}`);
  }
  // "UTC (UTC)" would be noise; every named zone gets its IANA name for clarity.
  return formatted.endsWith(timeZone) ? formatted : `${formatted} (${timeZone})`;
}

export const STYLE = {
  body: 'margin:0;padding:0;background:#f4f5f7;',
  card:
    'max-width:560px;margin:0 auto;padding:24px;background:#ffffff;color:#1f2328;' +
    "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;",
  button:
    'display:inline-block;padding:12px 20px;background:#2557d6;color:#ffffff;' +
    'text-decoration:none;border-radius:6px;font-weight:600;',
  small: 'font-size:13px;color:#57606a;',
  link: 'font-size:13px;color:#57606a;word-break:break-all;',
  code: 'font-family:ui-monospace,Menlo,Consolas,monospace;font-size:17px;letter-spacing:1px;',
  quote: 'margin:8px 0 16px;padding:8px 12px;border-left:3px solid #d0d7de;color:#424a53;',
  h2: 'font-size:16px;margin:24px 0 8px;',
};

/** Wraps body paragraphs (already HTML) in a minimal, inline-styled document: mail clients drop <style>. */
export function document(language: Language, subject: string, inner: string[], m: Messages): string {
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(language)}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body style="${STYLE.body}"><div style="${STYLE.card}">`,
    ...inner,
    `<hr style="border:none;border-top:1px solid #d0d7de;margin:24px 0 12px;">`,
    `<p style="${STYLE.small}">${html(m.footer)}</p>`,
    '</div></body></html>',
    '',
  ].join('\n');
}

/** Subject lines pass headerSafe: a line break in any value must fail loudly, never inject a header. */
export function subjectOf(template: string, vars: Vars): string {
  return headerSafe(plain(template, vars), 'subject');
}

export function renderInvite(p: InviteParams): RenderedMail {
  const m = MESSAGES[p.language];
  const href = safeHttpUrl(p.link);
  const expiry = formatInstant(p.expiresAt, p.language, p.timeZone);
  const vars: Vars = {
    name: p.customerName,
    agent: p.agentName,
    company: p.companyName,
    code: p.displayCode,
    expiry,
  };
  const subject = subjectOf(m.inviteSubject, vars);
  const comment = p.comment?.trim() ? p.comment.trim() : null;

  const htmlParts = [
    `<p>${html(m.greeting, vars)}</p>`,
    `<p>${htmlStrong(m.inviteIntro, vars)}</p>`,
    `<p>${html(m.inviteAction)}</p>`,
    `<p style="margin:24px 0;"><a href="${escapeHtml(href)}" style="${STYLE.button}">${html(m.inviteButton)}</a></p>`,
    `<p style="${STYLE.small}">${html(m.linkFallback)}<br>` +
      `<a href="${escapeHtml(href)}" style="${STYLE.link}">${escapeHtml(href)}</a></p>`,
    `<p>${fill(m.codeLine, vars, escapeHtml, (s) => `<strong style="${STYLE.code}">${escapeHtml(s)}</strong>`)}</p>`,
    `<p>${htmlStrong(m.inviteExpiry, vars)}</p>`,
  ];
  if (comment) {
    htmlParts.push(
      `<p style="margin-bottom:0;">${html(m.inviteComment, vars)}</p>`,
      `<blockquote style="${STYLE.quote}">${escapeHtml(comment).replace(/\r?\n/g, '<br>')}</blockquote>`,
    );
  }
  htmlParts.push(
    `<h2 style="${STYLE.h2}">${html(m.nextTitle)}</h2>`,
    `<p>${html(m.nextBody)}</p>`,
    `<p style="${STYLE.small}">${html(m.notExpected)}</p>`,
  );

  const textParts = [
    plain(m.greeting, vars),
    plain(m.inviteIntro, vars),
    `${plain(m.inviteAction)}\n${href}`,
    `${plain(m.codeLine, vars)}\n${plain(m.inviteExpiry, vars)}`,
  ];
  if (comment) {
    const quoted = comment
      .split(/\r?\n/)
      .map((line) => `> ${line}`)
      .join('\n');
    textParts.push(`${plain(m.inviteComment, vars)}\n${quoted}`);
  }
  textParts.push(
    `${plain(m.nextTitle)}\n${plain(m.nextBody)}`,
    plain(m.notExpected),
    `-- \n${plain(m.footer)}`,
  );

  return {
    subject,
    html: document(p.language, subject, htmlParts, m),
    text: textParts.join('\n\n') + '\n',
  };
}

export function renderStatusUpdate(p: StatusUpdateParams): RenderedMail {
  const m = MESSAGES[p.language];
  const vars: Vars = {
    name: p.customerName,
    agent: p.agentName,
    company: p.companyName,
    code: p.displayCode,
    at: formatInstant(p.at, p.language, p.timeZone),
  };
  const subject = subjectOf(m.statusSubject[p.status], vars);
  const htmlParts = [
    `<p>${html(m.greeting, vars)}</p>`,
    `<p>${htmlStrong(m.statusBody[p.status], vars)}</p>`,
  ];
  const text = [plain(m.greeting, vars), plain(m.statusBody[p.status], vars), `-- \n${plain(m.footer)}`];
  return { subject, html: document(p.language, subject, htmlParts, m), text: text.join('\n\n') + '\n' };
}
