import { z } from 'zod';
import { LiveServerMessageSchema } from './live.ts';
import { ActorSchema } from './session-request.ts';
import { HostKindSchema, PeerRoleSchema, SIGNAL_MAX_FRAME_BYTES } from './signaling.ts';

/**
 * What brokers of one installation tell each other on the shared bus (Redis
 * pub/sub, BECKON_REDIS_URL). A signaling room lives on one broker (its
 * owner); a peer whose socket is on another broker is relayed: its frames go
 * to the owner as they came, and what the owner says to it comes back as text.
 */
const BrokerId = z.string().min(1).max(64);
const Id = z.string().min(1).max(128);

export const ClusterMessageSchema = z.discriminatedUnion('t', [
  /** A peer said hello on broker `from`; `rejoin` when it moves to a new owner (no second welcome). */
  z.strictObject({
    t: z.literal('join'),
    from: BrokerId,
    room: Id,
    org: Id,
    peer: Id,
    role: PeerRoleSchema,
    actor: ActorSchema,
    ip: z.string().max(64).nullable(),
    host: HostKindSchema.optional(),
    rejoin: z.boolean(),
  }),
  /** A frame the peer sent, already size-checked, rate-limited and parsed by the socket's broker. */
  z.strictObject({
    t: z.literal('frame'),
    from: BrokerId,
    room: Id,
    peer: Id,
    raw: z.string().max(SIGNAL_MAX_FRAME_BYTES),
  }),
  z.strictObject({ t: z.literal('leave'), from: BrokerId, room: Id, peer: Id, intentional: z.boolean() }),
  /** The owner's word to a relayed peer, as the text to put on its socket. */
  z.strictObject({ t: z.literal('send'), peer: Id, raw: z.string() }),
  z.strictObject({ t: z.literal('close'), peer: Id, code: z.number().int(), reason: z.string().max(123) }),
  /** A request changed on broker `from`: the others tell their live channels, rooms and pages. */
  z.strictObject({
    t: z.literal('change'),
    from: BrokerId,
    org: Id,
    id: Id,
    change: z.enum(['created', 'updated', 'status']),
  }),
  /** A live-channel message for an organisation's agents (managed hosts' presence). */
  z.strictObject({ t: z.literal('live'), from: BrokerId, org: Id, message: LiveServerMessageSchema }),
]);
export type ClusterMessage = z.infer<typeof ClusterMessageSchema>;
