import type { HostPresenceInfo, HostRights } from '@beckon/protocol';
import type { HostGroupRecord, HostRecord } from './host-types.ts';
import { isSet, type FlagColumn } from './flag-column.ts';

// The managed_hosts, host_groups and host_group_rights rows as both backends
// read them (the same columns; the rights are flags, 0/1 or boolean) and the
// records they make: one mapping, no SQL.

export interface HostRow {
  id: string;
  org_id: string;
  name: string;
  group_id: string | null;
  tags: string;
  public_key: string;
  presence: string | null;
  enrolled_at: string;
  last_seen_at: string | null;
}

export const toHost = (r: HostRow): HostRecord => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  groupId: r.group_id,
  tags: JSON.parse(r.tags) as string[],
  publicKey: r.public_key,
  presence: r.presence ? (JSON.parse(r.presence) as HostPresenceInfo) : null,
  enrolledAt: r.enrolled_at,
  lastSeenAt: r.last_seen_at,
});

export interface GroupRow {
  id: string;
  org_id: string;
  name: string;
  created_at: string;
}

export const toGroup = (r: GroupRow): HostGroupRecord => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  createdAt: r.created_at,
});

export interface RightsRow {
  may_connect: FlagColumn;
  may_control: FlagColumn;
  may_files: FlagColumn;
  may_system_info: FlagColumn;
  may_unattended: FlagColumn;
}

export const toRights = (r: RightsRow): HostRights => ({
  connect: isSet(r.may_connect),
  control: isSet(r.may_control),
  files: isSet(r.may_files),
  systemInfo: isSet(r.may_system_info),
  // Named only when given, like NO_HOST_RIGHTS.
  ...(isSet(r.may_unattended) ? { unattended: true } : {}),
});
