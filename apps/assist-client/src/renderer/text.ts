import { assistTexts, formatSize, permissionKey } from '../shared/i18n.ts';
import type { ConsentPrompt, FileQuestion, IndicatorStatus } from '../shared/ipc.ts';

/** Everything the consent window says, in the request's language. */
export function consentView(prompt: ConsentPrompt) {
  const t = assistTexts(prompt.language);
  const who = prompt.organisationName
    ? t('consent.whoOrg', { agent: prompt.agentName, org: prompt.organisationName })
    : prompt.agentName;
  return {
    title: t('consent.title'),
    asks: t('consent.asks', { who }),
    reasonLabel: t('consent.reason'),
    reason: prompt.comment,
    wants: t('consent.wants'),
    permissions: prompt.permissions.map((p) => t(permissionKey(p))),
    nothing: t('consent.nothing'),
    allow: t('consent.allow'),
    deny: t('consent.deny'),
  };
}

/** Seconds left before the question counts as Deny. */
export function countdownText(prompt: ConsentPrompt, now: number): string {
  const seconds = Math.max(0, Math.ceil((prompt.deadline - now) / 1000));
  return assistTexts(prompt.language)('consent.countdown', { seconds });
}

/** The always-visible line in the indicator. */
export function indicatorLine(status: IndicatorStatus): string {
  const t = assistTexts(status.language);
  return status.phase === 'live'
    ? t('indicator.live', { agent: status.agentName })
    : t('indicator.connecting', { agent: status.agentName });
}

export function indicatorCode(status: IndicatorStatus): string {
  return status.verificationCode
    ? assistTexts(status.language)('indicator.code', { code: status.verificationCode })
    : '';
}

export function fileView(q: FileQuestion) {
  const t = assistTexts(q.language);
  return {
    title: t('files.title'),
    question: t('files.question', { agent: q.agentName, name: q.name, size: formatSize(q.size, q.language) }),
    where: t('files.where'),
    accept: t('files.accept'),
    decline: t('files.decline'),
  };
}

/** `#rrggbb` or null: only such a value is ever put into a style. */
export function safeColor(value: string | undefined): string | null {
  return value && /^#[0-9a-f]{6}$/i.test(value) ? value : null;
}
