import type { ApiScope, Language, MailTemplateKind, NotificationSettings } from '@beckon/protocol';
import type { ApiTokenRecord, StoredTemplate } from './helpdesk-types.ts';
import { isSet, type FlagColumn } from './flag-column.ts';

// The api_tokens, mail_templates and notification_settings rows as both
// backends read them (the same columns; the settings' flags are 0/1 or
// boolean) and the records they make: one mapping, no SQL.

export interface TokenRow {
  id: string;
  org_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  scopes: string;
  created_at: string;
  created_by_id: string | null;
  created_by_name: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export const toToken = (r: TokenRow): ApiTokenRecord => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  tokenHash: r.token_hash,
  prefix: r.prefix,
  scopes: JSON.parse(r.scopes) as ApiScope[],
  createdAt: r.created_at,
  createdBy: { type: 'user', id: r.created_by_id, name: r.created_by_name },
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export interface TemplateRow {
  kind: MailTemplateKind;
  language: Language;
  subject: string;
  body: string;
  updated_at: string;
}
export const toTemplate = (r: TemplateRow): StoredTemplate => ({
  kind: r.kind,
  language: r.language,
  subject: r.subject,
  body: r.body,
  updatedAt: r.updated_at,
});

export interface SettingsRow {
  user_id: string;
  desktop: FlagColumn;
  email: FlagColumn;
  share_queue_ids: string;
  language: Language;
}
export const toSettings = (r: SettingsRow): NotificationSettings => ({
  desktop: isSet(r.desktop),
  email: isSet(r.email),
  shareWithQueueIds: JSON.parse(r.share_queue_ids) as string[],
  language: r.language,
});
