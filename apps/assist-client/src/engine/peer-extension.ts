import type { DataChannelMessage, FmRequest, RemotePermission } from '@beckon/protocol';
import type { FileTransfers, IncomingOffer, OfferDecision } from '@beckon/session';

/**
 * What a temporary host (ad-hoc support) adds to a live session, kept out of
 * the engine's core: a secret the agent must present over the peer
 * connection before anything streams or any input counts (the predefined
 * password, checked here on the host), the file manager's and the
 * dashboard's requests, and uploads that go where the file manager said
 * instead of to the person's inbox (nobody is at the computer to confirm).
 */
export interface PeerExtension {
  checkSecret(presented: string): Promise<boolean>;
  /** How long an admitted agent has to present the secret before the session ends. */
  secretTimeoutMs: number;
  handle(
    request: FmRequest,
    ctx: {
      permissions: readonly RemotePermission[];
      reply: (m: DataChannelMessage) => void;
      files: FileTransfers;
    },
  ): void;
  acceptUpload(offer: IncomingOffer, permissions: readonly RemotePermission[]): Promise<OfferDecision>;
}

const FM_TYPES = new Set<string>([
  'fm_roots',
  'fm_list',
  'fm_rename',
  'fm_delete',
  'fm_download',
  'fm_upload',
  'processes_request',
]);
export function isPeerExtensionRequest(m: DataChannelMessage): m is FmRequest {
  return FM_TYPES.has(m.type);
}
