import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Just enough of ELF64 (little-endian, x86-64 and arm64 Linux) to find where a
 * symbol of a shared object is: its value in the symbol tables and the
 * loadable segments that place it in memory. Used by wrtc-field-trials.ts,
 * on the wrtc addon and on libc, read from their files on disk.
 */

export interface ElfSymbol {
  name: string;
  /** The symbol's address relative to the object's load bias. */
  value: number;
  size: number;
}

export interface ElfSegment {
  offset: number;
  vaddr: number;
  fileSize: number;
}

const SHT_SYMTAB = 2;
const SHT_DYNSYM = 11;
const PT_LOAD = 1;

/** The slice [offset, offset + length) of an open file. */
function slice(fd: number, offset: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, out, got, length - got, offset + got);
    if (n === 0) throw new Error(`ELF file ends at ${offset + got}, expected ${offset + length}`);
    got += n;
  }
  return out;
}

export class ElfFile {
  readonly path: string;
  private readonly fd: number;
  private readonly header: Buffer;

  private constructor(path: string, fd: number, header: Buffer) {
    this.path = path;
    this.fd = fd;
    this.header = header;
  }

  static open(path: string): ElfFile {
    const fd = openSync(path, 'r');
    try {
      const header = slice(fd, 0, 64);
      // "\x7fELF", 64-bit, little-endian: the only shape this reader knows.
      if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1)
        throw new Error(`${path} is not a 64-bit little-endian ELF file`);
      return new ElfFile(path, fd, header);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  /** The PT_LOAD segments, in file order. */
  segments(): ElfSegment[] {
    const phoff = Number(this.header.readBigUInt64LE(0x20));
    const size = this.header.readUInt16LE(0x36);
    const count = this.header.readUInt16LE(0x38);
    const table = slice(this.fd, phoff, size * count);
    const out: ElfSegment[] = [];
    for (let i = 0; i < count; i++) {
      const p = table.subarray(i * size, (i + 1) * size);
      if (p.readUInt32LE(0) !== PT_LOAD) continue;
      out.push({
        offset: Number(p.readBigUInt64LE(8)),
        vaddr: Number(p.readBigUInt64LE(16)),
        fileSize: Number(p.readBigUInt64LE(32)),
      });
    }
    return out;
  }

  /**
   * The named symbols, looked up in the full symbol table (`.symtab`, which
   * also lists internal ones where the file was not stripped) or in the
   * dynamic one (`.dynsym`, what the object exports).
   */
  symbols(table: 'symtab' | 'dynsym', names: readonly string[]): Map<string, ElfSymbol> {
    const shoff = Number(this.header.readBigUInt64LE(0x28));
    const shsize = this.header.readUInt16LE(0x3a);
    const shnum = this.header.readUInt16LE(0x3c);
    const sections = slice(this.fd, shoff, shsize * shnum);
    const section = (i: number) => {
      const s = sections.subarray(i * shsize, (i + 1) * shsize);
      return {
        type: s.readUInt32LE(4),
        offset: Number(s.readBigUInt64LE(24)),
        size: Number(s.readBigUInt64LE(32)),
        link: s.readUInt32LE(40),
        entsize: Number(s.readBigUInt64LE(56)),
      };
    };
    const wantType = table === 'symtab' ? SHT_SYMTAB : SHT_DYNSYM;
    const wanted = new Set(names);
    const found = new Map<string, ElfSymbol>();
    for (let i = 0; i < shnum; i++) {
      const s = section(i);
      if (s.type !== wantType || s.entsize !== 24) continue;
      const strtab = section(s.link);
      const strings = slice(this.fd, strtab.offset, strtab.size);
      const syms = slice(this.fd, s.offset, s.size);
      for (let at = 0; at + 24 <= syms.length && found.size < wanted.size; at += 24) {
        const nameAt = syms.readUInt32LE(at);
        const end = strings.indexOf(0, nameAt);
        const name = strings.toString('latin1', nameAt, end < 0 ? strings.length : end);
        if (!wanted.has(name) || found.has(name)) continue;
        found.set(name, {
          name,
          value: Number(syms.readBigUInt64LE(at + 8)),
          size: Number(syms.readBigUInt64LE(at + 16)),
        });
      }
    }
    return found;
  }

  /** `length` bytes of the file at the place a loaded copy keeps `vaddr` (inside a segment's file part). */
  bytesAt(vaddr: number, length: number): Buffer {
    const seg = this.segments().find((s) => vaddr >= s.vaddr && vaddr + length <= s.vaddr + s.fileSize);
    if (!seg) throw new Error(`0x${vaddr.toString(16)} is not in a loaded part of ${this.path}`);
    return slice(this.fd, seg.offset + (vaddr - seg.vaddr), length);
  }
}
