import type { Language } from '@beckon/protocol';

/**
 * The words of every mail, per language. `{name}` placeholders are filled by
 * templates.ts, which escapes each value for HTML; the strings here are plain
 * text and must not contain markup. Whole sentences carry their placeholders
 * (rather than being glued together from fragments) because word order differs
 * between English, German, Japanese and Korean.
 */
export interface Messages {
  /** BCP 47 locale for Intl.DateTimeFormat and `<html lang>`. */
  locale: string;
  /** {company} {code} */
  inviteSubject: string;
  /** {name} */
  greeting: string;
  /** {agent} {company} */
  inviteIntro: string;
  inviteAction: string;
  inviteButton: string;
  linkFallback: string;
  /** {code} */
  codeLine: string;
  /** {expiry} */
  inviteExpiry: string;
  /** {agent} */
  inviteComment: string;
  nextTitle: string;
  nextBody: string;
  notExpected: string;
  /** {code} */
  statusSubject: Record<MailStatus, string>;
  /** {agent} {company} {code} {at} */
  statusBody: Record<MailStatus, string>;
  /** No-reply sender (SR5), so say so rather than let replies vanish. */
  footer: string;
}

export type MailStatus = 'closed' | 'expired';

export const MESSAGES: Record<Language, Messages> = {
  en: {
    locale: 'en',
    inviteSubject: 'Remote support from {company} – session {code}',
    greeting: 'Hello {name},',
    inviteIntro: '{agent} from {company} would like to help you in a remote support session.',
    inviteAction: 'To start, open the following link:',
    inviteButton: 'Start support session',
    linkFallback: 'If the button does not work, copy this link into your browser:',
    codeLine: 'Session code: {code}',
    inviteExpiry: 'The link is valid until {expiry}.',
    inviteComment: 'Message from {agent}:',
    nextTitle: 'What happens next',
    nextBody:
      'After you open the link, you will be asked whether to allow the session. ' +
      'Nothing on your computer is shared before you do.',
    notExpected: 'If you were not expecting this email, you can ignore it.',
    statusSubject: {
      closed: 'Your support session {code} has been closed',
      expired: 'Your support session request {code} has expired',
    },
    statusBody: {
      closed:
        '{agent} from {company} closed your support session request {code} on {at}. ' +
        'The link in the earlier email no longer works.',
      expired:
        'Your support session request {code} from {company} expired on {at}. The link no longer works. ' +
        'If you still need help, please contact {company} again.',
    },
    footer: 'This message was sent automatically. Please do not reply to it.',
  },
  de: {
    locale: 'de',
    inviteSubject: 'Fernwartung durch {company} – Sitzung {code}',
    greeting: 'Guten Tag {name},',
    inviteIntro: '{agent} von {company} möchte Sie in einer Fernwartungssitzung unterstützen.',
    inviteAction: 'Um zu beginnen, öffnen Sie bitte den folgenden Link:',
    inviteButton: 'Sitzung starten',
    linkFallback: 'Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',
    codeLine: 'Sitzungscode: {code}',
    inviteExpiry: 'Der Link ist gültig bis {expiry}.',
    inviteComment: 'Nachricht von {agent}:',
    nextTitle: 'So geht es weiter',
    nextBody:
      'Nach dem Öffnen des Links werden Sie gefragt, ob Sie die Sitzung zulassen möchten. ' +
      'Bevor Sie zustimmen, wird nichts von Ihrem Computer geteilt.',
    notExpected: 'Falls Sie diese E-Mail nicht erwartet haben, können Sie sie ignorieren.',
    statusSubject: {
      closed: 'Ihre Support-Sitzung {code} wurde beendet',
      expired: 'Ihre Support-Anfrage {code} ist abgelaufen',
    },
    statusBody: {
      closed:
        '{agent} von {company} hat Ihre Support-Anfrage {code} am {at} beendet. ' +
        'Der Link aus der vorherigen E-Mail ist nicht mehr gültig.',
      expired:
        'Ihre Support-Anfrage {code} von {company} ist am {at} abgelaufen. Der Link ist nicht mehr gültig. ' +
        'Wenn Sie weiterhin Hilfe benötigen, wenden Sie sich bitte erneut an {company}.',
    },
    footer: 'Diese Nachricht wurde automatisch versendet. Bitte antworten Sie nicht darauf.',
  },
  ja: {
    locale: 'ja',
    inviteSubject: '{company} リモートサポートのご案内（セッション {code}）',
    greeting: '{name} 様',
    inviteIntro: '{company}の{agent}より、リモートサポートセッションのご案内をお送りします。',
    inviteAction: '次のリンクを開いて開始してください。',
    inviteButton: 'サポートを開始する',
    linkFallback: 'ボタンが機能しない場合は、次のリンクをブラウザーに貼り付けてください。',
    codeLine: 'セッションコード：{code}',
    inviteExpiry: 'このリンクの有効期限は {expiry} です。',
    inviteComment: '{agent}からのメッセージ：',
    nextTitle: 'この後の流れ',
    nextBody:
      'リンクを開くと、セッションを許可するかどうかの確認が表示されます。' +
      '許可するまで、お使いのコンピューターの内容が共有されることはありません。',
    notExpected: 'お心当たりのない場合は、このメールを破棄してください。',
    statusSubject: {
      closed: 'サポートセッション {code} は終了しました',
      expired: 'サポートセッション {code} の有効期限が切れました',
    },
    statusBody: {
      closed:
        '{company}の{agent}が、サポートセッション {code} を {at} に終了しました。' +
        '以前のメールのリンクは使用できなくなりました。',
      expired:
        '{company}からのサポートセッション {code} は、{at} に有効期限が切れました。リンクは使用できなくなりました。' +
        '引き続きサポートが必要な場合は、{company}までお問い合わせください。',
    },
    footer: 'このメールは送信専用アドレスから自動送信されています。ご返信いただいてもお答えできません。',
  },
  ko: {
    locale: 'ko',
    inviteSubject: '{company} 원격 지원 세션 안내 ({code})',
    greeting: '{name}님, 안녕하세요.',
    inviteIntro: '{company} 담당자 {agent}님이 원격 지원 세션으로 도와드리려고 합니다.',
    inviteAction: '아래 링크를 열어 시작해 주세요.',
    inviteButton: '지원 세션 시작',
    linkFallback: '버튼이 작동하지 않으면 아래 링크를 브라우저에 붙여 넣어 주세요.',
    codeLine: '세션 코드: {code}',
    inviteExpiry: '이 링크는 {expiry}까지 유효합니다.',
    inviteComment: '{agent}님의 메시지:',
    nextTitle: '다음 단계',
    nextBody:
      '링크를 열면 세션을 허용할지 묻는 창이 나타납니다. ' +
      '허용하기 전에는 컴퓨터의 어떤 내용도 공유되지 않습니다.',
    notExpected: '요청하신 적이 없다면 이 메일을 무시하셔도 됩니다.',
    statusSubject: {
      closed: '지원 세션이 종료되었습니다 ({code})',
      expired: '지원 세션 요청이 만료되었습니다 ({code})',
    },
    statusBody: {
      closed:
        '{company} 담당자 {agent}님이 {at}에 지원 세션({code})을 종료했습니다. ' +
        '이전 메일의 링크는 더 이상 사용할 수 없습니다.',
      expired:
        '{company}의 지원 세션 요청({code})이 {at}에 만료되었습니다. 링크는 더 이상 사용할 수 없습니다. ' +
        '계속 도움이 필요하시면 {company}에 다시 문의해 주세요.',
    },
    footer: '이 메일은 발신 전용 주소에서 자동으로 발송되었습니다. 회신하셔도 답변드릴 수 없습니다.',
  },
};
