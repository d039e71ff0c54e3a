import type { Actor, SessionStatus } from '@beckon/protocol';
import type { RequestService } from '../domain/request-service.ts';
import type { RequestRecord, Storage } from '../storage/types.ts';
import type { SignalCluster } from './signal-cluster.ts';

const SYSTEM: Actor = { type: 'system', id: null, name: null };
const WITH_CLIENT: ReadonlySet<SessionStatus> = new Set(['waiting', 'ready', 'in_session']);

export interface SettleDeps {
  requests: RequestService;
  storage: Storage;
  cluster: SignalCluster;
  /** Whether the end user is in the request's room on this broker. */
  hostHere: (requestId: string) => boolean;
}

/**
 * A request left waiting/ready/in_session by a broker that stopped or died,
 * whose end user did not come back within the grace window: its session ends
 * and the client is gone, as if it had left. Nothing is done while another
 * live broker holds its room (the end user is, or may be, there).
 */
export async function settleIfAbsent(d: SettleDeps, r: Pick<RequestRecord, 'id' | 'orgId'>): Promise<void> {
  if (d.hostHere(r.id)) return;
  const owner = await d.cluster.ownerOf(r.id);
  if (owner !== null && owner !== d.cluster.brokerId) return;
  const now = await d.storage.requests.get(r.orgId, r.id);
  if (!now || !WITH_CLIENT.has(now.status)) return;
  if (now.status !== 'waiting')
    await d.requests.applyEvent(r.orgId, r.id, 'session_ended', SYSTEM, 'broker_restarted');
  await d.requests.applyEvent(r.orgId, r.id, 'client_left', SYSTEM, 'broker_restarted');
}

/** Whether a room made for this record takes over from a broker that is gone (or a restart). */
export const takesOver = (record: RequestRecord): boolean => WITH_CLIENT.has(record.status);
