import type { Ticket, TicketStore } from '../domain/join-service.ts';
import type { SharedRedis } from './redis.ts';

/**
 * Tickets any broker can redeem: the end user's `POST /api/v1/join` and its
 * WebSocket upgrade may reach different brokers behind the load balancer.
 * GETDEL spends a ticket in one step, so two brokers cannot both accept it.
 */
export class RedisTicketStore implements TicketStore {
  private readonly redis: SharedRedis;
  constructor(redis: SharedRedis) {
    this.redis = redis;
  }

  async put(hash: string, ticket: Ticket, ttlMs: number): Promise<void> {
    await this.redis.cmd.set(this.key(hash), JSON.stringify(ticket), 'PX', ttlMs);
  }

  async take(hash: string): Promise<Ticket | null> {
    const text = await this.redis.cmd.getdel(this.key(hash));
    if (!text) return null;
    const t = JSON.parse(text) as Partial<Ticket>;
    // Written by a broker of this installation; checked anyway, as anything read back from outside.
    return typeof t.orgId === 'string' && typeof t.requestId === 'string' && typeof t.expiresAt === 'number'
      ? { orgId: t.orgId, requestId: t.requestId, expiresAt: t.expiresAt }
      : null;
  }

  private key(hash: string): string {
    return `${this.redis.prefix}ticket:${hash}`;
  }
}
