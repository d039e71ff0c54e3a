import { z } from 'zod';
import { IdSchema } from './common.ts';
import { ErrorCodeSchema } from './errors.ts';
import { RemotePermissionsSchema } from './permissions.ts';
import { SessionStatusSchema } from './state-machine.ts';
import { TOKEN_PATTERN } from './tokens.ts';
import { PROTOCOL_VERSION } from './version.ts';

/**
 * Signaling over the broker's WebSocket (`/api/v1/signal`). The broker only
 * introduces the two peers and relays SDP and ICE candidates; media and
 * input flow peer to peer. One envelope per direction, tagged by `type`.
 */
export const SIGNAL_MAX_FRAME_BYTES = 64 * 1024;

/** The subprotocol every signaling client offers; a `bearer.<token>` one may ride beside it. */
export const SIGNAL_SUBPROTOCOL = 'beckon.v1';

/**
 * The signaling URL's query: an agent names the request it works on (and
 * signs in with its token or cookie); an assist client presents the
 * single-use ticket `POST /api/v1/join` gave it, which names the request.
 */
export const SignalConnectQuerySchema = z.union([
  z.strictObject({ request: IdSchema }),
  z.strictObject({ ticket: z.string().regex(TOKEN_PATTERN) }),
]);
export type SignalConnectQuery = z.infer<typeof SignalConnectQuerySchema>;

export const PeerRoleSchema = z.enum(['agent', 'assist']);
export type PeerRole = z.infer<typeof PeerRoleSchema>;

/** One signal between the peers (simple-peer's format, which `@beckon/session` speaks): SDP or an ICE candidate. */
export const SignalDataSchema = z.union([
  z.strictObject({
    type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
    sdp: z.string().max(60_000),
  }),
  z.strictObject({
    type: z.literal('candidate'),
    candidate: z.strictObject({
      candidate: z.string().max(1024),
      sdpMid: z.string().max(64).nullable().optional(),
      sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
      usernameFragment: z.string().max(256).nullable().optional(),
    }),
  }),
  z.strictObject({ type: z.literal('renegotiate'), renegotiate: z.literal(true) }),
]);
export type SignalData = z.infer<typeof SignalDataSchema>;

export const IceServerSchema = z.strictObject({
  urls: z.union([z.string().max(512), z.array(z.string().max(512)).max(8)]),
  username: z.string().max(256).optional(),
  credential: z.string().max(256).optional(),
});
export type IceServer = z.infer<typeof IceServerSchema>;

/**
 * Why a consent answer was given: the person pressed a button, nobody answered
 * within the timeout (a deny), or the host re-admitted the same agent within
 * the reconnect grace window after a dropped connection, without asking again,
 * or a grant the host holds admitted the agent: an unattended-access grant
 * (UA7) or an activated ad-hoc session (the host's own record, never the
 * broker's word).
 */
export const ConsentReasonSchema = z.enum(['user', 'timeout', 'grace', 'grant']);

/**
 * One consent question's id, chosen by the broker (128 random bits). An answer
 * names the question it answers and applies to that question only, so an
 * Allow given to a prompt naming one agent can never reach another.
 */
export const ConsentQuestionIdSchema = z.string().regex(/^[0-9a-f]{32}$/);
export type ConsentReason = z.infer<typeof ConsentReasonSchema>;

/** How long a dropped peer may reconnect under the consent it already had. */
export const RECONNECT_GRACE_MS = 30_000;

export const PeerStateSchema = z.enum(['connected', 'disconnected', 'failed', 'closed']);

/**
 * What kind of host the customer runs: the assist client (`app`: screen, input,
 * files, system information), or the landing page's "share from this browser"
 * (`browser`: getDisplayMedia only). A browser can take no input, so its
 * session is view only (UA2): the agent's console asks for view alone and says why.
 */
export const HostKindSchema = z.enum(['app', 'browser']);
export type HostKind = z.infer<typeof HostKindSchema>;

/** `host` is the assist side's kind (absent: `app`); an agent sends none. */
const hello = z.strictObject({
  type: z.literal('hello'),
  v: z.number().int(),
  host: HostKindSchema.optional(),
});
const signal = z.strictObject({ type: z.literal('signal'), data: SignalDataSchema });
const peerState = z.strictObject({
  type: z.literal('peer_state'),
  state: PeerStateSchema,
  relayed: z.boolean().optional(),
});

/** Frames an agent sends. */
export const AgentSignalMessageSchema = z.discriminatedUnion('type', [
  hello,
  signal,
  peerState,
  z.strictObject({ type: z.literal('connect'), permissions: RemotePermissionsSchema }),
  z.strictObject({ type: z.literal('end_session') }),
]);
export type AgentSignalMessage = z.infer<typeof AgentSignalMessageSchema>;

/** Frames an assist client sends. */
export const AssistSignalMessageSchema = z.discriminatedUnion('type', [
  hello,
  signal,
  peerState,
  z.strictObject({
    type: z.literal('consent'),
    questionId: ConsentQuestionIdSchema,
    granted: z.boolean(),
    permissions: RemotePermissionsSchema.optional(),
    reason: ConsentReasonSchema.default('user'),
  }),
  z.strictObject({ type: z.literal('stop') }),
]);
export type AssistSignalMessage = z.infer<typeof AssistSignalMessageSchema>;

/** Frames the broker sends to either peer. */
export const BrokerSignalMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('welcome'),
    v: z.literal(PROTOCOL_VERSION),
    role: PeerRoleSchema,
    requestId: z.string(),
    status: SessionStatusSchema,
    peerPresent: z.boolean(),
    /** To an agent, when the host is present: its kind. */
    peerHost: HostKindSchema.optional(),
    iceServers: z.array(IceServerSchema),
  }),
  z.strictObject({
    type: z.literal('peer'),
    role: PeerRoleSchema,
    present: z.boolean(),
    /** When the host arrives: its kind. */
    host: HostKindSchema.optional(),
  }),
  z.strictObject({
    type: z.literal('consent_request'),
    questionId: ConsentQuestionIdSchema,
    /** The asking agent's user id: what the host binds its consent and its grace to. */
    agentId: z.string().min(1).max(64),
    agentName: z.string(),
    orgName: z.string(),
    comment: z.string().nullable(),
    permissions: RemotePermissionsSchema,
    timeoutSec: z.number().int().positive(),
  }),
  /** The question is void (its agent left, or it timed out): the host takes it off the screen. */
  z.strictObject({ type: z.literal('consent_withdrawn'), questionId: ConsentQuestionIdSchema }),
  z.strictObject({
    type: z.literal('consent_result'),
    granted: z.boolean(),
    permissions: RemotePermissionsSchema.nullable(),
    reason: ConsentReasonSchema,
  }),
  z.strictObject({ type: z.literal('signal'), data: SignalDataSchema }),
  z.strictObject({ type: z.literal('status'), status: SessionStatusSchema }),
  z.strictObject({ type: z.literal('session_ended'), reason: z.string().max(200) }),
  z.strictObject({ type: z.literal('error'), code: ErrorCodeSchema, message: z.string().max(1000) }),
]);
export type BrokerSignalMessage = z.infer<typeof BrokerSignalMessageSchema>;

/** WebSocket close codes the broker uses (4000-4999 is the application range). */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  POLICY: 1008,
  TOO_BIG: 1009,
  UNAUTHENTICATED: 4401,
  /**
   * The credential the socket was opened with ended while it was open (signed
   * out, API token revoked, user disabled): final, a reconnect with it would
   * be refused.
   */
  CREDENTIAL_REVOKED: 4498,
  FORBIDDEN: 4403,
  NOT_FOUND: 4404,
  PROTOCOL_MISMATCH: 4406,
  ROOM_FULL: 4409,
  REQUEST_ENDED: 4410,
  RATE_LIMITED: 4429,
  BAD_MESSAGE: 4400,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
