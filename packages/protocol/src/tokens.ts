import { z } from 'zod';
import { base64url, randomBytes } from './random.ts';

/**
 * Link tokens and bearer secrets: 256 random bits, base64url (43 chars). Only a
 * hash is ever stored (the broker hashes with SHA-256), so a database leak
 * yields no usable link.
 */
export const TOKEN_BYTES = 32;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const LinkTokenSchema = z
  .string()
  .max(43)
  .regex(TOKEN_PATTERN, 'expected a 43-character base64url token');
export type LinkToken = z.infer<typeof LinkTokenSchema>;

export function generateToken(): string {
  return base64url(randomBytes(TOKEN_BYTES));
}
