import {
  ErrorBodySchema,
  ErrorCode,
  JoinResponseSchema,
  parseWith,
  type JoinResponse,
  type SessionCode,
} from '@beckon/protocol';

/** What the customer has: a link token or a session code. */
export type JoinTarget =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'code'; readonly code: SessionCode | string };

export class JoinError extends Error {
  override readonly name = 'JoinError';
  readonly code: string;
  readonly status: number;
  readonly retryAfterSec: number | null;
  constructor(code: string, status: number, message: string, retryAfterSec: number | null) {
    super(message);
    this.code = code;
    this.status = status;
    this.retryAfterSec = retryAfterSec;
  }

  /** A wrong code, a dead link, a closed request: asking again will not help. */
  get final(): boolean {
    return this.status === 404 || this.status === 410 || this.status === 400;
  }
}

/**
 * `POST /api/v1/join`: the request's public summary and a single-use ticket
 * for the signaling socket. Every answer is parsed with the protocol schema;
 * anything else is an error, never trusted.
 */
export async function joinRequest(
  brokerUrl: string,
  target: JoinTarget,
  fetchImpl: typeof fetch = fetch,
): Promise<JoinResponse> {
  const body = target.kind === 'token' ? { token: target.token } : { code: target.code };
  let res: Response;
  try {
    res = await fetchImpl(new URL('/api/v1/join', brokerUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new JoinError('unreachable', 0, `cannot reach ${brokerUrl}: ${(err as Error).message}`, null);
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const parsed = parseWith(JoinResponseSchema, json);
    if (parsed.ok) return parsed.value;
    throw new JoinError(ErrorCode.BAD_REQUEST, res.status, 'the broker answered something unexpected', null);
  }
  const error = parseWith(ErrorBodySchema, json);
  const retry = Number(res.headers.get('retry-after'));
  throw new JoinError(
    error.ok ? error.value.error.code : ErrorCode.INTERNAL,
    res.status,
    error.ok ? error.value.error.message : `the broker answered ${res.status}`,
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
}
