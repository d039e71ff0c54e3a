/**
 * The wire protocol's version. Bump it on any incompatible change to a schema in
 * this package; peers exchange it in their first message and refuse a mismatch
 * with ErrorCode.PROTOCOL_MISMATCH instead of failing later on a parse error.
 */
// 2: consent questions carry an id and the agent's user id; answers name their question.
// 3: the host says its kind in hello (`host: 'browser'` from the landing page's screen
//    sharing, view only); the broker passes it to the agent in welcome.peerHost and peer.host.
export const PROTOCOL_VERSION = 3;
