import { lstatSync, realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { FmErrorCode } from '@beckon/protocol';

/**
 * Where the file manager may go (AH8): only inside the folders the user
 * allowed at activation. Every path a provider sends is relative to one of
 * them (by index) and checked here, on the host, each time it is used:
 * absolute paths, `..` and `.` segments, empty segments, backslashes and
 * control characters are refused by their text; then the path is resolved
 * with realpath (symlinks followed, as the OS would follow them) and must
 * still be inside the allowed folder's own realpath. A symlink pointing out
 * is refused, whichever segment it is.
 */
export type Resolved = { ok: true; path: string } | { ok: false; code: FmErrorCode; message: string };

// Control characters are what this refuses; bidi overrides too (a name that shows as "invoicegpj.exe").
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

const refuse = (code: FmErrorCode, message: string): Resolved => ({ ok: false, code, message });

/** One name inside a folder: what a provider may call a file. */
export function checkName(name: string): string | null {
  if (name.length === 0) return 'empty name';
  if (name === '.' || name === '..') return `"${name}" is not a name`;
  if (name.includes('/') || name.includes('\\')) return 'a name has no slashes';
  if (CONTROL.test(name)) return 'a name has no control characters';
  if (Buffer.byteLength(name) > 255) return 'name too long';
  return null;
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

function segmentsOf(rel: string): string[] | string {
  if (rel === '') return [];
  if (rel.startsWith('/') || rel.startsWith('\\') || /^[A-Za-z]:/.test(rel))
    return 'absolute paths are refused';
  const parts = rel.split('/');
  for (const part of parts) {
    const bad = checkName(part);
    if (bad) return bad;
  }
  return parts;
}

export class ConfinedPaths {
  private readonly roots: readonly string[];
  constructor(roots: readonly string[]) {
    this.roots = roots;
  }

  get allowed(): readonly string[] {
    return this.roots;
  }

  private rootReal(index: number): string | null {
    const root = this.roots[index];
    if (root === undefined) return null;
    try {
      return realpathSync(root);
    } catch {
      return null;
    }
  }

  /** An existing file or folder, resolved through every symlink and checked to be inside. */
  existing(index: number, rel: string): Resolved {
    const root = this.rootReal(index);
    if (!root) return refuse('outside_allowed', 'no such allowed folder');
    const parts = segmentsOf(rel);
    if (typeof parts === 'string') return refuse('bad_name', parts);
    let real: string;
    try {
      real = realpathSync(join(root, ...parts));
    } catch {
      return refuse('not_found', 'no such file or folder');
    }
    if (!inside(root, real)) return refuse('outside_allowed', 'outside the allowed folders');
    return { ok: true, path: real };
  }

  /**
   * A name to create (upload, rename target): its folder must exist and be
   * inside; the name itself must not exist yet (not even as a dangling link).
   */
  fresh(index: number, rel: string): Resolved {
    const parts = segmentsOf(rel);
    if (typeof parts === 'string') return refuse('bad_name', parts);
    const name = parts.pop();
    if (name === undefined) return refuse('bad_name', 'a name is needed');
    const parent = this.existing(index, parts.join('/'));
    if (!parent.ok) return parent;
    const target = join(parent.path, name);
    try {
      lstatSync(target);
      return refuse('exists', 'a file or folder of this name exists');
    } catch {
      // Does not exist: good.
    }
    if (dirname(target) !== parent.path) return refuse('bad_name', 'bad name');
    return { ok: true, path: target };
  }
}
