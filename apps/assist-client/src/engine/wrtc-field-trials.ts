import { closeSync, openSync, readFileSync, readSync, realpathSync, writeSync } from 'node:fs';
import { ElfFile } from './elf-symbols.ts';

/**
 * Field trials for the libwebrtc inside `@roamhq/wrtc`, which has no API for
 * them (it never calls `webrtc::field_trial::InitFieldTrialsFromString`).
 * The headless host sets `WRTC_SEND_TRIALS` (video-tuning.ts): playout delay 0
 * in its RTP tells every receiver to show each frame as soon as it is decoded,
 * so a web console (a plain browser, where no page can ask for that) stops
 * holding the headless host's frames in its jitter buffer, as the Electron
 * client gets from a Chromium switch; and its pacer sends a picture in one burst.
 *
 * What `InitFieldTrialsFromString` does is store the string's address in one
 * global, `trials_init_string`, which every later lookup parses. This does
 * the same from outside: the string lives in the C environment (setenv keeps
 * it for the life of the process), its address is read through libc's
 * `environ`, and the global (an internal symbol, found in the addon's full
 * symbol table) is written through `/proc/self/mem`. Each step is checked
 * first, and any mismatch (another wrtc build, a stripped addon, a kernel that
 * forbids the write) leaves everything as it was and says why: the host then
 * streams as before, with the browser's jitter buffer.
 */

export type FieldTrialsResult = { applied: true } | { applied: false; reason: string };

const TRIALS_GLOBAL = '_ZN6webrtc11field_trialL18trials_init_stringE';
const INIT_FUNCTION = '_ZN6webrtc11field_trial25InitFieldTrialsFromStringEPKc';
/** The C environment variable that holds the string; its value is never read back by name. */
export const FIELD_TRIALS_ENV = 'BECKON_WRTC_FIELD_TRIALS';
const MAX_ENV_ENTRIES = 100_000;
const PAGE = 4096;

interface Mapping {
  start: number;
  path: string;
}

/** This process's file mappings at offset 0 (where each object's first segment is). */
function firstMappings(): Mapping[] {
  const out: Mapping[] = [];
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-[0-9a-f]+ \S+ ([0-9a-f]+) \S+ \d+\s+(\/.*)$/.exec(line);
    if (m && parseInt(m[2]!, 16) === 0) out.push({ start: parseInt(m[1]!, 16), path: m[3]! });
  }
  return out;
}

/** Where an object's symbol values are in memory: its first mapping less its first segment's address. */
function loadBias(file: ElfFile, mapping: Mapping): number {
  const first = file.segments().find((s) => s.offset === 0);
  if (!first) throw new Error(`${file.path} has no segment at offset 0`);
  return mapping.start - first.vaddr;
}

class Memory {
  private readonly fd = openSync('/proc/self/mem', 'r+');
  /**
   * Up to `length` bytes at `address`, page by page: a read running into an
   * unmapped page fails as a whole (EIO), so what comes before it is kept.
   */
  read(address: number, length: number): Buffer {
    const out = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const at = address + got;
      const chunk = Math.min(length - got, PAGE - (at % PAGE));
      try {
        const n = readSync(this.fd, out, got, chunk, at);
        got += n;
        if (n < chunk) break;
      } catch (err) {
        if (got === 0)
          throw new Error(`cannot read 0x${at.toString(16)}: ${(err as Error).message}`, { cause: err });
        break;
      }
    }
    return out.subarray(0, got);
  }
  pointer(address: number): number {
    const b = this.read(address, 8);
    if (b.length !== 8) throw new Error(`cannot read 8 bytes at 0x${address.toString(16)}`);
    return Number(b.readBigUInt64LE(0));
  }
  /** The NUL-terminated string at `address`, cut at `max` bytes. */
  cString(address: number, max: number): string {
    const b = this.read(address, max);
    const end = b.indexOf(0);
    return b.toString('latin1', 0, end < 0 ? b.length : end);
  }
  writePointer(address: number, value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    if (writeSync(this.fd, b, 0, 8, address) !== 8) throw new Error('short write to /proc/self/mem');
  }
  close(): void {
    closeSync(this.fd);
  }
}

/**
 * The `environ` pointer: the executable's copy where it has one (Node
 * references `environ`, so the linker moved the variable into node itself and
 * libc's own stays unused), else libc's.
 */
function environList(mem: Memory): number {
  const maps = firstMappings();
  const exe = realpathSync('/proc/self/exe');
  const owners = [
    maps.find((m) => m.path === exe),
    maps.find((m) => /\/libc(\.so\.\d+|-[\d.]+\.so)$/.test(m.path)),
  ];
  for (const owner of owners) {
    if (!owner) continue;
    const file = ElfFile.open(owner.path);
    try {
      const sym = file.symbols('dynsym', ['environ', '__environ']);
      const environ = sym.get('environ') ?? sym.get('__environ');
      const list = environ ? mem.pointer(loadBias(file, owner) + environ.value) : 0;
      if (list !== 0) return list;
    } finally {
      file.close();
    }
  }
  throw new Error('found no C environment (not glibc?)');
}

/** The address of the value of `name` in the C environment, which must equal `value`. */
function environValue(mem: Memory, name: string, value: string): number {
  const list = environList(mem);
  const prefix = `${name}=`;
  for (let i = 0; i < MAX_ENV_ENTRIES; i++) {
    const entry = mem.pointer(list + 8 * i);
    if (entry === 0) break;
    if (mem.cString(entry, prefix.length) !== prefix) continue;
    if (mem.cString(entry, prefix.length + value.length + 1) !== prefix + value)
      throw new Error(`${name} in the C environment is not what was set`);
    return entry + prefix.length;
  }
  throw new Error(`${name} is not in the C environment`);
}

/**
 * The address of wrtc's field-trial global in this process, or why it cannot
 * be trusted: the addon loaded, its symbols present, and its loaded code the
 * file's (otherwise the global is not where the file says).
 */
function trialsGlobal(mem: Memory): number | string {
  const addon = firstMappings().find((m) => m.path.endsWith('/wrtc.node'));
  if (!addon) return 'the wrtc addon is not loaded';
  const file = ElfFile.open(addon.path);
  try {
    const sym = file.symbols('symtab', [TRIALS_GLOBAL, INIT_FUNCTION]);
    const global = sym.get(TRIALS_GLOBAL);
    const init = sym.get(INIT_FUNCTION);
    if (!global || !init) return 'the addon has no field-trial symbols (stripped?)';
    const bias = loadBias(file, addon);
    const code = Math.min(init.size || 32, 64);
    if (!mem.read(bias + init.value, code).equals(file.bytesAt(init.value, code)))
      return 'the loaded addon is not the file on disk';
    return bias + global.value;
  } finally {
    file.close();
  }
}

/**
 * Sets wrtc's field trials (e.g. `WRTC_SEND_TRIALS`) for every peer
 * connection made afterwards. The addon must be loaded (imported) already.
 * Setting the same string again is a no-op; another one than is set is refused.
 */
export function setWrtcFieldTrials(trials: string): FieldTrialsResult {
  if (process.platform !== 'linux') return { applied: false, reason: `not on Linux (${process.platform})` };
  // The format InitFieldTrialsFromString accepts: Name/Group/ pairs, so a bad string is refused here.
  if (!/^([^/]+\/[^/]+\/)+$/.test(trials)) return { applied: false, reason: 'not Name/Group/ pairs' };
  let mem: Memory | null = null;
  try {
    mem = new Memory();
    const global = trialsGlobal(mem);
    if (typeof global === 'string') return { applied: false, reason: global };
    const current = mem.pointer(global);
    if (current !== 0) {
      const set = mem.cString(current, 4096);
      return set === trials
        ? { applied: true }
        : { applied: false, reason: `field trials already set to ${JSON.stringify(set)}` };
    }
    process.env[FIELD_TRIALS_ENV] = trials;
    const at = environValue(mem, FIELD_TRIALS_ENV, trials);
    mem.writePointer(global, at);
    if (mem.pointer(global) !== at) return { applied: false, reason: 'the write did not hold' };
    return { applied: true };
  } catch (err) {
    return { applied: false, reason: (err as Error).message };
  } finally {
    mem?.close();
  }
}

/** The field trials wrtc runs with now (empty when none), read the way setWrtcFieldTrials wrote them. */
export function wrtcFieldTrials(): string {
  const mem = new Memory();
  try {
    const global = trialsGlobal(mem);
    if (typeof global === 'string') return '';
    const at = mem.pointer(global);
    return at === 0 ? '' : mem.cString(at, 4096);
  } finally {
    mem.close();
  }
}
