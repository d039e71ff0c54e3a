import {
  ASSIST_BUNDLE_ROUTE,
  ASSIST_PLATFORMS,
  DEFAULT_BRAND_COLOR,
  SESSION_STATUSES,
  assistBundleName,
  assistDeepLink,
  assistDownloadName,
  assistLauncherName,
  type AssistPlatform,
  type Branding,
  type Language,
  type SessionCode,
  type SessionStatus,
} from '@beckon/protocol';
import { createHash } from 'node:crypto';
import { escapeHtml as e } from '../mail/escape.ts';
import { LOCALES, OS_NAMES, statusKey, textsFor, type TextKey, type Texts } from './texts.ts';

/** A rendered page and the Content-Security-Policy that goes with it. */
export interface Page {
  html: string;
  csp: string;
}

/** JSON inside a <script type="application/json">: nothing in it may close the element. */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The frame every page shares. No inline script and no inline style except
 * the one rule carrying the brand colour, allowed by its hash, so the CSP
 * forbids everything a stray unescaped string could try to run.
 */
function shell(opts: {
  lang: Language;
  title: string;
  branding: Branding;
  body: string;
  /** The page's scripts under /landing/ (the CSP allows only the broker's own files). */
  scripts: readonly string[];
}): Page {
  const t = textsFor(opts.lang);
  const color = /^#[0-9a-f]{6}$/.test(opts.branding.color) ? opts.branding.color : DEFAULT_BRAND_COLOR;
  const style = `:root{--brand:${color}}`;
  const styleHash = createHash('sha256').update(style).digest('base64');
  const logo = opts.branding.logoUrl
    ? `<img class="logo" src="${e(opts.branding.logoUrl)}" alt="${e(opts.branding.orgName)}">`
    : '';
  const html = `<!doctype html>
<html lang="${e(LOCALES[opts.lang])}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${e(opts.title)}</title>
<link rel="stylesheet" href="/landing/landing.css">
<style>${style}</style>
</head>
<body>
<header class="brand">${logo}<span class="org">${e(opts.branding.orgName || 'Beckon')}</span></header>
<main>
${opts.body}
</main>
<footer>${e(t('footer'))}</footer>
${opts.scripts.map((name) => `<script src="/landing/${e(name)}" defer></script>`).join('\n')}
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'sha256-${styleHash}'`,
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}

const message = (branding: Branding) =>
  branding.message ? `<p class="brand-message">${e(branding.message)}</p>` : '';

export interface LandingView {
  lang: Language;
  branding: Branding;
  token: string;
  code: SessionCode;
  displayCode: string;
  recipientName: string;
  agentName: string;
  comment: string | null;
  status: SessionStatus;
  expiresAt: string;
  timeZone: string;
  /** The visitor's OS as the User-Agent says, or null. */
  platform: AssistPlatform | null;
  available: Record<AssistPlatform, boolean>;
  /** The self-contained Linux bundle is there to download. */
  bundle: boolean;
  /** The "share from this browser" script is built (it is, after `scripts/beckon setup`). */
  share: boolean;
}

/**
 * "Share my screen from this browser" (UA2, view only). Hidden until share.js
 * finds getDisplayMedia; the texts it fills in come as data, like the status
 * texts, so the script holds no words.
 */
function shareSection(v: LandingView, t: Texts): string {
  const vars = { agent: v.agentName, org: v.branding.orgName };
  const texts = Object.fromEntries(
    (['waiting', 'asks', 'live', 'stopped', 'failed'] as const).map((k) => [k, t(`share.${k}`, vars)]),
  );
  return `
<section class="step share" id="share" data-token="${e(v.token)}" hidden aria-labelledby="share-title">
<h2 id="share-title">${e(t('share.title'))}</h2>
<p>${e(t('share.intro', vars))}</p>
<button class="button secondary" id="share-start" type="button">${e(t('share.start'))}</button>
<p id="share-state" role="status" aria-live="polite"></p>
<div id="share-ask" class="share-ask" role="group" aria-labelledby="share-question" hidden>
<p id="share-question"></p>
<p class="hint">${e(t('share.picker'))}</p>
<button class="button primary" id="share-allow" type="button">${e(t('share.allow'))}</button>
<button class="button secondary" id="share-deny" type="button">${e(t('share.deny'))}</button>
</div>
<button class="button primary" id="share-stop" type="button" hidden>${e(t('share.stop'))}</button>
</section>
<script type="application/json" id="share-texts">${jsonForHtml(texts)}</script>`;
}

function formatTime(iso: string, lang: Language, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeStyle: 'short', timeZone }).format(
      new Date(iso),
    );
  } catch {
    return iso;
  }
}

/**
 * The best download for the visitor's system first, the others named after it.
 * On Linux the Electron AppImage wins where an admin supplied one; else the
 * self-contained bundle, with how to run it.
 */
function downloads(v: LandingView, t: Texts): string {
  const org = v.branding.orgName;
  const link = (p: AssistPlatform, cls: string, label: string) =>
    `<a class="${cls}" href="/j/${e(v.token)}/download/${p}" download="${e(assistDownloadName(v.code, p))}" data-platform="${p}">${e(label)}</a>`;
  const bundleLink = (cls: string, label: string) =>
    `<a class="${cls}" href="/j/${e(v.token)}/download/${ASSIST_BUNDLE_ROUTE}" download="${e(assistBundleName(v.code))}" data-platform="${ASSIST_BUNDLE_ROUTE}">${e(label)}</a>`;
  const bundleFirst = v.platform === 'linux' && !v.available.linux && v.bundle;
  const howto = `<p class="hint">${e(t('bundle.howto', { file: assistBundleName(v.code), launcher: assistLauncherName(v.code) }))}</p>`;
  const first = v.platform
    ? v.available[v.platform]
      ? link(v.platform, 'button primary', t('download', { os: OS_NAMES[v.platform] }))
      : bundleFirst
        ? `${bundleLink('button primary', t('download', { os: OS_NAMES.linux }))}${howto}`
        : `<p class="missing" role="alert">${e(t('missing', { os: OS_NAMES[v.platform], org }))}</p>`
    : `<p class="unsupported">${e(t('unsupported'))}</p>`;
  const others = ASSIST_PLATFORMS.filter((p) => p !== v.platform && v.available[p]).map((p) =>
    link(p, 'other', OS_NAMES[p]),
  );
  if (v.bundle && !bundleFirst) others.push(bundleLink('other', t('bundle')));
  return `${first}${others.length ? `<p class="others">${e(t('others'))} ${others.join(' · ')}</p>` : ''}`;
}

/** `/j/<token>`: who asks, for what, the live status, and the two ways to start the assist client. */
export function landingPage(v: LandingView): Page {
  const t = textsFor(v.lang);
  const org = v.branding.orgName;
  const statusTexts = Object.fromEntries(
    SESSION_STATUSES.map((s) => [s, t(statusKey(s), { agent: v.agentName, org })]),
  );
  // The live region is the status text, not its <dd>: a <dd> with a role stops being part
  // of the definition list for assistive technology (axe: definition-list).
  const body = `<h1>${e(t('title', { org }))}</h1>
${message(v.branding)}
<p class="hello">${e(t('hello', { name: v.recipientName }))}</p>
<p class="intro">${e(t('intro', { agent: v.agentName, org }))}</p>
<dl class="facts">
${v.comment ? `<dt>${e(t('request'))}</dt><dd class="comment">${e(v.comment)}</dd>` : ''}
<dt>${e(t('code'))}</dt><dd class="code">${e(v.displayCode)}</dd>
<dt>${e(t('status'))}</dt><dd id="status" class="status" data-status="${e(v.status)}" data-events="/j/${e(v.token)}/events"><span class="dot" aria-hidden="true"></span><span class="status-text" role="status" aria-live="polite">${e(statusTexts[v.status] ?? v.status)}</span></dd>
</dl>
<section class="step"><h2>${e(t('step1'))}</h2>${downloads(v, t)}</section>
<section class="step"><h2>${e(t('step2'))}</h2><a class="button secondary" id="open-installed" href="${e(assistDeepLink(v.token))}">${e(t('open'))}</a></section>
<p class="note">${e(t('note'))}</p>
<p class="expires">${e(t('expires', { time: formatTime(v.expiresAt, v.lang, v.timeZone) }))}</p>
<script type="application/json" id="status-texts">${jsonForHtml(statusTexts)}</script>`;
  return shell({
    lang: v.lang,
    title: t('title', { org }),
    branding: v.branding,
    body: body + (v.share ? shareSection(v, t) : ''),
    scripts: v.share ? ['landing.js', 'share.js'] : ['landing.js'],
  });
}

export type EndedKind = 'expired' | 'closed' | 'invalid';

/** A link that cannot be used (any more): says why and what to do, and nothing about the request. */
export function endedPage(kind: EndedKind, lang: Language, branding: Branding): Page {
  const t = textsFor(lang);
  const title = t(`ended.${kind}` as TextKey);
  const body = `<h1 data-ended="${kind}">${e(title)}</h1>
<p>${e(t(`ended.${kind}.body` as TextKey, { org: branding.orgName || 'Beckon' }))}</p>
<p><a href="/join?lang=${lang}">${e(t('join.link'))}</a></p>`;
  return shell({ lang, title, branding, body, scripts: [] });
}

/** `/join`: the code-entry form, with the last attempt's problem if any. */
export function joinPage(lang: Language, branding: Branding, problem: string | null, typed = ''): Page {
  const t = textsFor(lang);
  const body = `<h1>${e(t('join.title'))}</h1>
<form class="join" method="post" action="/join?lang=${lang}">
<label for="code">${e(t('join.label'))}</label>
<input id="code" name="code" value="${e(typed)}" autocomplete="off" inputmode="text" maxlength="32" required aria-describedby="code-hint"${problem ? ' aria-invalid="true"' : ''}>
<p id="code-hint" class="hint">${e(t('join.hint'))}</p>
${problem ? `<p class="problem" role="alert">${e(problem)}</p>` : ''}
<button class="button primary" type="submit">${e(t('join.submit'))}</button>
</form>`;
  return shell({ lang, title: t('join.title'), branding, body, scripts: [] });
}
