import type { adhocEn } from './en.ts';

export const adhocJa: Record<keyof typeof adhocEn, string> = {
  'nav.adhoc': 'アドホックサポート',
  'adhoc.title': 'アドホックサポート',
  'adhoc.intro':
    '管理されていないコンピューターに 1 日間繰り返しアクセスできます。ユーザーが一時プログラムをインストールしてセキュリティコードで有効化すると、24 時間後に自動的に削除されます。',
  'adhoc.seats': '{seats} 席中 {used} 席を使用中 (組織ごとに有効なセッションは最大 {limit})',
  'adhoc.new': '新しいアドホックセッション',
  'adhoc.userName': 'ユーザー名',
  'adhoc.email': 'メールアドレス',
  'adhoc.language': 'メールの言語',
  'adhoc.comment': 'コメント',
  'adhoc.create': '作成してメールを送信',
  'adhoc.created.title': 'この一度だけ表示されます',
  'adhoc.created.body':
    '事前定義パスワードを保管してください。接続するたびに入力が必要で、再表示はできません。セキュリティコードとインストールリンクはユーザーにメールで送信されました。',
  'adhoc.password': '事前定義パスワード',
  'adhoc.code': 'セキュリティコード',
  'adhoc.link': 'インストールリンク',
  'adhoc.list': 'アドホックセッション',
  'adhoc.col.user': 'ユーザー',
  'adhoc.col.status': '状態',
  'adhoc.col.activated': '有効化',
  'adhoc.col.expires': '終了',
  'adhoc.col.actions': '操作',
  'adhoc.status.created': '有効化待ち',
  'adhoc.status.activated': '有効',
  'adhoc.status.ended': '終了',
  'adhoc.status.removed': '終了・削除済み',
  'adhoc.end': '今すぐ終了',
  'adhoc.empty': 'アドホックセッションはまだありません。',
  'adhoc.auth.title': '事前定義パスワード',
  'adhoc.auth.label': 'このコンピューターはアドホックセッションの事前定義パスワードを求めています',
  'adhoc.auth.submit': '送信',
  'adhoc.auth.refused': 'コンピューターがパスワードを拒否し、接続を終了しました。',
  'templates.kind.adhoc_invite': 'アドホックサポートの招待 (ユーザー宛て)',
  'error.adhoc_no_seat':
    '空いているアドホック席がありません。管理者が席を追加するか、有効なセッションを終了してください。',
  'error.adhoc_provider_limit':
    'すでに有効なアドホックセッションがあります (担当者ごとに 1 つ)。先に終了してください。',
  'error.adhoc_org_limit': '組織の有効なアドホックセッション数が上限に達しました。',
};
