/**
 * The wire protocol's version. Bump it on any incompatible change to a schema in
 * this package; peers exchange it in their first message and refuse a mismatch
 * with ErrorCode.PROTOCOL_MISMATCH instead of failing later on a parse error.
 */
// 2: consent questions carry an id and the agent's user id; answers name their question.
export const PROTOCOL_VERSION = 2;
