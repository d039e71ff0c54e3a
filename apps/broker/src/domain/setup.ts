import { EmailSchema, ErrorCode, parseWith, PasswordSchema, Role } from '@beckon/protocol';
import { randomUUID } from 'node:crypto';
import type { Storage } from '../storage/types.ts';
import { ApiError } from './api-error.ts';
import { permissionsFor } from './auth.ts';
import { hashPassword } from './passwords.ts';

/**
 * First-run setup: the organisation and its first administrator, exactly once.
 * Reachable only from the CLI and start-up environment, never over HTTP.
 */
export async function setupOnce(
  storage: Storage,
  input: { orgName: string; email: string; password: string; now?: Date },
): Promise<{ created: boolean; orgId?: string }> {
  if (await storage.orgs.isSetUp()) return { created: false };
  const email = parseWith(EmailSchema, input.email);
  if (!email.ok) throw new ApiError(400, ErrorCode.VALIDATION_FAILED, `admin email: ${email.error.message}`);
  const password = parseWith(PasswordSchema, input.password);
  if (!password.ok)
    throw new ApiError(400, ErrorCode.VALIDATION_FAILED, `admin password: ${password.error.message}`);
  const now = (input.now ?? new Date()).toISOString();
  const orgId = randomUUID();
  const created = await storage.orgs.setupOnce(
    { id: orgId, name: input.orgName, createdAt: now },
    {
      id: randomUUID(),
      orgId,
      email: email.value.toLowerCase(),
      name: email.value.split('@')[0] ?? 'admin',
      role: Role.ADMIN,
      permissions: permissionsFor(Role.ADMIN),
      passwordHash: await hashPassword(password.value),
      failedLogins: 0,
      lockedUntil: null,
      disabled: false,
      createdAt: now,
    },
  );
  return created ? { created: true, orgId } : { created: false };
}
