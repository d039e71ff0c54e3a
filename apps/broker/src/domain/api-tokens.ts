import {
  AccountPermission,
  AuditAction,
  API_TOKEN_PREFIX,
  ApiScope,
  ApiTokenCreateSchema,
  ApiTokenRevokeQuerySchema,
  ErrorCode,
  generateToken,
  Role,
  type Actor,
  type ApiToken,
  type ApiTokenCreated,
} from '@beckon/protocol';
import { randomUUID } from 'node:crypto';
import type { ApiTokenRecord } from '../storage/helpdesk-types.ts';
import type { Storage } from '../storage/types.ts';
import { ApiError, forbidden, notFound, parseOrThrow, unauthenticated } from './api-error.ts';
import { requireAdmin, type AuthContext } from './auth.ts';
import type { CredentialEvents } from './credential-events.ts';
import { hashToken } from './secrets.ts';
import { userDraft } from './audit-rules.ts';

/** A helpdesk integration calling with its token. */
export interface ApiTokenContext {
  id: string;
  orgId: string;
  name: string;
  scopes: ApiScope[];
}

/** Who is calling a route that both agents and integrations may use. */
export type Principal =
  | { kind: 'user'; orgId: string; actor: Actor; auth: AuthContext }
  | { kind: 'token'; orgId: string; actor: Actor; token: ApiTokenContext };

/** What a signed-in user needs for what a token's scope allows. */
const USER_EQUIVALENT: Record<ApiScope, AccountPermission | 'admin'> = {
  [ApiScope.CASES_READ]: AccountPermission.REQUESTS_VIEW,
  [ApiScope.CASES_WRITE]: AccountPermission.REQUESTS_EDIT,
  [ApiScope.REPORTS_READ]: 'admin',
  [ApiScope.AUDIT_READ]: 'admin',
};

/** A token needs the scope; a signed-in user the matching permission. */
export function authorize(
  auth: AuthContext | null,
  token: ApiTokenContext | null,
  scope: ApiScope,
): Principal {
  if (token) {
    if (!token.scopes.includes(scope)) throw forbidden(`this API token lacks the scope ${scope}`);
    return {
      kind: 'token',
      orgId: token.orgId,
      token,
      actor: { type: 'api_token', id: token.id, name: token.name },
    };
  }
  if (!auth) throw unauthenticated();
  const needed = USER_EQUIVALENT[scope];
  const ok = needed === 'admin' ? auth.user.role === Role.ADMIN : auth.user.permissions.includes(needed);
  if (!ok) throw forbidden(needed === 'admin' ? 'administrators only' : `missing permission ${needed}`);
  return {
    kind: 'user',
    orgId: auth.user.orgId,
    auth,
    actor: { type: 'user', id: auth.user.id, name: auth.user.name },
  };
}

export function isApiTokenSecret(token: string): boolean {
  return token.startsWith(API_TOKEN_PREFIX);
}

/** last_used_at is written at most this often per token: a write per call would cost a disk flush each. */
const TOUCH_EVERY_MS = 60_000;

export type CloseCases = (orgId: string, ids: string[], actor: Actor) => Promise<void>;

/** API tokens (SC1, SC12): created and revoked by admins only, used by helpdesks. */
export class ApiTokenService {
  private readonly storage: Storage;
  private readonly now: () => Date;
  private readonly touched = new Map<string, number>();
  /** Closes a revoked token's open cases (the case service does it). */
  private readonly closeCases: CloseCases;
  /** Told of each revocation, so sockets opened with the token close too. */
  private readonly credentials: CredentialEvents | null;
  constructor(
    storage: Storage,
    now: () => Date = () => new Date(),
    wiring: { closeCases?: CloseCases; credentials?: CredentialEvents } = {},
  ) {
    this.storage = storage;
    this.now = now;
    this.closeCases = wiring.closeCases ?? (async () => {});
    this.credentials = wiring.credentials ?? null;
  }

  async create(ctx: AuthContext | null, input: unknown): Promise<ApiTokenCreated> {
    const auth = requireAdmin(ctx);
    const body = parseOrThrow(ApiTokenCreateSchema, input);
    const secret = `${API_TOKEN_PREFIX}${generateToken()}`;
    const record: ApiTokenRecord = {
      id: randomUUID(),
      orgId: auth.user.orgId,
      name: body.name,
      tokenHash: hashToken(secret),
      prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
      scopes: body.scopes,
      createdAt: this.now().toISOString(),
      createdBy: { type: 'user', id: auth.user.id, name: auth.user.name },
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.storage.apiTokens.create(record, [
      userDraft(
        auth,
        AuditAction.API_TOKEN_CREATED,
        { type: 'api_token', id: record.id },
        {
          name: record.name,
          scopes: record.scopes,
        },
        this.now(),
      ),
    ]);
    return { ...shown({ ...record, activeCases: 0 }), secret };
  }

  async list(ctx: AuthContext | null): Promise<{ items: ApiToken[] }> {
    const auth = requireAdmin(ctx);
    const items = await this.storage.apiTokens.list(auth.user.orgId, this.now().toISOString());
    return { items: items.map(shown) };
  }

  /**
   * Revokes at once. A token whose cases are still open is refused (409, the
   * cases named) unless `closeCases=true`: then it is revoked first, so it
   * cannot open another, and its open cases are closed.
   */
  async revoke(ctx: AuthContext | null, id: unknown, query: unknown): Promise<ApiToken> {
    const auth = requireAdmin(ctx);
    const { closeCases } = parseOrThrow(ApiTokenRevokeQuerySchema, query ?? {});
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw notFound('no such API token');
    const at = this.now().toISOString();
    const result = await this.storage.apiTokens.revoke(auth.user.orgId, id, at, closeCases, [
      userDraft(auth, AuditAction.API_TOKEN_REVOKED, { type: 'api_token', id }, { closeCases }, this.now()),
    ]);
    if (!result) throw notFound('no such API token');
    if (!result.revoked) {
      throw new ApiError(
        409,
        ErrorCode.CONFLICT,
        `${result.openCaseIds.length} case(s) created with this token are still open; close them first or revoke with closeCases=true`,
        { openCaseIds: result.openCaseIds },
      );
    }
    this.touched.delete(id);
    this.credentials?.emit({ type: 'api_token_revoked', tokenId: id });
    if (result.openCaseIds.length > 0)
      await this.closeCases(auth.user.orgId, result.openCaseIds, {
        type: 'user',
        id: auth.user.id,
        name: auth.user.name,
      });
    const after = await this.storage.apiTokens.get(auth.user.orgId, id, this.now().toISOString());
    if (!after) throw notFound('no such API token');
    return shown(after);
  }

  /** The integration behind a bearer API token; a revoked or unknown one is a 401 that says which. */
  async authenticate(secret: string, ip: string | null = null): Promise<ApiTokenContext> {
    // No cache: a revoked token must fail on its very next call.
    const record = secret.length <= 128 ? await this.storage.apiTokens.byHash(hashToken(secret)) : null;
    if (!record) throw new ApiError(401, ErrorCode.INVALID_TOKEN, 'unknown API token');
    if (record.revokedAt) throw new ApiError(401, ErrorCode.TOKEN_REVOKED, 'this API token has been revoked');
    const t = this.now().getTime();
    const last = this.touched.get(record.id) ?? 0;
    const at = new Date(t).toISOString();
    // A new UTC day touches at once, so the day's first use is recorded (the store hands its last use to `firstOfDay`).
    if (last + TOUCH_EVERY_MS <= t || new Date(last).toISOString().slice(0, 10) !== at.slice(0, 10)) {
      this.touched.set(record.id, t);
      // The day's first use is an audit entry; days are UTC, the first 10 characters of an ISO time.
      const firstOfDay = (lastUsedAt: string | null) => lastUsedAt?.slice(0, 10) !== at.slice(0, 10);
      await this.storage.apiTokens.touch(record.id, at, (lastUsedAt) =>
        firstOfDay(lastUsedAt)
          ? [
              {
                orgId: record.orgId,
                actor: { type: 'api_token', id: record.id, name: record.name },
                action: AuditAction.API_TOKEN_USED,
                target: { type: 'api_token', id: record.id },
                details: { day: at.slice(0, 10) },
                ip,
                at,
              },
            ]
          : [],
      );
    }
    return { id: record.id, orgId: record.orgId, name: record.name, scopes: record.scopes };
  }
}

function shown(r: ApiTokenRecord & { activeCases: number }): ApiToken {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    lastUsedAt: r.lastUsedAt,
    revokedAt: r.revokedAt,
    activeCases: r.activeCases,
  };
}
