import { z } from 'zod';

/**
 * What a provider and a temporary host say over the peer connection in an
 * ad-hoc session (AH3, AH8), on `control`. Every path is relative to one of
 * the folders the user allowed at activation, by index (`root`), and the
 * host resolves and checks it there: the provider never names an absolute
 * path on the computer.
 */

/** The temporary host asks for the predefined password once the connection is verified. */
export const AdhocAuthRequestSchema = z.strictObject({ type: z.literal('adhoc_auth_request') });
/** The predefined password, sent by the provider's console after the verification exchange. */
export const AdhocAuthSchema = z.strictObject({
  type: z.literal('adhoc_auth'),
  password: z.string().max(200),
});
export const AdhocAuthResultSchema = z.strictObject({
  type: z.literal('adhoc_auth_result'),
  ok: z.boolean(),
});

/** Listings and process lists are cut to fit one data-channel message (256 KiB). */
export const FM_MAX_ENTRIES = 1000;
export const MAX_PROCESSES = 500;

const fmId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/** A relative path as the provider sends it; the host does the real checks (fm-paths on the host). */
export const FmPathSchema = z.string().max(4096);
const root = z.number().int().min(0).max(63);

export const FmRequestSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('fm_roots'), id: fmId }),
  z.strictObject({ type: z.literal('fm_list'), id: fmId, root, path: FmPathSchema }),
  z.strictObject({ type: z.literal('fm_rename'), id: fmId, root, from: FmPathSchema, to: FmPathSchema }),
  z.strictObject({ type: z.literal('fm_delete'), id: fmId, root, path: FmPathSchema }),
  /** The host offers the file over the file-transfer machinery (files channel), named as the path's last part. */
  z.strictObject({ type: z.literal('fm_download'), id: fmId, root, path: FmPathSchema }),
  /** Then the agent offers the file over the file-transfer machinery, its offer's name being this id. */
  z.strictObject({
    type: z.literal('fm_upload'),
    id: fmId,
    root,
    path: FmPathSchema,
    size: z
      .number()
      .int()
      .min(0)
      .max(4 * 1024 ** 3),
  }),
  z.strictObject({ type: z.literal('processes_request'), id: fmId }),
]);
export type FmRequest = z.infer<typeof FmRequestSchema>;

export const FmEntrySchema = z.strictObject({
  name: z.string().max(1024),
  kind: z.enum(['file', 'dir', 'symlink', 'other']),
  size: z.number().min(0),
  modifiedAt: z.string().max(64),
});
export type FmEntry = z.infer<typeof FmEntrySchema>;

export const FmErrorCodeSchema = z.enum([
  'outside_allowed',
  'bad_name',
  'not_found',
  'exists',
  'io_error',
  /** The session's permissions do not include this (file transfer, system information). */
  'not_allowed',
]);
export type FmErrorCode = z.infer<typeof FmErrorCodeSchema>;

export const ProcessInfoSchema = z.strictObject({
  pid: z.number().int().min(0),
  name: z.string().max(256),
  cpuPercent: z.number().min(0),
  memBytes: z.number().min(0),
  user: z.string().max(64),
});
export type ProcessInfo = z.infer<typeof ProcessInfoSchema>;

export const FmResponseSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('fm_roots_result'),
    id: fmId,
    roots: z.array(z.string().max(4096)).max(64),
  }),
  /** At most FM_MAX_ENTRIES (a message must fit the data channel's bound); `truncated` says there are more. */
  z.strictObject({
    type: z.literal('fm_listing'),
    id: fmId,
    entries: z.array(FmEntrySchema).max(1000),
    truncated: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('fm_progress'),
    id: fmId,
    bytes: z.number().min(0),
    total: z.number().min(0),
  }),
  z.strictObject({ type: z.literal('fm_done'), id: fmId }),
  z.strictObject({
    type: z.literal('fm_error'),
    id: fmId,
    code: FmErrorCodeSchema,
    message: z.string().max(500),
  }),
  z.strictObject({ type: z.literal('processes'), id: fmId, items: z.array(ProcessInfoSchema).max(500) }),
]);
export type FmResponse = z.infer<typeof FmResponseSchema>;

export const AdhocChannelMessageSchema = z.union([
  AdhocAuthRequestSchema,
  AdhocAuthSchema,
  AdhocAuthResultSchema,
  FmRequestSchema,
  FmResponseSchema,
]);
export type AdhocChannelMessage = z.infer<typeof AdhocChannelMessageSchema>;
