import type { Language } from '@beckon/protocol';
import { MESSAGES } from './messages.ts';
import { document, formatInstant, html, plain, subjectOf, type RenderedMail } from './templates.ts';

/**
 * Mails about attacks: to an account's owner when its sign-ins fail again and
 * again, and to administrators when session codes are being guessed. Plain
 * text with `{name}` placeholders, filled and escaped by templates.ts.
 */
interface SecurityMessages {
  /** {company} */
  signInSubject: string;
  /** {name}: colleagues, not customers (Japanese says さん, not 様) */
  greeting: string;
  /** {count} {email} {address} {at} */
  signInBody: string;
  signInNotLocked: string;
  signInWhatToDo: string;
  /** {company} */
  guessingSubject: string;
  /** {at} {budget} {addresses} */
  guessingBody: string;
  /** {reserve} */
  guessingEffect: string;
  guessingOnce: string;
}

const SECURITY: Record<Language, SecurityMessages> = {
  en: {
    signInSubject: 'Failed sign-ins to your {company} account',
    greeting: 'Hello {name},',
    signInBody:
      'There have recently been {count} failed attempts to sign in to your account ({email}), ' +
      'the last one from the address {address} on {at}.',
    signInNotLocked:
      'Your account is not locked: your password still works from any address that has not failed. ' +
      'Only the addresses that made the attempts are slowed down.',
    signInWhatToDo:
      'If these attempts were not yours, tell an administrator. If they were yours and you are now slowed down, ' +
      'an administrator can unlock your account.',
    guessingSubject: 'Session codes are being guessed at {company}',
    guessingBody:
      'On {at}, wrong session codes arrived faster than the broker allows ({budget} a minute from all addresses ' +
      'together), from {addresses} different addresses. This looks like someone guessing codes.',
    guessingEffect:
      'Until the guessing stops, addresses that have not tried a code yet share {reserve} code lookups a minute, ' +
      'and addresses that entered a wrong code are refused. Links in invitation mails keep working: they need no code.',
    guessingOnce: 'You get this message once per attack. The broker’s log has the details.',
  },
  de: {
    signInSubject: 'Fehlgeschlagene Anmeldungen bei Ihrem Konto bei {company}',
    greeting: 'Guten Tag {name},',
    signInBody:
      'In letzter Zeit gab es {count} fehlgeschlagene Versuche, sich bei Ihrem Konto ({email}) anzumelden, ' +
      'zuletzt von der Adresse {address} am {at}.',
    signInNotLocked:
      'Ihr Konto ist nicht gesperrt: Ihr Passwort funktioniert weiterhin von jeder Adresse, von der aus keine ' +
      'Anmeldung fehlgeschlagen ist. Nur die Adressen, von denen die Versuche kamen, werden gebremst.',
    signInWhatToDo:
      'Falls diese Versuche nicht von Ihnen stammen, informieren Sie bitte eine Administratorin oder einen ' +
      'Administrator. Falls sie von Ihnen stammen und Sie nun gebremst werden, kann die Administration Ihr Konto entsperren.',
    guessingSubject: 'Bei {company} werden Sitzungscodes erraten',
    guessingBody:
      'Am {at} kamen falsche Sitzungscodes schneller an, als der Broker zulässt ({budget} pro Minute von allen ' +
      'Adressen zusammen), und zwar von {addresses} verschiedenen Adressen. Das sieht danach aus, dass jemand Codes errät.',
    guessingEffect:
      'Bis das Raten aufhört, teilen sich Adressen, die noch keinen Code versucht haben, {reserve} Code-Abfragen pro ' +
      'Minute; Adressen, die einen falschen Code eingegeben haben, werden abgewiesen. Links in Einladungs-E-Mails ' +
      'funktionieren weiter, da sie keinen Code brauchen.',
    guessingOnce:
      'Sie erhalten diese Nachricht einmal pro Angriff. Einzelheiten stehen im Protokoll des Brokers.',
  },
  ja: {
    signInSubject: '{company} のアカウントへのサインインが失敗しています',
    greeting: '{name} さん',
    signInBody:
      '最近、お使いのアカウント（{email}）へのサインインが {count} 回失敗しました。' +
      '最後の試行は {at} にアドレス {address} から行われました。',
    signInNotLocked:
      'アカウントはロックされていません。失敗のないアドレスからは、これまでどおりパスワードでサインインできます。' +
      '速度が制限されるのは、試行を行ったアドレスだけです。',
    signInWhatToDo:
      'これらの試行にお心当たりがない場合は、管理者にお知らせください。ご自身の試行で速度が制限されている場合は、' +
      '管理者がアカウントのロックを解除できます。',
    guessingSubject: '{company} でセッションコードが推測されています',
    guessingBody:
      '{at}、誤ったセッションコードがブローカーの許容量（全アドレス合計で毎分 {budget} 件）を超える速さで、' +
      '{addresses} 個の異なるアドレスから届きました。誰かがコードを推測しているとみられます。',
    guessingEffect:
      '推測が止まるまで、まだコードを試していないアドレスは合計で毎分 {reserve} 回までしか照会できず、' +
      '誤ったコードを入力したアドレスは拒否されます。招待メールのリンクはコードが不要なため、引き続き使用できます。',
    guessingOnce: 'このメッセージは攻撃ごとに一度だけ送信されます。詳細はブローカーのログをご確認ください。',
  },
  ko: {
    signInSubject: '{company} 계정 로그인 실패 알림',
    greeting: '{name}님, 안녕하세요.',
    signInBody:
      '최근 회원님의 계정({email})에 로그인하려는 시도가 {count}회 실패했습니다. ' +
      '마지막 시도는 {at}에 {address} 주소에서 있었습니다.',
    signInNotLocked:
      '계정은 잠기지 않았습니다. 실패 기록이 없는 주소에서는 지금도 비밀번호로 로그인할 수 있습니다. ' +
      '시도가 있었던 주소만 속도가 제한됩니다.',
    signInWhatToDo:
      '본인의 시도가 아니라면 관리자에게 알려 주세요. 본인의 시도로 속도가 제한되었다면 관리자가 계정 잠금을 해제할 수 있습니다.',
    guessingSubject: '{company}에서 세션 코드 추측 시도가 감지되었습니다',
    guessingBody:
      '{at}에 잘못된 세션 코드가 브로커의 허용량(모든 주소 합계 분당 {budget}건)보다 빠르게 ' +
      '{addresses}개의 서로 다른 주소에서 들어왔습니다. 누군가 코드를 추측하고 있는 것으로 보입니다.',
    guessingEffect:
      '추측이 멈출 때까지 아직 코드를 시도하지 않은 주소들은 합계 분당 {reserve}회만 조회할 수 있고, ' +
      '잘못된 코드를 입력한 주소는 거부됩니다. 초대 메일의 링크는 코드가 필요 없으므로 계속 사용할 수 있습니다.',
    guessingOnce: '이 메시지는 공격마다 한 번만 발송됩니다. 자세한 내용은 브로커 로그를 확인해 주세요.',
  },
};

type Vars = Record<string, string>;

function render(language: Language, subjectTemplate: string, paragraphs: [string, Vars][], vars: Vars) {
  const m = MESSAGES[language];
  const subject = subjectOf(subjectTemplate, vars);
  const htmlParts = paragraphs.map(([p, v]) => `<p>${html(p, v)}</p>`);
  const text = [...paragraphs.map(([p, v]) => plain(p, v)), `-- \n${plain(m.footer)}`].join('\n\n') + '\n';
  return { subject, html: document(language, subject, htmlParts, m), text } satisfies RenderedMail;
}

export function renderSignInAlert(p: {
  language: Language;
  company: string;
  name: string;
  email: string;
  count: number;
  address: string;
  at: string;
}): RenderedMail {
  const s = SECURITY[p.language];
  const vars: Vars = {
    company: p.company,
    name: p.name,
    email: p.email,
    count: String(p.count),
    address: p.address,
    at: formatInstant(p.at, p.language, 'UTC'),
  };
  return render(
    p.language,
    s.signInSubject,
    [
      [s.greeting, vars],
      [s.signInBody, vars],
      [s.signInNotLocked, {}],
      [s.signInWhatToDo, {}],
    ],
    vars,
  );
}

export function renderGuessingAlarm(p: {
  language: Language;
  company: string;
  name: string;
  at: string;
  budget: number;
  reserve: number;
  addresses: number;
}): RenderedMail {
  const s = SECURITY[p.language];
  const vars: Vars = {
    company: p.company,
    name: p.name,
    at: formatInstant(p.at, p.language, 'UTC'),
    budget: String(p.budget),
    reserve: String(p.reserve),
    addresses: String(p.addresses),
  };
  return render(
    p.language,
    s.guessingSubject,
    [
      [s.greeting, vars],
      [s.guessingBody, vars],
      [s.guessingEffect, vars],
      [s.guessingOnce, {}],
    ],
    vars,
  );
}
