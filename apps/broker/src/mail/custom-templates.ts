import {
  TEMPLATE_PARAMETERS,
  TEMPLATE_PLACEHOLDER,
  type FieldIssue,
  type Language,
  type MailTemplateKind,
} from '@beckon/protocol';
import { escapeHtml, headerSafe, MailInputError, safeHttpUrl, UnsafeLinkError } from './escape.ts';
import { adhocDefaultTemplate } from './adhoc-mail.ts';
import { MESSAGES } from './messages.ts';
import { document, STYLE, type RenderedMail } from './templates.ts';

/**
 * Templates an admin writes (SC10): plain text with `{{name}}` parameters.
 * The HTML part is built from the text (paragraphs, line breaks, links), so
 * an admin never writes markup and no value can inject any: every literal
 * and every value is escaped; link parameters become links only if they are
 * plain http(s) URLs.
 */

export interface TemplateText {
  subject: string;
  body: string;
}

const LINK_PARAMETERS = new Set(['customerLink', 'consoleLink']);

/** What is wrong with a template for its kind: unknown parameters, stray braces. Empty if nothing. */
export function templateProblems(kind: MailTemplateKind, t: TemplateText): FieldIssue[] {
  const allowed = TEMPLATE_PARAMETERS[kind];
  const issues: FieldIssue[] = [];
  for (const field of ['subject', 'body'] as const) {
    const text = t[field];
    for (const m of text.matchAll(TEMPLATE_PLACEHOLDER)) {
      const name = m[1] ?? '';
      if (!allowed.includes(name))
        issues.push({
          path: field,
          message: `unknown parameter {{${name}}}; allowed: ${allowed.join(', ')}`,
        });
    }
    if (/\{\{|\}\}/.test(text.replace(TEMPLATE_PLACEHOLDER, '')))
      issues.push({ path: field, message: 'a "{{" or "}}" that is not a {{parameter}}' });
  }
  return issues;
}

function fill(
  template: string,
  values: Record<string, string>,
  value: (name: string, v: string) => string,
  literal: (s: string) => string,
) {
  let out = '';
  let last = 0;
  for (const m of template.matchAll(TEMPLATE_PLACEHOLDER)) {
    const name = m[1] ?? '';
    const v = values[name];
    if (v === undefined) throw new MailInputError(`template parameter {{${name}}} has no value`);
    out += literal(template.slice(last, m.index)) + value(name, v);
    last = m.index + m[0].length;
  }
  return out + literal(template.slice(last));
}

const htmlValue = (name: string, v: string) => {
  if (!LINK_PARAMETERS.has(name)) return escapeHtml(v);
  let url: string;
  try {
    url = safeHttpUrl(v);
  } catch (err) {
    // Name the parameter: a preview's values are an admin's input, and the answer must say which one.
    throw new UnsafeLinkError(`{{${name}}}: ${(err as Error).message}`, `values.${name}`);
  }
  const href = escapeHtml(url);
  return `<a href="${href}" style="${STYLE.link}">${href}</a>`;
};

/** Renders a saved (already checked) template; values are escaped, the subject must stay one line. */
export function renderTemplate(
  language: Language,
  t: TemplateText,
  values: Record<string, string>,
): RenderedMail {
  const subject = headerSafe(
    fill(
      t.subject,
      values,
      (_n, v) => v,
      (s) => s,
    ),
    'subject',
  );
  const text = fill(
    t.body,
    values,
    (_n, v) => v,
    (s) => s,
  ).trim();
  const paragraphs = t.body
    .trim()
    .split(/\r?\n[ \t]*\r?\n/)
    .map((p) => `<p>${fill(p, values, htmlValue, escapeHtml).replace(/\r?\n/g, '<br>')}</p>`);
  const m = MESSAGES[language];
  return { subject, html: document(language, subject, paragraphs, m), text: `${text}\n\n-- \n${m.footer}\n` };
}

/** The built-in messages' `{name}` placeholders, spelled as template parameters. */
const BUILT_IN_NAMES: Record<string, string> = {
  name: 'customerName',
  agent: 'agentName',
  company: 'companyName',
  code: 'sessionCode',
  expiry: 'expiresAt',
};
const asTemplate = (s: string) => s.replace(/\{(\w+)\}/g, (_m, n: string) => `{{${BUILT_IN_NAMES[n] ?? n}}}`);

/** The supporter's "your customer is here" mail, per language. */
const JOINED: Record<Language, TemplateText> = {
  en: {
    subject: '{{customerName}} is waiting for you – session {{sessionCode}}',
    body:
      'Hello {{agentName}},\n\n{{customerName}} has started the assist client for session {{sessionCode}} ' +
      '(ticket {{ticketId}}) and is waiting for you to connect.\n\nOpen the request:\n{{consoleLink}}\n\n' +
      'The request is valid until {{expiresAt}}.\n\n{{companyName}}',
  },
  de: {
    subject: '{{customerName}} wartet auf Sie – Sitzung {{sessionCode}}',
    body:
      'Guten Tag {{agentName}},\n\n{{customerName}} hat den Assist-Client für die Sitzung {{sessionCode}} ' +
      '(Ticket {{ticketId}}) gestartet und wartet darauf, dass Sie sich verbinden.\n\nAnfrage öffnen:\n{{consoleLink}}\n\n' +
      'Die Anfrage ist gültig bis {{expiresAt}}.\n\n{{companyName}}',
  },
  ja: {
    subject: '{{customerName}} 様がお待ちです（セッション {{sessionCode}}）',
    body:
      '{{agentName}} さん\n\n{{customerName}} 様がセッション {{sessionCode}}（チケット {{ticketId}}）の' +
      'アシストクライアントを起動し、接続をお待ちです。\n\nリクエストを開く：\n{{consoleLink}}\n\n' +
      'このリクエストの有効期限は {{expiresAt}} です。\n\n{{companyName}}',
  },
  ko: {
    subject: '{{customerName}}님이 기다리고 있습니다 (세션 {{sessionCode}})',
    body:
      '{{agentName}}님, 안녕하세요.\n\n{{customerName}}님이 세션 {{sessionCode}}(티켓 {{ticketId}})의 ' +
      '지원 클라이언트를 실행하고 연결을 기다리고 있습니다.\n\n요청 열기:\n{{consoleLink}}\n\n' +
      '이 요청은 {{expiresAt}}까지 유효합니다.\n\n{{companyName}}',
  },
};

/** The built-in text of a kind, as an editable template (the invite mirrors the built-in invite mail). */
export function defaultTemplate(kind: MailTemplateKind, language: Language): TemplateText {
  if (kind === 'customer_joined') return JOINED[language];
  if (kind === 'adhoc_invite') return adhocDefaultTemplate(language);
  const m = MESSAGES[language];
  return {
    subject: asTemplate(m.inviteSubject),
    body: [
      m.greeting,
      m.inviteIntro,
      `${m.inviteAction}\n{{customerLink}}`,
      `${m.codeLine}\n${m.inviteExpiry}`,
      `${m.nextTitle}\n${m.nextBody}`,
      m.notExpected,
    ]
      .map(asTemplate)
      .join('\n\n'),
  };
}

/** Example values for a preview. */
export function sampleValues(kind: MailTemplateKind): Record<string, string> {
  const all: Record<string, string> = {
    customerName: 'Jane Roe',
    sessionCode: 's12-345-678',
    customerLink: 'https://beckon.example/j/EXAMPLE',
    consoleLink: 'https://beckon.example/console/#/requests/00000000-0000-4000-8000-000000000000',
    agentName: 'Sam Agent',
    expiresAt: 'March 12, 2026 at 2:30 PM UTC',
    companyName: 'Acme Support',
    ticketId: 'INC-1234',
    userName: 'Jane Roe',
    providerName: 'Sam Agent',
    securityCode: '12345-67890',
    installLink: 'https://beckon.example/adhoc/EXAMPLE',
  };
  return Object.fromEntries(TEMPLATE_PARAMETERS[kind].map((k) => [k, all[k] ?? '']));
}
