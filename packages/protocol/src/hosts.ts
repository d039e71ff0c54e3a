import { z } from 'zod';
import { IdSchema, singleLine, TimestampSchema } from './common.ts';
import { TOKEN_PATTERN } from './tokens.ts';

/**
 * Managed hosts (UA, AH): computers that stay installed and connected to the
 * broker, known by an Ed25519 key made on the computer itself. Not to be
 * confused with the agents' own devices (`agent_devices`, SR1): a managed
 * host is a controlled side, an agent device is where an agent works.
 */

/** An Ed25519 public key: its 32 raw bytes, base64url. */
export const HostPublicKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'expected a 32-byte Ed25519 public key in base64url');
/** An Ed25519 signature: 64 bytes, base64url. */
export const HostSignatureSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{86}$/, 'expected a 64-byte Ed25519 signature in base64url');
/** A single-use enrolment code an administrator hands to one computer (128 bits). */
export const EnrolmentCodeSchema = z.string().regex(TOKEN_PATTERN, 'expected a 43-character enrolment code');

export const HostOsSchema = z.enum(['linux', 'windows', 'macos']);
export type HostOs = z.infer<typeof HostOsSchema>;

/** What the host says about itself; the broker shows it, never trusts it for access. */
export const HostPresenceInfoSchema = z.strictObject({
  hostname: singleLine(255),
  os: HostOsSchema,
  osVersion: singleLine(120).optional(),
  arch: singleLine(40).optional(),
  /** Someone is logged in at the computer; null where the host cannot tell. */
  userPresent: z.boolean().nullable(),
  /** The screen is locked; null where the host cannot tell. */
  screenLocked: z.boolean().nullable(),
  clientVersion: singleLine(40).optional(),
});
export type HostPresenceInfo = z.infer<typeof HostPresenceInfoSchema>;

export const HostTagSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}_.:-]+$/u, 'letters, digits and _ . : - only');
export const HostTagsSchema = z
  .array(HostTagSchema)
  .max(20)
  .refine((t) => new Set(t).size === t.length, 'duplicate tag');

/** The read model of one managed host. */
export const HostSummarySchema = z.strictObject({
  id: IdSchema,
  name: z.string(),
  groupId: IdSchema.nullable(),
  tags: z.array(z.string()),
  online: z.boolean(),
  lastSeenAt: TimestampSchema.nullable(),
  enrolledAt: TimestampSchema,
  /** SHA-256 of the public key, hex, first 16 characters: to compare with the host's own. */
  keyFingerprint: z.string(),
  presence: HostPresenceInfoSchema.nullable(),
});
export type HostSummary = z.infer<typeof HostSummarySchema>;

/** What one agent may do on the hosts of one group (admins may do everything). */
export const HostRightsSchema = z.strictObject({
  connect: z.boolean(),
  control: z.boolean(),
  files: z.boolean(),
  systemInfo: z.boolean(),
});
export type HostRights = z.infer<typeof HostRightsSchema>;
export const NO_HOST_RIGHTS: HostRights = { connect: false, control: false, files: false, systemInfo: false };
export const ALL_HOST_RIGHTS: HostRights = { connect: true, control: true, files: true, systemInfo: true };

/** `GET /api/v1/hosts/:id`: the host and what the caller may do with it. */
export const HostDetailSchema = HostSummarySchema.extend({ rights: HostRightsSchema });
export type HostDetail = z.infer<typeof HostDetailSchema>;

/** Query of `GET /api/v1/hosts` (query strings: every value is text). */
export const HostListQuerySchema = z.strictObject({
  q: z.string().max(200).optional(),
  group: z.union([IdSchema, z.literal('none')]).optional(),
  tag: HostTagSchema.optional(),
  cursor: z
    .string()
    .max(400)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type HostListQuery = z.infer<typeof HostListQuerySchema>;

export const HostListSchema = z.strictObject({
  items: z.array(HostSummarySchema),
  nextCursor: z.string().nullable(),
});
export type HostList = z.infer<typeof HostListSchema>;

/** `PATCH /api/v1/hosts/:id`: rename, tag, move to a group (null: no group). */
export const HostPatchSchema = z
  .strictObject({
    name: singleLine(120).optional(),
    tags: HostTagsSchema.optional(),
    groupId: IdSchema.nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type HostPatch = z.infer<typeof HostPatchSchema>;

export const HostGroupCreateSchema = z.strictObject({ name: singleLine(120) });
export const HostGroupSchema = z.strictObject({ id: IdSchema, name: z.string(), createdAt: TimestampSchema });
export type HostGroup = z.infer<typeof HostGroupSchema>;
/** `PUT /api/v1/host-groups/:id/rights/:userId`. */
export const HostGroupRightsBodySchema = HostRightsSchema;
export const UserIdParamsSchema = z.strictObject({ id: IdSchema, userId: IdSchema });

/** `POST /api/v1/hosts/enrolment-codes` (admins). */
export const EnrolmentCodeCreateSchema = z.strictObject({
  groupId: IdSchema.nullable().optional(),
  ttlMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(60),
});
export const EnrolmentCodeSchemaOut = z.strictObject({ code: z.string(), expiresAt: TimestampSchema });
export type EnrolmentCodeOut = z.infer<typeof EnrolmentCodeSchemaOut>;

/** `POST /api/v1/hosts/enrol` (the host, with a code instead of a sign-in). */
export const HostEnrolSchema = z.strictObject({
  code: EnrolmentCodeSchema,
  publicKey: HostPublicKeySchema,
  name: singleLine(120),
  presence: HostPresenceInfoSchema,
});
export type HostEnrol = z.infer<typeof HostEnrolSchema>;
export const HostEnrolledSchema = z.strictObject({ hostId: IdSchema });
