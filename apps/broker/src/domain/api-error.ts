import { ErrorCode, errorBody, parseWith, type ErrorBody } from '@beckon/protocol';
import type { z } from 'zod';

/** An error with its HTTP status and wire code; services throw it, the HTTP layer renders it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    details?: unknown,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
  body(): ErrorBody {
    return errorBody(this.code, this.message, this.details);
  }
}

export const notFound = (what = 'not found') => new ApiError(404, ErrorCode.NOT_FOUND, what);
export const forbidden = (why = 'not allowed') => new ApiError(403, ErrorCode.FORBIDDEN, why);
export const unauthenticated = (why = 'sign in first') => new ApiError(401, ErrorCode.UNAUTHENTICATED, why);

/** Parses outside input or throws a 400 naming the fields. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = parseWith(schema, input);
  if (!result.ok)
    throw new ApiError(400, result.error.code, result.error.message, { issues: result.error.issues });
  return result.value;
}

/** A 400 for one field that passed the schema but not a rule that needs the database or the clock. */
export function fieldError(path: string, message: string): ApiError {
  return new ApiError(400, ErrorCode.VALIDATION_FAILED, `${path}: ${message}`, {
    issues: [{ path, message }],
  });
}
