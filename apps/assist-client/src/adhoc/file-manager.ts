import {
  FM_MAX_ENTRIES,
  type FmEntry,
  type FmErrorCode,
  type FmRequest,
  type FmResponse,
} from '@beckon/protocol';
import { lstat, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileSink, FileSource } from '@beckon/session';
import { ConfinedPaths } from './fm-paths.ts';

/**
 * The host's file manager (AH8): browse, rename and delete inside the
 * allowed folders, and the files to hand to the file-transfer machinery for
 * downloads and uploads. Every path goes through ConfinedPaths on every use.
 */
export class FileManager {
  readonly paths: ConfinedPaths;
  constructor(allowedFolders: readonly string[]) {
    this.paths = new ConfinedPaths(allowedFolders);
  }

  /** Answers the requests that need no bytes: roots, list, rename, delete. */
  async handle(
    req: Exclude<FmRequest, { type: 'fm_download' | 'fm_upload' | 'processes_request' }>,
  ): Promise<FmResponse> {
    const fail = (r: { code: FmErrorCode; message: string }): FmResponse => ({
      type: 'fm_error',
      id: req.id,
      code: r.code,
      message: r.message,
    });
    try {
      switch (req.type) {
        case 'fm_roots':
          return { type: 'fm_roots_result', id: req.id, roots: [...this.paths.allowed] };
        case 'fm_list': {
          const dir = this.paths.existing(req.root, req.path);
          if (!dir.ok) return fail(dir);
          const entries: FmEntry[] = [];
          const all = (await readdir(dir.path, { withFileTypes: true })).sort((a, b) =>
            a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
          );
          for (const e of all.slice(0, FM_MAX_ENTRIES)) {
            const st = await lstat(join(dir.path, e.name)).catch(() => null);
            entries.push({
              name: e.name,
              kind: e.isSymbolicLink() ? 'symlink' : e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other',
              size: st?.size ?? 0,
              modifiedAt: st ? st.mtime.toISOString() : '',
            });
          }
          return { type: 'fm_listing', id: req.id, entries, truncated: all.length > FM_MAX_ENTRIES };
        }
        case 'fm_rename': {
          const from = this.paths.existing(req.root, req.from);
          if (!from.ok) return fail(from);
          if (from.path === this.rootPath(req.root))
            return fail({ code: 'outside_allowed', message: 'an allowed folder itself cannot be renamed' });
          const to = this.paths.fresh(req.root, req.to);
          if (!to.ok) return fail(to);
          await rename(from.path, to.path);
          return { type: 'fm_done', id: req.id };
        }
        case 'fm_delete': {
          const target = this.paths.existing(req.root, req.path);
          if (!target.ok) return fail(target);
          if (target.path === this.rootPath(req.root))
            return fail({ code: 'outside_allowed', message: 'an allowed folder itself cannot be deleted' });
          await rm(target.path, { recursive: true });
          return { type: 'fm_done', id: req.id };
        }
      }
    } catch (err) {
      return fail({ code: 'io_error', message: String((err as Error).message).slice(0, 400) });
    }
  }

  private rootPath(index: number): string | null {
    const r = this.paths.existing(index, '');
    return r.ok ? r.path : null;
  }

  /** A download: the file's bytes as a FileSource, or why not. */
  async source(
    root: number,
    rel: string,
  ): Promise<
    | { ok: true; name: string; source: FileSource; close: () => Promise<void> }
    | Extract<FmResponse, { type: 'fm_error' }>
  > {
    const r = this.paths.existing(root, rel);
    if (!r.ok) return { type: 'fm_error', id: '', code: r.code, message: r.message };
    const st = await lstat(r.path);
    if (!st.isFile()) return { type: 'fm_error', id: '', code: 'bad_name', message: 'not a file' };
    const fh: FileHandle = await open(r.path, 'r');
    const source: FileSource = {
      size: st.size,
      async read(offset, length) {
        const buf = Buffer.alloc(length);
        const { bytesRead } = await fh.read(buf, 0, length, offset);
        return new Uint8Array(buf.buffer, buf.byteOffset, bytesRead);
      },
    };
    return { ok: true, name: rel.split('/').pop() ?? 'file', source, close: () => fh.close() };
  }

  /** An upload: a sink writing a new file inside (never over an existing one), or why not. */
  async sink(
    root: number,
    rel: string,
  ): Promise<{ ok: true; sink: FileSink } | Extract<FmResponse, { type: 'fm_error' }>> {
    const r = this.paths.fresh(root, rel);
    if (!r.ok) return { type: 'fm_error', id: '', code: r.code, message: r.message };
    // 'wx': fails if the name appeared since the check, and never follows a link placed there.
    const fh = await open(r.path, 'wx', 0o600);
    const path = r.path;
    return {
      ok: true,
      sink: {
        async write(chunk) {
          await fh.write(chunk);
        },
        async close() {
          await fh.close();
        },
        async abort() {
          await fh.close().catch(() => undefined);
          await rm(path, { force: true });
        },
      },
    };
  }
}
