import { z } from 'zod';
import { SystemInfoSchema } from './datachannel.ts';
import { HostClientMessageSchema, HostServerMessageSchema } from './host-channel.ts';
import { HostPresenceInfoSchema } from './hosts.ts';
import { LiveServerMessageSchema } from './live.ts';
import { SessionStatusSchema } from './state-machine.ts';
import { ActorSchema } from './session-request.ts';
import { HostKindSchema, PeerRoleSchema, SIGNAL_MAX_FRAME_BYTES } from './signaling.ts';

/**
 * What brokers of one installation tell each other on the shared bus (Redis
 * pub/sub, BECKON_REDIS_URL). A signaling room lives on one broker (its
 * owner); a peer whose socket is on another broker is relayed: its frames go
 * to the owner as they came, and what the owner says to it comes back as text.
 * A managed host's socket is on one broker too (its holder): the others know
 * who holds which host from `host_on` / `host_off` and reach it through the
 * holder (`host_send`, `host_sysinfo_ask`); what the host answers goes back to
 * the broker that asked.
 */
const BrokerId = z.string().min(1).max(64);
/** At most this many request changes in one bus message. */
export const CHANGES_PER_MESSAGE = 500;
const Id = z.string().min(1).max(128);
/** How many hosts one `host_list` names (a broker with more sends several). */
export const HOST_LIST_CHUNK = 1000;

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
  /**
   * Requests changed on broker `from`, in the order they changed there: the
   * others tell their live channels, rooms and pages. Changes made in the same
   * turn of its event loop travel together (one publish, not one each).
   */
  z.strictObject({
    t: z.literal('changes'),
    from: BrokerId,
    changes: z
      .array(
        z.strictObject({
          org: Id,
          id: Id,
          change: z.enum(['created', 'updated', 'status']),
          /** The status after the change: what rooms, landing pages and workers need, without a read. */
          status: SessionStatusSchema,
        }),
      )
      .min(1)
      .max(CHANGES_PER_MESSAGE),
  }),
  /** A live-channel message for an organisation's agents (managed hosts' presence). */
  z.strictObject({ t: z.literal('live'), from: BrokerId, org: Id, message: LiveServerMessageSchema }),
  /** A managed host's socket is on broker `from` now, with the presence it reported (again on each change). */
  z.strictObject({
    t: z.literal('host_on'),
    from: BrokerId,
    host: Id,
    presence: HostPresenceInfoSchema.nullable(),
  }),
  /** The host's socket on broker `from` closed. */
  z.strictObject({ t: z.literal('host_off'), from: BrokerId, host: Id }),
  /** A broker asks the others which hosts they hold (after its start, and now and then to heal). */
  z.strictObject({ t: z.literal('host_roll_call'), from: BrokerId }),
  /** The answer to a roll call, in chunks; `first` says the hosts of `from` known so far are replaced. */
  z.strictObject({
    t: z.literal('host_list'),
    from: BrokerId,
    first: z.boolean(),
    hosts: z
      .array(z.strictObject({ id: Id, presence: HostPresenceInfoSchema.nullable() }))
      .max(HOST_LIST_CHUNK),
  }),
  /** For the host whose socket the receiver holds; its answer to a `grant_request` goes back to `from`. */
  z.strictObject({ t: z.literal('host_send'), from: BrokerId, host: Id, message: HostServerMessageSchema }),
  /** Asks the holder for the host's system information; answered by `host_sysinfo` with the same id. */
  z.strictObject({ t: z.literal('host_sysinfo_ask'), from: BrokerId, host: Id, id: Id }),
  /** null: the host is not here or did not answer in time. */
  z.strictObject({ t: z.literal('host_sysinfo'), id: Id, info: SystemInfoSchema.nullable() }),
  /** What the host said about a grant another broker asked for (`grant_answer`, `grant_revoked`). */
  z.strictObject({ t: z.literal('host_grant'), host: Id, message: HostClientMessageSchema }),
  /** The host was deleted or its ad-hoc session ended: whoever holds its socket closes it at once. */
  z.strictObject({ t: z.literal('host_revoke'), from: BrokerId, host: Id }),
]);
export type ClusterMessage = z.infer<typeof ClusterMessageSchema>;
