import {
  sanitizeFileName,
  uniqueName,
  type FileSink,
  type IncomingOffer,
  type OfferDecision,
} from '@beckon/session';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FileOfferRefused } from './file-questions.ts';

/**
 * Asks the person about one file. `withdrawn` aborts when the sender cancels
 * or the session ends: the question should leave the screen. It may reject
 * with `FileOfferRefused` (too many questions waiting): the offer is declined
 * with that reason.
 */
export type FileConfirm = (offer: { name: string; size: number }, withdrawn: AbortSignal) => Promise<boolean>;

/**
 * Files the agent sends land here, and only after the person confirmed each
 * one (the faces ask through `FileQuestions`: one question at a time, by id).
 * The sender's name is never trusted: it is sanitized (no separators,
 * no traversal, no absolute paths) and made unique in the folder, so nothing
 * is overwritten; bytes go to a hidden part-file that is renamed only once
 * the transfer's hash checked out.
 */
export function fileInbox(
  dir: string,
  confirm: FileConfirm,
  onSaved: (path: string) => void = () => {},
): (offer: IncomingOffer, withdrawn?: AbortSignal) => Promise<OfferDecision> {
  return async (offer, withdrawn = new AbortController().signal) => {
    const safe = sanitizeFileName(offer.name);
    let yes: boolean;
    try {
      // Raced with the withdrawal: a face that does not take the signal must not hold the offer open.
      yes = await Promise.race([
        confirm({ name: safe, size: offer.size }, withdrawn),
        whenAborted(withdrawn),
      ]);
    } catch (err) {
      if (err instanceof FileOfferRefused) return { accept: false, reason: err.message };
      throw err;
    }
    if (withdrawn.aborted) return { accept: false, reason: 'withdrawn' };
    if (!yes) return { accept: false, reason: 'declined by the user' };
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

/** Resolves false once `signal` aborts (never, if it never does). */
function whenAborted(signal: AbortSignal): Promise<false> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(false);
    else signal.addEventListener('abort', () => resolve(false), { once: true });
  });
}
