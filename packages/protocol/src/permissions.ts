import { z } from 'zod';

/** What a customer grants an agent for one session (SC6). */
export const RemotePermission = {
  VIEW: 'view',
  CONTROL: 'control',
  FILE_TRANSFER: 'file_transfer',
  SYSTEM_INFO: 'system_info',
} as const;
export type RemotePermission = (typeof RemotePermission)[keyof typeof RemotePermission];
export const RemotePermissionSchema = z.enum(
  Object.values(RemotePermission) as [RemotePermission, ...RemotePermission[]],
);
/** A set of permissions: no duplicates, and anything beyond view needs view. */
export const RemotePermissionsSchema = z
  .array(RemotePermissionSchema)
  .min(1)
  .max(4)
  .refine((list) => new Set(list).size === list.length, 'duplicate permission')
  .refine((list) => list.includes('view'), 'every session includes view');

export const DEFAULT_REMOTE_PERMISSIONS: RemotePermission[] = [
  'view',
  'control',
  'file_transfer',
  'system_info',
];

/** What a broker account may do (SR7). */
export const Role = { ADMIN: 'admin', SUPPORT_AGENT: 'support_agent' } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const RoleSchema = z.enum([Role.ADMIN, Role.SUPPORT_AGENT]);

export const AccountPermission = {
  REQUESTS_VIEW: 'session_requests:view',
  REQUESTS_EDIT: 'session_requests:edit',
} as const;
export type AccountPermission = (typeof AccountPermission)[keyof typeof AccountPermission];
export const AccountPermissionSchema = z.enum([
  AccountPermission.REQUESTS_VIEW,
  AccountPermission.REQUESTS_EDIT,
]);
