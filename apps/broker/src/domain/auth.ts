import { AccountPermission, ErrorCode, generateToken, Role, type User } from '@beckon/protocol';
import type { Storage, UserRecord } from '../storage/types.ts';
import { ApiError, forbidden, unauthenticated } from './api-error.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import { WindowCounter } from './rate-limit.ts';
import { hashToken } from './secrets.ts';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Failed logins per address per window before the address is refused. */
const IP_FAILURES = 20;
const IP_WINDOW_MS = 10 * 60 * 1000;
/** Consecutive failures per account before a lockout, which doubles each further failure. */
const ACCOUNT_FAILURES = 5;
const LOCK_BASE_MS = 60 * 1000;
const LOCK_MAX_MS = 60 * 60 * 1000;
/** How long a resolved token is trusted without a lookup. */
const AUTH_CACHE_MS = 2000;

export interface AuthContext {
  user: User;
  tokenHash: string;
}

export function permissionsFor(role: Role, explicit?: AccountPermission[]): AccountPermission[] {
  if (explicit) return explicit;
  return role === Role.ADMIN || role === Role.SUPPORT_AGENT
    ? [AccountPermission.REQUESTS_VIEW, AccountPermission.REQUESTS_EDIT]
    : [];
}

function publicUser(u: UserRecord): User {
  const { passwordHash: _p, failedLogins: _f, lockedUntil: _l, ...user } = u;
  return user;
}

const lockMs = (failures: number) =>
  Math.min(LOCK_MAX_MS, LOCK_BASE_MS * 2 ** Math.max(0, failures - ACCOUNT_FAILURES));

export class AuthService {
  private readonly ipFailures = new WindowCounter(IP_WINDOW_MS);
  // Unknown addresses lock out exactly like real accounts, so a lockout reveals nothing.
  private readonly unknownFailures = new Map<string, { count: number; lockedUntil: number }>();
  // Signed-in users are looked up on every request; a short cache spares two
  // queries each time. Logout evicts at once, so revocation is never late.
  private readonly cache = new Map<string, { ctx: AuthContext; until: number }>();
  private readonly storage: Storage;
  private readonly now: () => Date;
  constructor(storage: Storage, now: () => Date = () => new Date()) {
    this.storage = storage;
    this.now = now;
  }

  async login(email: string, password: string, ip: string) {
    const now = this.now().getTime();
    if (this.ipFailures.count(ip, now) >= IP_FAILURES) {
      const retry = Math.ceil(this.ipFailures.retryAfterMs(ip, now) / 1000);
      throw new ApiError(
        429,
        ErrorCode.RATE_LIMITED,
        'too many failed sign-ins from this address',
        { retryAfter: retry },
        {
          'retry-after': String(retry),
        },
      );
    }
    const key = email.toLowerCase();
    const user = await this.storage.users.byEmail(key);
    const lockedUntil = user?.lockedUntil
      ? Date.parse(user.lockedUntil)
      : (this.unknownFailures.get(key)?.lockedUntil ?? 0);
    if (lockedUntil > now) {
      const retry = Math.ceil((lockedUntil - now) / 1000);
      throw new ApiError(
        429,
        ErrorCode.ACCOUNT_LOCKED,
        'too many failed sign-ins; try again later',
        { retryAfter: retry },
        {
          'retry-after': String(retry),
        },
      );
    }
    const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !valid || user.disabled) {
      this.ipFailures.add(ip, now);
      await this.recordFailure(key, user, now);
      throw new ApiError(401, ErrorCode.INVALID_CREDENTIALS, 'wrong email or password');
    }
    if (user.failedLogins > 0) await this.storage.users.resetFailures(user.id);
    const token = generateToken();
    const expiresAt = new Date(now + SESSION_TTL_MS).toISOString();
    await this.storage.authSessions.create({
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: new Date(now).toISOString(),
      expiresAt,
    });
    return { token, expiresAt, user: publicUser(user) };
  }

  private async recordFailure(key: string, user: UserRecord | null, now: number): Promise<void> {
    if (user) {
      const failures = user.failedLogins + 1;
      const until = failures >= ACCOUNT_FAILURES ? new Date(now + lockMs(failures)).toISOString() : null;
      await this.storage.users.recordFailure(user.id, until);
      return;
    }
    const entry = this.unknownFailures.get(key) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= ACCOUNT_FAILURES) entry.lockedUntil = now + lockMs(entry.count);
    if (this.unknownFailures.size > 100_000) this.unknownFailures.clear();
    this.unknownFailures.set(key, entry);
  }

  /** The signed-in user behind a bearer token or console cookie, or null. */
  async authenticate(token: string | undefined): Promise<AuthContext | null> {
    if (!token || token.length > 128) return null;
    const tokenHash = hashToken(token);
    const now = this.now().getTime();
    const cached = this.cache.get(tokenHash);
    if (cached && cached.until > now) return cached.ctx;
    const session = await this.storage.authSessions.byTokenHash(tokenHash);
    if (!session || Date.parse(session.expiresAt) <= now) return null;
    const user = await this.storage.users.byId(session.userId);
    if (!user || user.disabled) return null;
    const ctx = { user: publicUser(user), tokenHash };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(tokenHash, { ctx, until: Math.min(now + AUTH_CACHE_MS, Date.parse(session.expiresAt)) });
    return ctx;
  }

  async logout(ctx: AuthContext): Promise<void> {
    this.cache.delete(ctx.tokenHash);
    await this.storage.authSessions.revoke(ctx.tokenHash);
  }

  /** After a change to users (role, permissions, disabled), nothing cached may outlive it. */
  forgetAll(): void {
    this.cache.clear();
  }
}

export function requireUser(ctx: AuthContext | null): AuthContext {
  if (!ctx) throw unauthenticated();
  return ctx;
}

export function requirePermission(ctx: AuthContext | null, permission: AccountPermission): AuthContext {
  const c = requireUser(ctx);
  if (!c.user.permissions.includes(permission)) throw forbidden(`missing permission ${permission}`);
  return c;
}

export function requireAdmin(ctx: AuthContext | null): AuthContext {
  const c = requireUser(ctx);
  if (c.user.role !== Role.ADMIN) throw forbidden('administrators only');
  return c;
}
