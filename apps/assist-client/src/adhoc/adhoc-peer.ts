import { listProcesses } from '@beckon/capture';
import { RemotePermission, type DataChannelMessage, type FmRequest } from '@beckon/protocol';
import type { FileTransfers, IncomingOffer, OfferDecision } from '@beckon/session';
import type { PeerExtension } from '../engine/peer-extension.ts';
import { FileManager } from './file-manager.ts';
import { verifyPredefinedPassword } from './password-check.ts';

/** Uploads announced by fm_upload and not offered yet; bounded so announcements cannot grow memory. */
const MAX_PENDING_UPLOADS = 8;

/**
 * The temporary host's side of a provider's connection (AH3, AH8): the
 * predefined password checked against the activation's verifier, the file
 * manager confined to the allowed folders, and the process list. Each
 * request is checked against the session's permissions.
 */
export function adhocPeerExtension(o: {
  verifier: string;
  allowedFolders: readonly string[];
  log: (line: string) => void;
  secretTimeoutMs?: number;
}): PeerExtension {
  const fm = new FileManager(o.allowedFolders);
  const uploads = new Map<string, { root: number; path: string; size: number }>();
  const error = (id: string, code: 'not_allowed' | 'io_error', message: string): DataChannelMessage => ({
    type: 'fm_error',
    id,
    code,
    message,
  });

  function download(
    req: Extract<FmRequest, { type: 'fm_download' }>,
    reply: (m: DataChannelMessage) => void,
    files: FileTransfers,
  ) {
    void fm.source(req.root, req.path).then(
      async (src) => {
        if (!('ok' in src)) return reply({ ...src, id: req.id });
        const transfer = files.send({ name: src.name, source: src.source });
        const off = files.on('progress', (p) => {
          if (p.transferId === transfer.transferId)
            reply({ type: 'fm_progress', id: req.id, bytes: p.bytes, total: p.total });
        });
        try {
          await transfer.done;
          reply({ type: 'fm_done', id: req.id });
        } catch (err) {
          reply(error(req.id, 'io_error', (err as Error).message.slice(0, 400)));
        } finally {
          off();
          await src.close();
        }
      },
      (err: unknown) => reply(error(req.id, 'io_error', String((err as Error).message).slice(0, 400))),
    );
  }

  return {
    secretTimeoutMs: o.secretTimeoutMs ?? 15_000,
    checkSecret: (presented) => verifyPredefinedPassword(presented, o.verifier),
    handle(req, { permissions, reply, files }) {
      if (req.type === 'processes_request') {
        if (!permissions.includes(RemotePermission.SYSTEM_INFO))
          return reply(error(req.id, 'not_allowed', 'system information was not granted'));
        void listProcesses().then(
          (items) => reply({ type: 'processes', id: req.id, items }),
          (err: unknown) => reply(error(req.id, 'io_error', String((err as Error).message).slice(0, 400))),
        );
        return;
      }
      if (!permissions.includes(RemotePermission.FILE_TRANSFER))
        return reply(error(req.id, 'not_allowed', 'file transfer was not granted'));
      switch (req.type) {
        case 'fm_download':
          return download(req, reply, files);
        case 'fm_upload': {
          const target = fm.paths.fresh(req.root, req.path);
          if (!target.ok)
            return reply({ type: 'fm_error', id: req.id, code: target.code, message: target.message });
          if (uploads.size >= MAX_PENDING_UPLOADS) uploads.delete(uploads.keys().next().value ?? '');
          uploads.set(req.id, { root: req.root, path: req.path, size: req.size });
          const off = files.on('complete', (d) => {
            if (d.direction === 'receive' && d.name === req.id) {
              off();
              o.log(`file manager: received ${d.size} bytes`);
              reply({ type: 'fm_done', id: req.id });
            }
          });
          return;
        }
        default:
          void fm.handle(req).then(reply);
      }
    },
    async acceptUpload(offer: IncomingOffer, permissions): Promise<OfferDecision> {
      const pending = uploads.get(offer.name);
      uploads.delete(offer.name);
      if (!permissions.includes(RemotePermission.FILE_TRANSFER) || !pending || pending.size !== offer.size)
        return { accept: false, reason: 'no such upload was announced' };
      const sink = await fm.sink(pending.root, pending.path).catch((err: unknown) => ({
        type: 'fm_error' as const,
        code: 'io_error',
        message: (err as Error).message,
      }));
      if (!('ok' in sink)) return { accept: false, reason: sink.message };
      return { accept: true, sink: sink.sink };
    },
  };
}
