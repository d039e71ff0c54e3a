import { AccountPermission, AuditAction, ErrorCode, generateToken, Role, type User } from '@beckon/protocol';
import type { AuditDraft } from '../storage/audit-types.ts';
import { userDraft } from './audit-rules.ts';
import type { Storage, UserRecord } from '../storage/types.ts';
import { ApiError, forbidden, notFound, unauthenticated } from './api-error.ts';
import { LoginThrottle, type ThrottleLog } from './auth-throttle.ts';
import { CredentialEvents } from './credential-events.ts';
import { dummyHash, verifyPassword } from './passwords.ts';
import { hashToken } from './secrets.ts';
import type { AuthContext } from './auth-context.ts';

export const LOGIN_TTL_MS = 12 * 60 * 60 * 1000;
/** How long a resolved token is trusted without a lookup. */
const AUTH_CACHE_MS = 2000;

// Who is calling lives in auth-context.ts, so the audit rules can name it without importing this file.
export type { AuthContext } from './auth-context.ts';

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

export class AuthService {
  private readonly throttle: LoginThrottle;
  // Signed-in users are looked up on every request; a short cache spares two
  // queries each time. Logout evicts at once, so revocation is never late.
  private readonly cache = new Map<string, { ctx: AuthContext; until: number }>();
  private readonly storage: Storage;
  private readonly now: () => Date;
  /** Fired when a credential ends or a user's rights change; the hubs close the sockets it opened. */
  readonly credentials: CredentialEvents;
  constructor(
    storage: Storage,
    now: () => Date = () => new Date(),
    opts: { ipv6Prefix?: number; log?: ThrottleLog; credentials?: CredentialEvents } = {},
  ) {
    this.storage = storage;
    this.now = now;
    this.throttle = new LoginThrottle(storage, opts);
    this.credentials = opts.credentials ?? new CredentialEvents();
    // A changed user must not stay authenticated from the cache with what they no longer hold.
    this.credentials.onCredentialClosed((e) => {
      if (e.type === 'user_closed' || e.type === 'user_permissions') this.forgetAll();
    });
  }

  async login(email: string, password: string, ip: string) {
    const now = this.now().getTime();
    const key = email.toLowerCase();
    // A failure writes nothing else, so its entry is appended on its own.
    const failed = async (reason: string, user: UserRecord | null) => {
      const draft: AuditDraft = {
        orgId: user?.orgId ?? null,
        actor: user
          ? { type: 'user', id: user.id, name: user.name }
          : { type: 'anonymous', id: null, name: null },
        action: AuditAction.SIGN_IN_FAILED,
        target: user ? { type: 'user', id: user.id } : null,
        // What was typed for no account may be anyone's (another organisation's) address: not kept.
        details: user ? { email: key.slice(0, 254), reason } : { reason },
        ip,
        at: new Date(now).toISOString(),
      };
      await this.storage.audit.append([draft]);
    };
    // Charged before the password is checked, so parallel guesses cannot all slip in.
    let attempt;
    try {
      attempt = await this.throttle.begin(key, ip, now);
    } catch (error) {
      if (error instanceof ApiError) await failed('throttled', await this.storage.users.byEmail(key));
      throw error;
    }
    const user = await this.storage.users.byEmail(key);
    const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !valid || user.disabled) {
      await attempt.failed(user);
      await failed(!user ? 'unknown_email' : user.disabled ? 'disabled' : 'wrong_password', user);
      throw new ApiError(401, ErrorCode.INVALID_CREDENTIALS, 'wrong email or password');
    }
    await attempt.succeeded();
    const token = generateToken();
    const expiresAt = new Date(now + LOGIN_TTL_MS).toISOString();
    await this.storage.authSessions.create(
      {
        tokenHash: hashToken(token),
        userId: user.id,
        createdAt: new Date(now).toISOString(),
        expiresAt,
      },
      [
        {
          orgId: user.orgId,
          actor: { type: 'user', id: user.id, name: user.name },
          action: AuditAction.SIGN_IN,
          target: { type: 'user', id: user.id },
          details: {},
          ip,
          at: new Date(now).toISOString(),
        },
      ],
    );
    return { token, expiresAt, user: publicUser(user) };
  }

  /** An administrator lifts every slowdown on a user's sign-ins (from every address). */
  async unlock(ctx: AuthContext | null, userId: string): Promise<void> {
    const auth = requireAdmin(ctx);
    const user = await this.storage.users.byId(userId);
    if (!user || user.orgId !== auth.user.orgId) throw notFound('no such user');
    await this.throttle.unlock(user.email);
    await this.storage.audit.append([
      userDraft(auth, AuditAction.USER_UNLOCKED, { type: 'user', id: user.id }, {}, this.now()),
    ]);
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
    await this.storage.authSessions.revoke(ctx.tokenHash, [
      userDraft(ctx, AuditAction.SIGN_OUT, { type: 'user', id: ctx.user.id }, {}, this.now()),
    ]);
    this.credentials.emit({ type: 'login_closed', tokenHash: ctx.tokenHash });
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

/** An administrator, or a user holding `permission`. */
export function requireAdminOr(ctx: AuthContext | null, permission: AccountPermission): AuthContext {
  const c = requireUser(ctx);
  if (c.user.role !== Role.ADMIN && !c.user.permissions.includes(permission))
    throw forbidden(`missing permission ${permission}`);
  return c;
}
