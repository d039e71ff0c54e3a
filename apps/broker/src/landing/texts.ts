import type { AssistPlatform, Language, SessionStatus } from '@beckon/protocol';

/**
 * Every text of the landing pages, in each language Beckon speaks. Values are
 * plain text with `{name}` placeholders; the page escapes them after filling in.
 */
const en = {
  title: 'Remote support from {org}',
  hello: 'Hello {name},',
  intro: '{agent} from {org} would like to help you with your computer.',
  request: 'Request',
  code: 'Session code',
  status: 'Status',
  'status.open': 'Waiting for you to start Beckon Assist',
  'status.waiting': 'Beckon Assist is running. {agent} can now ask to connect.',
  'status.ready': 'You allowed access. The session is starting.',
  'status.in_session': 'Session in progress',
  'status.closed': 'This session has ended',
  'status.expired': 'This link has expired',
  step1: 'Download and run Beckon Assist',
  download: 'Download for {os}',
  others: 'Other systems:',
  bundle: 'Linux, nothing to install (.tar.gz)',
  'bundle.howto':
    'Unpack it and run {launcher} in the BeckonAssist folder. In a terminal: tar xzf {file} && BeckonAssist/{launcher}',
  missing: 'The installer for {os} is not available on this server yet. Please tell {org}.',
  unsupported: 'Beckon Assist runs on Windows, macOS and Linux computers.',
  step2: 'Already installed?',
  open: 'Open in Beckon Assist',
  note: 'Nothing is shared until you press Allow in Beckon Assist, and you can stop the session at any time.',
  expires: 'This link is valid until {time}.',
  'ended.expired': 'This link has expired',
  'ended.expired.body': 'Ask {org} for a new link.',
  'ended.closed': 'This session request is closed',
  'ended.closed.body': 'The session has ended. If you still need help, ask for a new link.',
  'ended.invalid': 'This link is not valid',
  'ended.invalid.body': 'Check the link in your invitation, or enter your session code instead.',
  'join.title': 'Enter your session code',
  'join.label': 'Session code',
  'join.hint': 'It looks like s12-345-678.',
  'join.submit': 'Continue',
  'join.wrong': 'No open session request has this code. Check it and try again.',
  'join.invalid': 'That is not a session code. It looks like s12-345-678.',
  'join.limited': 'Too many attempts. Wait {seconds} seconds and try again.',
  'join.link': 'Have a session code instead?',
  'share.title': 'Nothing to install: share your screen from this browser',
  'share.intro': 'View only: {agent} sees what you share, but cannot control your computer or send files.',
  'share.start': 'Share my screen from this browser',
  'share.waiting': 'Ready. When {agent} connects, you will be asked here first.',
  'share.asks': '{agent} from {org} asks to see your screen.',
  'share.allow': 'Allow',
  'share.deny': 'Deny',
  'share.picker': 'After Allow, your browser asks what to share: a screen, a window or a tab.',
  'share.live': 'Sharing your screen with {agent} (view only). Verification code: {code}',
  'share.stop': 'Stop sharing',
  'share.stopped': 'Sharing stopped. {agent} can ask again; you will be asked first.',
  'share.failed': 'Screen sharing did not start: {reason}',
  footer: 'Remote support with Beckon',
} as const;

export type TextKey = keyof typeof en;
type Catalog = Readonly<Record<TextKey, string>>;

const de: Catalog = {
  title: 'Fernsupport von {org}',
  hello: 'Hallo {name},',
  intro: '{agent} von {org} möchte Ihnen an Ihrem Computer helfen.',
  request: 'Anliegen',
  code: 'Sitzungscode',
  status: 'Status',
  'status.open': 'Wartet darauf, dass Sie Beckon Assist starten',
  'status.waiting': 'Beckon Assist läuft. {agent} kann jetzt um Verbindung bitten.',
  'status.ready': 'Sie haben den Zugriff erlaubt. Die Sitzung beginnt.',
  'status.in_session': 'Sitzung läuft',
  'status.closed': 'Diese Sitzung ist beendet',
  'status.expired': 'Dieser Link ist abgelaufen',
  step1: 'Beckon Assist herunterladen und ausführen',
  download: 'Für {os} herunterladen',
  others: 'Andere Systeme:',
  bundle: 'Linux, ohne Installation (.tar.gz)',
  'bundle.howto':
    'Entpacken Sie die Datei und starten Sie {launcher} im Ordner BeckonAssist. Im Terminal: tar xzf {file} && BeckonAssist/{launcher}',
  missing:
    'Das Installationsprogramm für {os} ist auf diesem Server noch nicht verfügbar. Bitte informieren Sie {org}.',
  unsupported: 'Beckon Assist läuft auf Computern mit Windows, macOS und Linux.',
  step2: 'Bereits installiert?',
  open: 'In Beckon Assist öffnen',
  note: 'Nichts wird geteilt, bevor Sie in Beckon Assist auf „Erlauben“ klicken, und Sie können die Sitzung jederzeit beenden.',
  expires: 'Dieser Link ist gültig bis {time}.',
  'ended.expired': 'Dieser Link ist abgelaufen',
  'ended.expired.body': 'Bitten Sie {org} um einen neuen Link.',
  'ended.closed': 'Diese Sitzungsanfrage ist geschlossen',
  'ended.closed.body':
    'Die Sitzung ist beendet. Wenn Sie noch Hilfe brauchen, bitten Sie um einen neuen Link.',
  'ended.invalid': 'Dieser Link ist ungültig',
  'ended.invalid.body':
    'Prüfen Sie den Link in Ihrer Einladung oder geben Sie stattdessen Ihren Sitzungscode ein.',
  'join.title': 'Sitzungscode eingeben',
  'join.label': 'Sitzungscode',
  'join.hint': 'Er sieht so aus: s12-345-678.',
  'join.submit': 'Weiter',
  'join.wrong': 'Keine offene Sitzungsanfrage hat diesen Code. Prüfen Sie ihn und versuchen Sie es erneut.',
  'join.invalid': 'Das ist kein Sitzungscode. Er sieht so aus: s12-345-678.',
  'join.limited': 'Zu viele Versuche. Warten Sie {seconds} Sekunden und versuchen Sie es erneut.',
  'join.link': 'Sie haben stattdessen einen Sitzungscode?',
  'share.title': 'Ohne Installation: Bildschirm aus diesem Browser teilen',
  'share.intro':
    'Nur ansehen: {agent} sieht, was Sie teilen, kann Ihren Computer aber nicht steuern und keine Dateien senden.',
  'share.start': 'Meinen Bildschirm aus diesem Browser teilen',
  'share.waiting': 'Bereit. Wenn {agent} sich verbindet, werden Sie zuerst hier gefragt.',
  'share.asks': '{agent} von {org} möchte Ihren Bildschirm sehen.',
  'share.allow': 'Erlauben',
  'share.deny': 'Ablehnen',
  'share.picker':
    'Nach „Erlauben“ fragt Ihr Browser, was Sie teilen möchten: einen Bildschirm, ein Fenster oder einen Tab.',
  'share.live': 'Sie teilen Ihren Bildschirm mit {agent} (nur ansehen). Prüfcode: {code}',
  'share.stop': 'Teilen beenden',
  'share.stopped': 'Teilen beendet. {agent} kann erneut fragen; Sie werden zuerst gefragt.',
  'share.failed': 'Die Bildschirmfreigabe hat nicht begonnen: {reason}',
  footer: 'Fernsupport mit Beckon',
};

const ja: Catalog = {
  title: '{org} からのリモートサポート',
  hello: '{name} 様',
  intro: '{org} の {agent} がお使いのコンピューターのサポートを希望しています。',
  request: 'ご依頼内容',
  code: 'セッションコード',
  status: '状態',
  'status.open': 'Beckon Assist の起動をお待ちしています',
  'status.waiting': 'Beckon Assist が起動しました。{agent} が接続を要求できます。',
  'status.ready': 'アクセスを許可しました。セッションを開始しています。',
  'status.in_session': 'セッション中',
  'status.closed': 'このセッションは終了しました',
  'status.expired': 'このリンクの有効期限が切れています',
  step1: 'Beckon Assist をダウンロードして実行',
  download: '{os} 版をダウンロード',
  others: 'その他のシステム:',
  bundle: 'Linux（インストール不要、.tar.gz）',
  'bundle.howto':
    '展開して、BeckonAssist フォルダーの {launcher} を実行してください。ターミナルでは: tar xzf {file} && BeckonAssist/{launcher}',
  missing: '{os} 版のインストーラーはこのサーバーでまだ提供されていません。{org} にお知らせください。',
  unsupported: 'Beckon Assist は Windows、macOS、Linux のコンピューターで動作します。',
  step2: 'インストール済みですか?',
  open: 'Beckon Assist で開く',
  note: 'Beckon Assist で「許可」を押すまで何も共有されません。セッションはいつでも停止できます。',
  expires: 'このリンクの有効期限: {time}',
  'ended.expired': 'このリンクの有効期限が切れています',
  'ended.expired.body': '{org} に新しいリンクを依頼してください。',
  'ended.closed': 'このセッション依頼は終了しています',
  'ended.closed.body':
    'セッションは終了しました。引き続きサポートが必要な場合は、新しいリンクを依頼してください。',
  'ended.invalid': 'このリンクは無効です',
  'ended.invalid.body': '招待メールのリンクを確認するか、セッションコードを入力してください。',
  'join.title': 'セッションコードを入力',
  'join.label': 'セッションコード',
  'join.hint': '形式: s12-345-678',
  'join.submit': '続行',
  'join.wrong': 'このコードの受付中のセッション依頼はありません。確認してもう一度お試しください。',
  'join.invalid': 'セッションコードではありません。形式: s12-345-678',
  'join.limited': '試行回数が多すぎます。{seconds} 秒待ってからもう一度お試しください。',
  'join.link': 'セッションコードをお持ちですか?',
  'share.title': 'インストール不要: このブラウザーから画面を共有',
  'share.intro':
    '表示のみ: {agent} は共有された画面を見られますが、コンピューターの操作やファイルの送信はできません。',
  'share.start': 'このブラウザーから画面を共有',
  'share.waiting': '準備ができました。{agent} が接続するときは、まずここで確認します。',
  'share.asks': '{org} の {agent} が画面の表示を求めています。',
  'share.allow': '許可',
  'share.deny': '拒否',
  'share.picker': '許可すると、ブラウザーが共有する対象（画面、ウィンドウ、タブ）を尋ねます。',
  'share.live': '{agent} と画面を共有中です（表示のみ）。確認コード: {code}',
  'share.stop': '共有を停止',
  'share.stopped': '共有を停止しました。{agent} は再度依頼できます。その場合もまず確認します。',
  'share.failed': '画面共有を開始できませんでした: {reason}',
  footer: 'Beckon によるリモートサポート',
};

const ko: Catalog = {
  title: '{org} 원격 지원',
  hello: '{name} 님, 안녕하세요.',
  intro: '{org}의 {agent} 님이 컴퓨터 지원을 요청했습니다.',
  request: '요청 내용',
  code: '세션 코드',
  status: '상태',
  'status.open': 'Beckon Assist 실행을 기다리는 중',
  'status.waiting': 'Beckon Assist가 실행 중입니다. 이제 {agent} 님이 연결을 요청할 수 있습니다.',
  'status.ready': '접근을 허용했습니다. 세션을 시작하는 중입니다.',
  'status.in_session': '세션 진행 중',
  'status.closed': '이 세션은 종료되었습니다',
  'status.expired': '이 링크는 만료되었습니다',
  step1: 'Beckon Assist 다운로드 및 실행',
  download: '{os}용 다운로드',
  others: '다른 시스템:',
  bundle: 'Linux (설치 필요 없음, .tar.gz)',
  'bundle.howto':
    '압축을 풀고 BeckonAssist 폴더의 {launcher}을(를) 실행하세요. 터미널에서는: tar xzf {file} && BeckonAssist/{launcher}',
  missing: '이 서버에는 아직 {os}용 설치 파일이 없습니다. {org}에 알려 주세요.',
  unsupported: 'Beckon Assist는 Windows, macOS, Linux 컴퓨터에서 실행됩니다.',
  step2: '이미 설치되어 있나요?',
  open: 'Beckon Assist에서 열기',
  note: 'Beckon Assist에서 허용을 누르기 전에는 아무것도 공유되지 않으며, 언제든지 세션을 중지할 수 있습니다.',
  expires: '이 링크는 {time}까지 유효합니다.',
  'ended.expired': '이 링크는 만료되었습니다',
  'ended.expired.body': '{org}에 새 링크를 요청하세요.',
  'ended.closed': '이 세션 요청은 종료되었습니다',
  'ended.closed.body': '세션이 종료되었습니다. 도움이 더 필요하면 새 링크를 요청하세요.',
  'ended.invalid': '유효하지 않은 링크입니다',
  'ended.invalid.body': '초대 메일의 링크를 확인하거나 세션 코드를 입력하세요.',
  'join.title': '세션 코드 입력',
  'join.label': '세션 코드',
  'join.hint': '형식: s12-345-678',
  'join.submit': '계속',
  'join.wrong': '이 코드의 열린 세션 요청이 없습니다. 확인 후 다시 시도하세요.',
  'join.invalid': '세션 코드가 아닙니다. 형식: s12-345-678',
  'join.limited': '시도 횟수가 너무 많습니다. {seconds}초 후에 다시 시도하세요.',
  'join.link': '세션 코드가 있나요?',
  'share.title': '설치 없이: 이 브라우저에서 화면 공유',
  'share.intro':
    '보기 전용: {agent} 님은 공유한 화면을 볼 수 있지만 컴퓨터를 제어하거나 파일을 보낼 수 없습니다.',
  'share.start': '이 브라우저에서 내 화면 공유',
  'share.waiting': '준비되었습니다. {agent} 님이 연결하면 먼저 여기에서 묻습니다.',
  'share.asks': '{org}의 {agent} 님이 화면 보기를 요청합니다.',
  'share.allow': '허용',
  'share.deny': '거부',
  'share.picker': '허용하면 브라우저가 공유할 대상(화면, 창, 탭)을 묻습니다.',
  'share.live': '{agent} 님과 화면을 공유 중입니다(보기 전용). 확인 코드: {code}',
  'share.stop': '공유 중지',
  'share.stopped': '공유가 중지되었습니다. {agent} 님이 다시 요청할 수 있으며, 먼저 묻습니다.',
  'share.failed': '화면 공유를 시작하지 못했습니다: {reason}',
  footer: 'Beckon 원격 지원',
};

const CATALOGS: Readonly<Record<Language, Catalog>> = { en, de, ja, ko };

/** BCP 47 tags for dates and the page's `lang`. */
export const LOCALES: Readonly<Record<Language, string>> = {
  en: 'en-GB',
  de: 'de-DE',
  ja: 'ja-JP',
  ko: 'ko-KR',
};

export const OS_NAMES: Readonly<Record<AssistPlatform, string>> = {
  windows: 'Windows',
  mac: 'macOS',
  linux: 'Linux',
};

export type Texts = (key: TextKey, params?: Readonly<Record<string, string | number>>) => string;

/** Plain text in `language`; placeholders are filled in unescaped, so the caller escapes the result. */
export function textsFor(language: Language): Texts {
  const catalog = CATALOGS[language];
  return (key, params) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      params && Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
}

export const statusKey = (status: SessionStatus): TextKey => `status.${status}`;

/** Every catalog has every key with the same placeholders (checked by the tests). */
export function catalogs(): Readonly<Record<Language, Catalog>> {
  return CATALOGS;
}
