import { z } from 'zod';
import { IdSchema } from './common.ts';
import { SystemInfoSchema } from './datachannel.ts';
import { HostPresenceInfoSchema, HostPublicKeySchema, HostSignatureSchema } from './hosts.ts';
import { PROTOCOL_VERSION } from './version.ts';

/**
 * The managed host's own WebSocket (`/api/v1/host`): one per host, open for
 * as long as the host runs. The broker speaks first with a fresh challenge;
 * the host answers with its id and a signature over it made with the key
 * that never leaves the computer. The broker stores only public keys, so
 * nothing it holds lets anyone act as the host.
 */
export const HOST_MAX_FRAME_BYTES = 16 * 1024;
/** How often a host says it is alive; a host silent for two of these is offline. */
export const HOST_HEARTBEAT_MS = 15_000;
export const HostNonceSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** What the host signs to prove it is the host: bound to this host id and this one challenge. */
export function hostAuthMessage(hostId: string, nonce: string): string {
  return `beckon-host-auth/v1\n${hostId}\n${nonce}`;
}
/** What a new key signs to show the host holds it, bound to the socket's own challenge. */
export function hostRotateMessage(hostId: string, nonce: string, newPublicKey: string): string {
  return `beckon-host-rotate/v1\n${hostId}\n${nonce}\n${newPublicKey}`;
}

export const HostServerMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('challenge'), v: z.literal(PROTOCOL_VERSION), nonce: HostNonceSchema }),
  z.strictObject({
    type: z.literal('welcome'),
    hostId: IdSchema,
    heartbeatMs: z.number().int().min(1000).max(600_000),
  }),
  z.strictObject({ type: z.literal('pong'), t: z.number() }),
  z.strictObject({ type: z.literal('key_rotated') }),
  z.strictObject({ type: z.literal('sysinfo_request'), id: IdSchema }),
  /**
   * An agent pressed Connect: the host joins the session with this code, the
   * same way a person would, and its consent policy decides (the host's word
   * is final).
   */
  z.strictObject({ type: z.literal('session_offer'), requestId: IdSchema, code: z.string().max(20) }),
]);
export type HostServerMessage = z.infer<typeof HostServerMessageSchema>;

export const HostClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('hello'),
    v: z.literal(PROTOCOL_VERSION),
    hostId: IdSchema,
    proof: HostSignatureSchema,
  }),
  z.strictObject({ type: z.literal('ping'), t: z.number() }),
  z.strictObject({ type: z.literal('presence'), info: HostPresenceInfoSchema }),
  z.strictObject({
    type: z.literal('rotate_key'),
    publicKey: HostPublicKeySchema,
    proof: HostSignatureSchema,
  }),
  z.strictObject({ type: z.literal('sysinfo'), id: IdSchema, info: SystemInfoSchema }),
]);
export type HostClientMessage = z.infer<typeof HostClientMessageSchema>;
