import {
  sanitizeFileName,
  uniqueName,
  type FileSink,
  type IncomingOffer,
  type OfferDecision,
} from '@beckon/session';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files the agent sends land here, and only after the person confirmed each
 * one. The sender's name is never trusted: it is sanitized (no separators,
 * no traversal, no absolute paths) and made unique in the folder, so nothing
 * is overwritten; bytes go to a hidden part-file that is renamed only once
 * the transfer's hash checked out.
 */
export function fileInbox(
  dir: string,
  confirm: (offer: { name: string; size: number }) => Promise<boolean>,
  onSaved: (path: string) => void = () => {},
): (offer: IncomingOffer) => Promise<OfferDecision> {
  return async (offer) => {
    const safe = sanitizeFileName(offer.name);
    if (!(await confirm({ name: safe, size: offer.size })))
      return { accept: false, reason: 'declined by the user' };
    await mkdir(dir, { recursive: true });
    const name = uniqueName(new Set(await readdir(dir)), safe);
    const final = join(dir, name);
    const part = join(dir, `.${name}.part`);
    // 'wx': fail rather than follow or overwrite anything already there.
    const handle = await open(part, 'wx', 0o600);
    const sink: FileSink = {
      async write(chunk) {
        await handle.write(chunk);
      },
      async close() {
        await handle.close();
        await rename(part, final);
        onSaved(final);
      },
      async abort() {
        await handle.close().catch(() => {});
        await rm(part, { force: true });
      },
    };
    return { accept: true, sink };
  };
}
