import type { Language, RemotePermission } from '@beckon/protocol';

/**
 * Every text the assist client shows, in each language Beckon speaks. The
 * language is the request's (the agent chose it for this person), so the
 * windows speak to them in it whatever the computer's own setting.
 */
const en = {
  'consent.title': 'Allow remote support?',
  'consent.asks': '{who} asks for access to this computer.',
  'consent.whoOrg': '{agent} from {org}',
  'consent.reason': 'Reason',
  'consent.wants': 'They would like to:',
  'perm.view': 'See your screen',
  'perm.control': 'Use your mouse and keyboard',
  'perm.file_transfer': 'Send you files',
  'perm.system_info': 'See system information',
  'consent.nothing': 'Nothing is shared until you press Allow. You can stop at any time.',
  'consent.countdown': 'Denied automatically in {seconds} s',
  'consent.allow': 'Allow',
  'consent.deny': 'Deny',
  'consent.none': 'There is nothing to answer.',
  'indicator.live': '{agent} is connected to this computer',
  'indicator.connecting': 'Connecting to {agent}…',
  'indicator.code': 'Code {code}',
  'indicator.stop': 'Stop',
  'files.title': 'Accept a file?',
  'files.question': '{agent} wants to send you “{name}” ({size}).',
  'files.where': 'It will be saved in your Downloads folder, under Beckon.',
  'files.accept': 'Save file',
  'files.decline': 'Decline',
  'tray.waiting': 'Beckon Assist: waiting for {agent}',
  'tray.live': 'Beckon Assist: {agent} is connected',
  'tray.stop': 'Stop the session',
  'tray.quit': 'Quit Beckon Assist',
} as const;

export type AssistTextKey = keyof typeof en;
type Catalog = Readonly<Record<AssistTextKey, string>>;

const de: Catalog = {
  'consent.title': 'Fernsupport erlauben?',
  'consent.asks': '{who} bittet um Zugriff auf diesen Computer.',
  'consent.whoOrg': '{agent} von {org}',
  'consent.reason': 'Anliegen',
  'consent.wants': 'Gewünscht wird:',
  'perm.view': 'Ihren Bildschirm sehen',
  'perm.control': 'Maus und Tastatur bedienen',
  'perm.file_transfer': 'Ihnen Dateien senden',
  'perm.system_info': 'Systeminformationen sehen',
  'consent.nothing': 'Nichts wird geteilt, bevor Sie auf „Erlauben“ klicken. Sie können jederzeit beenden.',
  'consent.countdown': 'Automatisch abgelehnt in {seconds} s',
  'consent.allow': 'Erlauben',
  'consent.deny': 'Ablehnen',
  'consent.none': 'Es gibt nichts zu beantworten.',
  'indicator.live': '{agent} ist mit diesem Computer verbunden',
  'indicator.connecting': 'Verbindung mit {agent} wird hergestellt…',
  'indicator.code': 'Code {code}',
  'indicator.stop': 'Beenden',
  'files.title': 'Datei annehmen?',
  'files.question': '{agent} möchte Ihnen „{name}“ ({size}) senden.',
  'files.where': 'Sie wird in Ihrem Download-Ordner unter „Beckon“ gespeichert.',
  'files.accept': 'Datei speichern',
  'files.decline': 'Ablehnen',
  'tray.waiting': 'Beckon Assist: wartet auf {agent}',
  'tray.live': 'Beckon Assist: {agent} ist verbunden',
  'tray.stop': 'Sitzung beenden',
  'tray.quit': 'Beckon Assist beenden',
};

const ja: Catalog = {
  'consent.title': 'リモートサポートを許可しますか?',
  'consent.asks': '{who} がこのコンピューターへのアクセスを求めています。',
  'consent.whoOrg': '{org} の {agent}',
  'consent.reason': 'ご依頼内容',
  'consent.wants': '要求されている操作:',
  'perm.view': '画面の表示',
  'perm.control': 'マウスとキーボードの操作',
  'perm.file_transfer': 'ファイルの送信',
  'perm.system_info': 'システム情報の表示',
  'consent.nothing': '「許可」を押すまで何も共有されません。いつでも停止できます。',
  'consent.countdown': '{seconds} 秒後に自動的に拒否されます',
  'consent.allow': '許可',
  'consent.deny': '拒否',
  'consent.none': '回答が必要な要求はありません。',
  'indicator.live': '{agent} がこのコンピューターに接続しています',
  'indicator.connecting': '{agent} に接続しています…',
  'indicator.code': 'コード {code}',
  'indicator.stop': '停止',
  'files.title': 'ファイルを受け取りますか?',
  'files.question': '{agent} が「{name}」({size}) を送信しようとしています。',
  'files.where': 'ダウンロード フォルダーの Beckon に保存されます。',
  'files.accept': '保存',
  'files.decline': '拒否',
  'tray.waiting': 'Beckon Assist: {agent} を待っています',
  'tray.live': 'Beckon Assist: {agent} が接続中',
  'tray.stop': 'セッションを停止',
  'tray.quit': 'Beckon Assist を終了',
};

const ko: Catalog = {
  'consent.title': '원격 지원을 허용하시겠습니까?',
  'consent.asks': '{who} 님이 이 컴퓨터에 대한 접근을 요청합니다.',
  'consent.whoOrg': '{org}의 {agent}',
  'consent.reason': '요청 내용',
  'consent.wants': '요청한 작업:',
  'perm.view': '화면 보기',
  'perm.control': '마우스와 키보드 사용',
  'perm.file_transfer': '파일 보내기',
  'perm.system_info': '시스템 정보 보기',
  'consent.nothing': '허용을 누르기 전에는 아무것도 공유되지 않습니다. 언제든지 중지할 수 있습니다.',
  'consent.countdown': '{seconds}초 후 자동으로 거부됩니다',
  'consent.allow': '허용',
  'consent.deny': '거부',
  'consent.none': '응답할 요청이 없습니다.',
  'indicator.live': '{agent} 님이 이 컴퓨터에 연결되어 있습니다',
  'indicator.connecting': '{agent} 님과 연결하는 중…',
  'indicator.code': '코드 {code}',
  'indicator.stop': '중지',
  'files.title': '파일을 받으시겠습니까?',
  'files.question': '{agent} 님이 “{name}”({size}) 파일을 보내려고 합니다.',
  'files.where': '다운로드 폴더의 Beckon 폴더에 저장됩니다.',
  'files.accept': '파일 저장',
  'files.decline': '거부',
  'tray.waiting': 'Beckon Assist: {agent} 님을 기다리는 중',
  'tray.live': 'Beckon Assist: {agent} 님이 연결됨',
  'tray.stop': '세션 중지',
  'tray.quit': 'Beckon Assist 종료',
};

export const ASSIST_CATALOGS: Readonly<Record<Language, Catalog>> = { en, de, ja, ko };

export type AssistTexts = (key: AssistTextKey, params?: Readonly<Record<string, string | number>>) => string;

/** Plain text; the windows set it as textContent, never as markup. */
export function assistTexts(language: Language): AssistTexts {
  const catalog = ASSIST_CATALOGS[language] ?? en;
  return (key, params) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      params && Object.hasOwn(params, name) ? String(params[name]) : whole,
    );
}

export const permissionKey = (p: RemotePermission): AssistTextKey => `perm.${p}`;

/** `1.5 MB`-style sizes, in the language's number format. */
export function formatSize(bytes: number, language: Language): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
