import {
  AuditAction,
  WebhookCreateSchema,
  WebhookDeliveryListQuerySchema,
  WebhookPatchSchema,
  type Webhook,
  type WebhookCreated,
  type WebhookDelivery,
} from '@beckon/protocol';
import { randomUUID, type KeyObject } from 'node:crypto';
import type { LastDelivery, WebhookRecord } from '../storage/helpdesk-types.ts';
import type { Storage } from '../storage/types.ts';
import { standardWebhooksSecret, webhookSecret } from '../webhooks/signature.ts';
import {
  resolveWebhookTarget,
  UnsafeUrlError,
  type Allowlist,
  type Resolver,
} from '../webhooks/url-guard.ts';
import { fieldError, notFound, parseOrThrow } from './api-error.ts';
import { requireAdmin, type AuthContext } from './auth.ts';
import { newSalt } from './secrets.ts';
import { userDraft } from './audit-rules.ts';

export interface WebhookServiceDeps {
  storage: Storage;
  secret: KeyObject;
  allowlist: Allowlist;
  resolve?: Resolver;
  now?: () => Date;
  /** A delivery was queued again by hand: send it now. */
  onRequeue?: () => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Webhook endpoints (SC7): admins only, never a token. */
export class WebhookService {
  private readonly deps: WebhookServiceDeps;
  private readonly now: () => Date;
  constructor(deps: WebhookServiceDeps) {
    this.deps = deps;
    this.now = deps.now ?? (() => new Date());
  }

  async list(ctx: AuthContext | null): Promise<{ items: Webhook[] }> {
    const auth = requireAdmin(ctx);
    return { items: (await this.deps.storage.webhooks.list(auth.user.orgId)).map(shown) };
  }

  async get(ctx: AuthContext | null, id: unknown): Promise<Webhook> {
    const auth = requireAdmin(ctx);
    return shown(await this.load(auth, id));
  }

  /** The URL is checked now (and again before every delivery): https, and no local address after DNS. */
  async create(ctx: AuthContext | null, input: unknown): Promise<WebhookCreated> {
    const auth = requireAdmin(ctx);
    const body = parseOrThrow(WebhookCreateSchema, input);
    await this.checkUrl(body.url);
    const at = this.now().toISOString();
    const record: WebhookRecord = {
      id: randomUUID(),
      orgId: auth.user.orgId,
      url: body.url,
      events: body.events,
      description: body.description ?? null,
      secretSalt: newSalt(),
      active: body.active,
      signing: body.signing,
      createdAt: at,
      updatedAt: at,
    };
    await this.deps.storage.webhooks.create(record, [
      userDraft(
        auth,
        AuditAction.WEBHOOK_CREATED,
        { type: 'webhook', id: record.id },
        {
          url: record.url,
          events: record.events,
        },
        this.now(),
      ),
    ]);
    return { ...shown({ ...record, lastDelivery: null }), ...this.secrets(record) };
  }

  async patch(ctx: AuthContext | null, id: unknown, input: unknown): Promise<Webhook> {
    const auth = requireAdmin(ctx);
    const body = parseOrThrow(WebhookPatchSchema, input);
    const current = await this.load(auth, id);
    if (body.url !== undefined) await this.checkUrl(body.url);
    await this.deps.storage.webhooks.update(auth.user.orgId, current.id, body, this.now().toISOString(), [
      userDraft(
        auth,
        AuditAction.WEBHOOK_UPDATED,
        { type: 'webhook', id: current.id },
        { changes: body },
        this.now(),
      ),
    ]);
    if (body.active) this.deps.onRequeue?.();
    return shown(await this.load(auth, current.id));
  }

  /** A new signing secret, shown once; the old one stops working at once. */
  async rotateSecret(ctx: AuthContext | null, id: unknown): Promise<WebhookCreated> {
    const auth = requireAdmin(ctx);
    const current = await this.load(auth, id);
    const secretSalt = newSalt();
    await this.deps.storage.webhooks.update(
      auth.user.orgId,
      current.id,
      { secretSalt },
      this.now().toISOString(),
      [
        userDraft(
          auth,
          AuditAction.WEBHOOK_SECRET_ROTATED,
          { type: 'webhook', id: current.id },
          {},
          this.now(),
        ),
      ],
    );
    const after = await this.load(auth, current.id);
    return { ...shown(after), ...this.secrets(after) };
  }

  async remove(ctx: AuthContext | null, id: unknown): Promise<void> {
    const auth = requireAdmin(ctx);
    const current = await this.load(auth, id);
    await this.deps.storage.webhooks.remove(auth.user.orgId, current.id, this.now().toISOString(), [
      userDraft(
        auth,
        AuditAction.WEBHOOK_DELETED,
        { type: 'webhook', id: current.id },
        { url: current.url },
        this.now(),
      ),
    ]);
  }

  async deliveries(
    ctx: AuthContext | null,
    id: unknown,
    query: unknown,
  ): Promise<{ items: WebhookDelivery[] }> {
    const auth = requireAdmin(ctx);
    const q = parseOrThrow(WebhookDeliveryListQuerySchema, query ?? {});
    const current = await this.load(auth, id);
    return {
      items: await this.deps.storage.webhooks.deliveries(auth.user.orgId, current.id, q.status, q.limit),
    };
  }

  /** Sends a failed delivery again (same delivery id, so a receiver that got it after all ignores it). */
  async redeliver(
    ctx: AuthContext | null,
    id: unknown,
    deliveryId: unknown,
  ): Promise<{ items: WebhookDelivery[] }> {
    const auth = requireAdmin(ctx);
    const current = await this.load(auth, id);
    if (typeof deliveryId !== 'string' || !UUID.test(deliveryId)) throw notFound('no such failed delivery');
    const ok = await this.deps.storage.webhooks.redeliver(
      auth.user.orgId,
      current.id,
      deliveryId,
      this.now().toISOString(),
    );
    if (!ok) throw notFound('no such failed delivery');
    this.deps.onRequeue?.();
    return { items: await this.deps.storage.webhooks.deliveries(auth.user.orgId, current.id, undefined, 50) };
  }

  secretOf(w: Pick<WebhookRecord, 'id' | 'secretSalt'>): string {
    return webhookSecret(this.deps.secret, w.id, w.secretSalt);
  }

  /** The one key in both forms: Stripe-style (a string) and Standard Webhooks (its bytes). */
  private secrets(w: Pick<WebhookRecord, 'id' | 'secretSalt'>) {
    const secret = this.secretOf(w);
    return { secret, standardWebhooksSecret: standardWebhooksSecret(secret) };
  }

  private async checkUrl(url: string): Promise<void> {
    try {
      await resolveWebhookTarget(url, this.deps.allowlist, this.deps.resolve);
    } catch (err) {
      if (err instanceof UnsafeUrlError) throw fieldError('url', `refused: ${err.message}`);
      throw err;
    }
  }

  private async load(auth: AuthContext, id: unknown) {
    if (typeof id !== 'string' || !UUID.test(id)) throw notFound('no such webhook');
    const found = await this.deps.storage.webhooks.get(auth.user.orgId, id);
    if (!found) throw notFound('no such webhook');
    return found;
  }
}

function shown(w: WebhookRecord & { lastDelivery: LastDelivery | null }): Webhook {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    description: w.description,
    active: w.active,
    signing: w.signing,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
    lastDelivery: w.lastDelivery,
  };
}
