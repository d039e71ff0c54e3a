import { z } from 'zod';
import { TimestampSchema } from './common.ts';
import {
  AdhocAuthRequestSchema,
  AdhocAuthResultSchema,
  AdhocAuthSchema,
  FmRequestSchema,
  FmResponseSchema,
} from './adhoc-channel.ts';
import { RemotePermissionsSchema } from './permissions.ts';
import { PROTOCOL_VERSION } from './version.ts';

/**
 * Messages on the peer-to-peer data channels. Three channels:
 * - `control`: ordered and reliable: keys, clicks, clipboard, tasks, stop;
 * - `pointer`: unordered, no retransmits: pointer moves only (a stale move is
 *   worthless, and a click never rides here, so a click is never reordered);
 * - `files`: ordered and reliable, with backpressure, for file chunks.
 */
export const DataChannelLabel = { CONTROL: 'control', POINTER: 'pointer', FILES: 'files' } as const;
export type DataChannelLabel = (typeof DataChannelLabel)[keyof typeof DataChannelLabel];

export const DC_MAX_MESSAGE_BYTES = 256 * 1024;
export const FILE_CHUNK_BYTES = 48 * 1024;
export const MAX_FILE_BYTES = 4 * 1024 ** 3;

/** Normalized screen coordinate: 0 is the left/top edge, 1 the right/bottom. */
const unit = z.number().min(0).max(1);
const transferId = z.uuid();

export const ModifiersSchema = z.strictObject({
  shift: z.boolean(),
  ctrl: z.boolean(),
  alt: z.boolean(),
  meta: z.boolean(),
});
export type Modifiers = z.infer<typeof ModifiersSchema>;

export const PointerMoveSchema = z.strictObject({ type: z.literal('pointer_move'), x: unit, y: unit });
export const PointerButtonSchema = z.strictObject({
  type: z.literal('pointer_button'),
  button: z.enum(['left', 'middle', 'right']),
  action: z.enum(['down', 'up']),
  x: unit,
  y: unit,
});
export const PointerWheelSchema = z.strictObject({
  type: z.literal('pointer_wheel'),
  dx: z.number().int().min(-10_000).max(10_000),
  dy: z.number().int().min(-10_000).max(10_000),
});
export const KeySchema = z.strictObject({
  type: z.literal('key'),
  action: z.enum(['down', 'up']),
  /** KeyboardEvent.code: the physical key, layout independent. */
  code: z.string().regex(/^[A-Za-z0-9]{1,32}$/),
  /** KeyboardEvent.key: what the agent's layout produced, for text fallback. */
  key: z.string().max(32),
  modifiers: ModifiersSchema,
});
export const TypeTextSchema = z.strictObject({
  type: z.literal('type_text'),
  text: z.string().min(1).max(4096),
});
export const ClipboardSchema = z.strictObject({
  type: z.literal('clipboard'),
  text: z.string().max(100_000),
});

export const FileOfferSchema = z.strictObject({
  type: z.literal('file_offer'),
  transferId,
  /** As the sender named it: the receiver sanitizes before touching a disk. */
  name: z.string().min(1).max(1024),
  size: z.number().int().min(0).max(MAX_FILE_BYTES),
  mime: z.string().max(255).optional(),
});
export const FileAnswerSchema = z.strictObject({
  type: z.literal('file_answer'),
  transferId,
  accepted: z.boolean(),
  /** Why not, for the sender's UI: "declined by the user", "too many pending files" (the receiver's bound on unanswered offers)… */
  reason: z.string().max(200).optional(),
});
export const FileChunkSchema = z.strictObject({
  type: z.literal('file_chunk'),
  transferId,
  seq: z.number().int().min(0),
  /** base64 of at most FILE_CHUNK_BYTES bytes. */
  data: z
    .string()
    .max(Math.ceil(FILE_CHUNK_BYTES / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/),
});
export const FileAckSchema = z.strictObject({
  type: z.literal('file_ack'),
  transferId,
  seq: z.number().int().min(0),
});
export const FileCompleteSchema = z.strictObject({
  type: z.literal('file_complete'),
  transferId,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export const FileCancelSchema = z.strictObject({
  type: z.literal('file_cancel'),
  transferId,
  reason: z.string().max(200),
});

const text = (max: number) => z.string().max(max);
export const SystemInfoSchema = z.strictObject({
  os: z.strictObject({
    platform: text(64),
    distro: text(128),
    release: text(128),
    arch: text(32),
    hostname: text(255),
  }),
  cpu: z.strictObject({
    manufacturer: text(128),
    brand: text(256),
    cores: z.number().int().min(0),
    physicalCores: z.number().int().min(0),
    speedGHz: z.number().min(0),
  }),
  memory: z.strictObject({ totalBytes: z.number().min(0) }),
  disks: z
    .array(
      z.strictObject({ device: text(256), mount: text(1024), type: text(64), sizeBytes: z.number().min(0) }),
    )
    .max(64),
  network: z
    .array(z.strictObject({ iface: text(128), ip4: text(64), ip6: text(128), mac: text(64) }))
    .max(64),
});
export type SystemInfo = z.infer<typeof SystemInfoSchema>;

export const MonitorSampleSchema = z.strictObject({
  type: z.literal('monitor_sample'),
  at: TimestampSchema,
  cpuPercent: z.number().min(0).max(100),
  memUsedBytes: z.number().min(0),
  memTotalBytes: z.number().min(0),
  disks: z
    .array(z.strictObject({ mount: text(1024), usedBytes: z.number().min(0), sizeBytes: z.number().min(0) }))
    .max(64),
});
export type MonitorSample = z.infer<typeof MonitorSampleSchema>;

/**
 * The verification exchange (commit, then reveal), on `control` once the peers
 * connect: the agent sends `verify_commit` (SHA-256 of its nonce and both DTLS
 * fingerprints), the host answers `verify_nonce` with its own nonce in the
 * clear, the agent reveals its nonce in `verify_reveal` and the host checks it
 * against the commitment. The code both show hashes both fingerprints and
 * both nonces, so a relay in the middle had to fix each side's value before
 * seeing the other's. Both nonces are 32 random bytes; all values are hex.
 */
const hex256 = z.string().regex(/^[0-9a-f]{64}$/);
export const VerifyCommitSchema = z.strictObject({ type: z.literal('verify_commit'), commit: hex256 });
export const VerifyNonceSchema = z.strictObject({ type: z.literal('verify_nonce'), nonce: hex256 });
export const VerifyRevealSchema = z.strictObject({ type: z.literal('verify_reveal'), nonce: hex256 });
export type VerifyMessage =
  z.infer<typeof VerifyCommitSchema> | z.infer<typeof VerifyNonceSchema> | z.infer<typeof VerifyRevealSchema>;

export const DataChannelMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('hello'),
    v: z.literal(PROTOCOL_VERSION),
    permissions: RemotePermissionsSchema,
  }),
  PointerMoveSchema,
  PointerButtonSchema,
  PointerWheelSchema,
  KeySchema,
  TypeTextSchema,
  ClipboardSchema,
  FileOfferSchema,
  FileAnswerSchema,
  FileChunkSchema,
  FileAckSchema,
  FileCompleteSchema,
  FileCancelSchema,
  z.strictObject({ type: z.literal('sysinfo_request') }),
  z.strictObject({ type: z.literal('sysinfo_snapshot'), info: SystemInfoSchema }),
  z.strictObject({ type: z.literal('monitor_start'), intervalMs: z.number().int().min(250).max(60_000) }),
  z.strictObject({ type: z.literal('monitor_stop') }),
  MonitorSampleSchema,
  z.strictObject({ type: z.literal('permission_change'), permissions: RemotePermissionsSchema }),
  z.strictObject({ type: z.literal('stop'), reason: z.string().max(200) }),
  VerifyCommitSchema,
  VerifyNonceSchema,
  VerifyRevealSchema,
  /**
   * Unattended access at connection (UA3, UA7): administrator credentials of
   * the host, typed by the agent. They travel only over this encrypted peer
   * connection, after the verification exchange, and never through the
   * broker; the host hands them to its OS and keeps nothing.
   */
  z.strictObject({
    type: z.literal('unattended_auth'),
    username: z.string().min(1).max(256),
    password: z.string().min(1).max(1024),
  }),
  z.strictObject({
    type: z.literal('unattended_auth_result'),
    ok: z.boolean(),
    message: z.string().max(300),
  }),
  // Ad-hoc support (adhoc-channel.ts): the predefined password, the file manager, processes.
  AdhocAuthRequestSchema,
  AdhocAuthSchema,
  AdhocAuthResultSchema,
  ...FmRequestSchema.options,
  ...FmResponseSchema.options,
]);
export type DataChannelMessage = z.infer<typeof DataChannelMessageSchema>;
export type DataChannelMessageType = DataChannelMessage['type'];

/** Messages that act on the host's input devices: only with the `control` permission. */
export const INPUT_MESSAGE_TYPES: ReadonlySet<DataChannelMessageType> = new Set([
  'pointer_move',
  'pointer_button',
  'pointer_wheel',
  'key',
  'type_text',
  'clipboard',
]);
