import { z } from 'zod';
import { EmailSchema, IdSchema, TimestampSchema, singleLine } from './common.ts';
import { AccountPermissionSchema, RoleSchema } from './permissions.ts';

export const LoginBodySchema = z.strictObject({
  email: EmailSchema,
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const UserSchema = z.strictObject({
  id: IdSchema,
  orgId: IdSchema,
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  permissions: z.array(AccountPermissionSchema),
  createdAt: TimestampSchema,
  disabled: z.boolean(),
});
export type User = z.infer<typeof UserSchema>;

export const LoginResponseSchema = z.strictObject({
  token: z.string(),
  expiresAt: TimestampSchema,
  user: UserSchema,
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** OWASP: at least 12 characters; the upper bound keeps hashing cost bounded. */
export const PasswordSchema = z.string().min(12, 'at least 12 characters').max(256);

export const UserCreateSchema = z.strictObject({
  email: EmailSchema,
  name: singleLine(200),
  password: PasswordSchema,
  role: RoleSchema,
  permissions: z.array(AccountPermissionSchema).max(2).optional(),
});
export type UserCreate = z.infer<typeof UserCreateSchema>;

export const UserPatchSchema = z
  .strictObject({
    name: singleLine(200).optional(),
    role: RoleSchema.optional(),
    permissions: z.array(AccountPermissionSchema).max(2).optional(),
    password: PasswordSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type UserPatch = z.infer<typeof UserPatchSchema>;

export const QueueSchema = z.strictObject({
  id: IdSchema,
  name: z.string(),
  memberIds: z.array(IdSchema),
  createdAt: TimestampSchema,
});
export type Queue = z.infer<typeof QueueSchema>;

export const QueueCreateSchema = z.strictObject({
  name: singleLine(100),
  memberIds: z.array(IdSchema).max(1000).default([]),
});
export type QueueCreate = z.input<typeof QueueCreateSchema>;

export const DevicePlatformSchema = z.enum(['linux', 'windows', 'macos', 'web']);
export const AgentDeviceSchema = z.strictObject({
  id: IdSchema,
  userId: IdSchema,
  name: z.string(),
  platform: DevicePlatformSchema,
  createdAt: TimestampSchema,
  lastSeenAt: TimestampSchema.nullable(),
});
export type AgentDevice = z.infer<typeof AgentDeviceSchema>;

export const DeviceRegisterSchema = z.strictObject({
  name: singleLine(100),
  platform: DevicePlatformSchema,
});
export type DeviceRegister = z.infer<typeof DeviceRegisterSchema>;

export const IdParamsSchema = z.strictObject({ id: IdSchema });

/** A mail in the outbox, as an admin lists it. */
export const OutboxMailSchema = z.strictObject({
  id: z.number().int(),
  requestId: IdSchema.nullable(),
  kind: z.string(),
  to: z.string(),
  subject: z.string(),
  language: z.string(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: TimestampSchema,
  sentAt: TimestampSchema.nullable(),
  nextAttemptAt: TimestampSchema.nullable(),
});
export type OutboxMail = z.infer<typeof OutboxMailSchema>;
