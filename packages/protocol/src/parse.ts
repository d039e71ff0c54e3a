import type { z } from 'zod';
import { ErrorCode, type FieldIssue } from './errors.ts';

export interface ParseError {
  code:
    typeof ErrorCode.VALIDATION_FAILED | typeof ErrorCode.PAYLOAD_TOO_LARGE | typeof ErrorCode.BAD_REQUEST;
  message: string;
  issues: FieldIssue[];
}
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseError };

const MAX_REPORTED_ISSUES = 20;

/**
 * The one way outside input enters the system: parse `unknown` against a
 * schema and get a value or a clear error, never an exception.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.infer<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message.slice(0, 500),
  }));
  const first = issues[0];
  return {
    ok: false,
    error: {
      code: ErrorCode.VALIDATION_FAILED,
      message: first ? `${first.path}: ${first.message}` : 'invalid input',
      issues,
    },
  };
}

/**
 * Parses a JSON text frame (WebSocket or data channel) with a byte limit
 * checked before JSON.parse, so an oversized frame costs no parsing.
 */
export function parseJsonFrame<S extends z.ZodType>(
  schema: S,
  raw: string,
  maxBytes: number,
): ParseResult<z.infer<S>> {
  // UTF-16 length bounds UTF-8 length from below by 1/3: a cheap pre-check.
  if (raw.length > maxBytes || utf8Length(raw) > maxBytes) {
    return {
      ok: false,
      error: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: `frame exceeds ${maxBytes} bytes`, issues: [] },
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return {
      ok: false,
      error: { code: ErrorCode.BAD_REQUEST, message: 'frame is not valid JSON', issues: [] },
    };
  }
  return parseWith(schema, json);
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
