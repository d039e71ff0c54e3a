import type { AccountPermission, AgentDevice, Role } from '@beckon/protocol';
import type { AuthSessionRecord, UserRecord } from './types.ts';
import { isSet, type FlagColumn } from './flag-column.ts';

// The users, auth_sessions and agent_devices rows as both backends read them
// (the same columns; `disabled` is a flag, 0/1 or boolean) and the records they
// make: one mapping, no SQL.

export interface UserRow {
  id: string;
  org_id: string;
  email: string;
  name: string;
  role: Role;
  permissions: string;
  password_hash: string;
  failed_logins: number;
  locked_until: string | null;
  disabled: FlagColumn;
  created_at: string;
}

export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    name: row.name,
    role: row.role,
    permissions: JSON.parse(row.permissions) as AccountPermission[],
    passwordHash: row.password_hash,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until,
    disabled: isSet(row.disabled),
    createdAt: row.created_at,
  };
}

/** A user as a list shows it: nothing of the credential or the sign-in throttle. */
export const publicUser = (row: UserRow) => {
  const { passwordHash: _h, failedLogins: _f, lockedUntil: _l, ...user } = toUser(row);
  return user;
};

export interface AuthSessionRow {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export const toAuthSession = (row: AuthSessionRow): AuthSessionRecord => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export interface DeviceRow {
  id: string;
  user_id: string;
  name: string;
  platform: AgentDevice['platform'];
  created_at: string;
  last_seen_at: string | null;
}

export const toDevice = (row: DeviceRow): AgentDevice => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  platform: row.platform,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
});
