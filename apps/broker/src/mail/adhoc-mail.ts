import type { Language } from '@beckon/protocol';
import { safeHttpUrl } from './escape.ts';
import { MESSAGES } from './messages.ts';
import { document, html, plain, STYLE, subjectOf, type RenderedMail } from './templates.ts';

/**
 * The ad-hoc invite (AH1): the install link and the security code the user
 * activates the temporary host with. Never the predefined password: that is
 * the provider's, and a mailbox is not where it should travel.
 */
interface AdhocWords {
  subject: string;
  greeting: string;
  intro: string;
  install: string;
  button: string;
  code: string;
  duration: string;
  admin: string;
}

const WORDS: Record<Language, AdhocWords> = {
  en: {
    subject: 'Remote support from {company}: install the temporary support program',
    greeting: 'Hello {name},',
    intro: '{provider} of {company} has set up remote support for your computer, for one day.',
    install: 'Open this link on the computer that needs help and install the temporary support program:',
    button: 'Install the support program',
    code: 'When it asks for the security code, enter: {code}',
    duration:
      '24 hours after you activate it, the session ends and the program removes itself. You can end it sooner from the computer.',
    admin: 'Installing it needs administrator rights on the computer.',
  },
  de: {
    subject: 'Fernsupport von {company}: temporäres Support-Programm installieren',
    greeting: 'Hallo {name},',
    intro: '{provider} von {company} hat für Ihren Computer Fernsupport für einen Tag eingerichtet.',
    install:
      'Öffnen Sie diesen Link auf dem Computer, der Hilfe braucht, und installieren Sie das temporäre Support-Programm:',
    button: 'Support-Programm installieren',
    code: 'Wenn nach dem Sicherheitscode gefragt wird, geben Sie ein: {code}',
    duration:
      '24 Stunden nach der Aktivierung endet die Sitzung und das Programm entfernt sich selbst. Sie können sie am Computer auch früher beenden.',
    admin: 'Für die Installation sind Administratorrechte auf dem Computer nötig.',
  },
  ja: {
    subject: '{company} のリモートサポート: 一時サポートプログラムのインストール',
    greeting: '{name} 様',
    intro: '{company} の {provider} が、お使いのコンピューターに 1 日間のリモートサポートを設定しました。',
    install:
      'サポートが必要なコンピューターでこのリンクを開き、一時サポートプログラムをインストールしてください:',
    button: 'サポートプログラムをインストール',
    code: 'セキュリティコードを求められたら、次を入力してください: {code}',
    duration:
      '有効化から 24 時間後にセッションは終了し、プログラムは自動的に削除されます。コンピューターから早めに終了することもできます。',
    admin: 'インストールにはコンピューターの管理者権限が必要です。',
  },
  ko: {
    subject: '{company} 원격 지원: 임시 지원 프로그램 설치',
    greeting: '{name}님, 안녕하세요.',
    intro: '{company}의 {provider}님이 귀하의 컴퓨터에 하루 동안의 원격 지원을 설정했습니다.',
    install: '도움이 필요한 컴퓨터에서 이 링크를 열고 임시 지원 프로그램을 설치하세요:',
    button: '지원 프로그램 설치',
    code: '보안 코드를 묻는 경우 다음을 입력하세요: {code}',
    duration:
      '활성화 후 24시간이 지나면 세션이 끝나고 프로그램이 스스로 제거됩니다. 컴퓨터에서 더 일찍 끝낼 수도 있습니다.',
    admin: '설치하려면 컴퓨터의 관리자 권한이 필요합니다.',
  },
};

export function renderAdhocInvite(p: {
  language: Language;
  userName: string;
  providerName: string;
  companyName: string;
  link: string;
  displayCode: string;
}): RenderedMail {
  const w = WORDS[p.language];
  const m = MESSAGES[p.language];
  const href = safeHttpUrl(p.link);
  const vars = { name: p.userName, provider: p.providerName, company: p.companyName, code: p.displayCode };
  const subject = subjectOf(w.subject, vars);
  const inner = [
    `<p>${html(w.greeting, vars)}</p>`,
    `<p>${html(w.intro, vars)}</p>`,
    `<p>${html(w.install)}</p>`,
    `<p><a href="${html('{h}', { h: href })}" style="${STYLE.button}">${html(w.button)}</a></p>`,
    `<p style="${STYLE.link}">${html('{h}', { h: href })}</p>`,
    `<p>${html(w.code, { code: '' }).replace(/\s*$/, '')} <span style="${STYLE.code}">${html('{c}', { c: p.displayCode })}</span></p>`,
    `<p>${html(w.duration)}</p>`,
    `<p style="${STYLE.small}">${html(w.admin)}</p>`,
  ];
  const text =
    [
      plain(w.greeting, vars),
      plain(w.intro, vars),
      `${plain(w.install)}\n${href}`,
      plain(w.code, vars),
      plain(w.duration),
      plain(w.admin),
      `-- \n${plain(m.footer)}`,
    ].join('\n\n') + '\n';
  return { subject, html: document(p.language, subject, inner, m), text };
}

const TEMPLATE_NAMES: Record<string, string> = {
  name: 'userName',
  provider: 'providerName',
  company: 'companyName',
  code: 'securityCode',
};
const asTemplate = (s: string) => s.replace(/\{(\w+)\}/g, (_m, n: string) => `{{${TEMPLATE_NAMES[n] ?? n}}}`);

/** The built-in ad-hoc invite as an editable template (`adhoc_invite`), the same words as above. */
export function adhocDefaultTemplate(language: Language): { subject: string; body: string } {
  const w = WORDS[language];
  return {
    subject: asTemplate(w.subject),
    body: [w.greeting, w.intro, `${w.install}\n{{installLink}}`, w.code, w.duration, w.admin]
      .map(asTemplate)
      .join('\n\n'),
  };
}
