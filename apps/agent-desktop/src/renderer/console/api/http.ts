import { ErrorBodySchema, FieldIssueSchema, type ErrorCode, type FieldIssue } from '@beckon/protocol';
import { z } from 'zod';

/** Why a call failed: a wire error code, or one of the two ways the wire itself failed. */
export type FailureCode = ErrorCode | 'network' | 'bad_response';

export interface ApiFailure {
  readonly status: number;
  readonly code: FailureCode;
  readonly message: string;
  /** Field problems (`details.issues` of a 400), to show next to their fields. */
  readonly issues: readonly FieldIssue[];
  /** Seconds, from `details.retryAfter` of a 429. */
  readonly retryAfter: number | null;
}

/** Thrown by every API call; `failure` is plain data the UI renders. */
export class ApiError extends Error {
  readonly failure: ApiFailure;
  constructor(failure: ApiFailure) {
    super(`${failure.code}: ${failure.message}`);
    this.failure = failure;
  }
}

export function failureOf(error: unknown): ApiFailure {
  if (error instanceof ApiError) return error.failure;
  return {
    status: 0,
    code: 'bad_response',
    message: error instanceof Error ? error.message : String(error),
    issues: [],
    retryAfter: null,
  };
}

// `details` is free-form on the wire; these are the two shapes the broker puts there.
const DetailsSchema = z.object({
  issues: z.array(FieldIssueSchema).max(100).optional().catch(undefined),
  retryAfter: z.number().nonnegative().optional().catch(undefined),
});

export interface HttpOptions {
  /** '' for the web console (same origin as the page), the broker URL in the desktop app. */
  baseUrl(): string;
  /** A bearer token (desktop app); null to rely on the console's session cookie. */
  token(): string | null;
  fetch: typeof fetch;
  /** Told of every 401 but a sign-in's: the session ended (expired, signed out elsewhere). */
  onUnauthenticated?: () => void;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
}

export interface HttpClient {
  /** Parses a successful answer with `schema`; a 204 yields undefined. */
  call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options?: CallOptions,
  ): Promise<z.infer<S>>;
  /** For answers without a body (204). */
  send(method: string, path: string, options?: CallOptions): Promise<void>;
  /** A text answer as it is (a CSV download). */
  text(method: string, path: string, options?: CallOptions): Promise<string>;
}

export function buildQuery(query: CallOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

const fail = (status: number, code: FailureCode, message: string, extra: Partial<ApiFailure> = {}) =>
  new ApiError({ status, code, message, issues: [], retryAfter: null, ...extra });

export function createHttpClient(options: HttpOptions): HttpClient {
  async function exchange(method: string, path: string, call: CallOptions): Promise<Response> {
    const token = options.token();
    const headers: Record<string, string> = { accept: 'application/json' };
    // Without a body no content-type: the broker refuses an empty JSON body.
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers['authorization'] = `Bearer ${token}`;
    let response: Response;
    try {
      response = await options.fetch(`${options.baseUrl()}${path}${buildQuery(call.query)}`, {
        method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        // The console's cookie is same-origin; a bearer token needs no cookie at all.
        credentials: token ? 'omit' : 'same-origin',
        cache: 'no-store',
      });
    } catch (error) {
      throw fail(0, 'network', error instanceof Error ? error.message : 'network error');
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (response.status === 401 && error.failure.code === 'unauthenticated') options.onUnauthenticated?.();
      throw error;
    }
    return response;
  }

  return {
    async call(method, path, schema, call = {}) {
      const response = await exchange(method, path, call);
      let json: unknown;
      try {
        json = response.status === 204 ? undefined : await response.json();
      } catch {
        throw fail(response.status, 'bad_response', 'the answer is not JSON');
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        throw fail(
          response.status,
          'bad_response',
          `${first?.path.join('.') ?? ''}: ${first?.message ?? ''}`,
        );
      }
      return parsed.data;
    },
    async send(method, path, call = {}) {
      await exchange(method, path, call);
    },
    async text(method, path, call = {}) {
      return (await exchange(method, path, call)).text();
    },
  };
}

async function errorOf(response: Response): Promise<ApiError> {
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = null;
  }
  const parsed = ErrorBodySchema.safeParse(json);
  if (!parsed.success) return fail(response.status, 'bad_response', `HTTP ${response.status}`);
  const { code, message, details } = parsed.data.error;
  const extra = DetailsSchema.safeParse(details ?? {});
  const header = Number(response.headers.get('retry-after'));
  return fail(response.status, code, message, {
    issues: extra.success ? (extra.data.issues ?? []) : [],
    retryAfter: (extra.success ? extra.data.retryAfter : undefined) ?? (header > 0 ? header : null),
  });
}
