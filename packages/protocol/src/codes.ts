import { z } from 'zod';
import { randomDigits } from './random.ts';

/**
 * Session codes (SC3): `s` + 8 digits, stored canonical (`s12345678`) and shown
 * grouped (`s12-345-678`). 10^8 values: guessing is stopped by the broker's
 * throttling, not by the code's length.
 */
export const SESSION_CODE_DIGITS = 8;
export const CANONICAL_CODE_PATTERN = /^s\d{8}$/;

export const SessionCodeSchema = z
  .string()
  .regex(CANONICAL_CODE_PATTERN, 'expected a session code like s12345678');
export type SessionCode = z.infer<typeof SessionCodeSchema>;

/** A new canonical code; every digit is drawn independently and uniformly. */
export function generateSessionCode(): SessionCode {
  return `s${randomDigits(SESSION_CODE_DIGITS)}`;
}

/** `s12345678` → `s12-345-678`. */
export function formatSessionCode(code: SessionCode): string {
  return `s${code.slice(1, 3)}-${code.slice(3, 6)}-${code.slice(6, 9)}`;
}

// What people type: an optional s/S, then the 8 digits with optional single
// spaces or dashes between the groups as displayed, or between any digits.
const TYPED_CODE = /^\s*[sS]?\s*(\d(?:[ -]?\d){7})\s*$/;

/**
 * Parses a code as people type it (`S12 345 678`, `12345678`, `s12-345-678`)
 * into its canonical form, or null for anything else.
 */
export function parseSessionCode(input: string): SessionCode | null {
  if (input.length > 32) return null;
  const match = TYPED_CODE.exec(input);
  if (!match?.[1]) return null;
  return `s${match[1].replace(/[ -]/g, '')}`;
}

/** A schema that accepts any typed form and yields the canonical code. */
export const TypedSessionCodeSchema = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    const code = parseSessionCode(value);
    if (code === null) {
      ctx.addIssue({ code: 'custom', message: 'expected a session code like s12-345-678' });
      return z.NEVER;
    }
    return code;
  });

// A code inside a downloaded file's name, e.g. `BeckonAssist-s12345678 (1).exe`:
// not glued to other letters or digits on either side.
const CODE_IN_NAME = /(?<![A-Za-z0-9])[sS](\d{8})(?!\d)/g;

/**
 * The session code carried by an executable's file name (the landing page
 * names downloads `BeckonAssist-s12345678.exe`). Only the last path segment
 * counts; no code, or two different codes, yield null.
 */
export function sessionCodeFromFileName(path: string): SessionCode | null {
  const name = path.split(/[\\/]/).pop() ?? '';
  if (name.length > 255) return null;
  const codes = new Set(Array.from(name.matchAll(CODE_IN_NAME), (m) => `s${m[1]}`));
  if (codes.size !== 1) return null;
  return [...codes][0] ?? null;
}
