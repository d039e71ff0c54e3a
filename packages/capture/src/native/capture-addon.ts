import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Frame, I420Frame } from '../types.ts';
import { i420Size } from '../frame/convert.ts';

// Beckon's own native addon (packages/capture/native, built by
// scripts/lib/setup.sh into packages/capture/build): SysV shared memory for
// MIT-SHM grabs, and the I420 converter in C (SSE2), which gives the same bytes
// as the JS one in frame/convert.ts at several times its speed. It is optional:
// without it capture goes through GetImage and the JS converter.

/** A SysV shared memory segment, attached here; opaque to JavaScript. */
export interface ShmSegment {
  readonly __brand: 'ShmSegment';
}

export interface CaptureAddon {
  /** A private segment (mode 0600) of `size` bytes, attached read-write. */
  create(size: number): ShmSegment;
  /** Its shmid, for ShmAttach. */
  id(segment: ShmSegment): number;
  /** IPC_RMID: the kernel frees it once every process has detached. Call after the X server attached. */
  remove(segment: ShmSegment): void;
  /** Removes (if not yet) and detaches it; using it afterwards throws. */
  detach(segment: ShmSegment): void;
  /** Copies `dst.length` bytes from the segment at `offset`. */
  read(segment: ShmSegment, offset: number, dst: Uint8Array): void;
  write(segment: ShmSegment, offset: number, src: Uint8Array): void;
  /** I420 of the even part of the image at `offset` of `src` into `dst`; throws if either is too short. */
  toI420(
    src: ShmSegment | Uint8Array,
    offset: number,
    width: number,
    height: number,
    stride: number,
    bgra: boolean,
    dst: Uint8Array,
  ): void;
}

export type AddonStatus =
  { readonly ok: true; readonly addon: CaptureAddon } | { readonly ok: false; readonly reason: string };

/**
 * Where setup puts the addon: the same from src/native and dist/native. The
 * Linux assist bundle is one JavaScript file with its addons beside it, so its
 * launcher names the file in `BECKON_CAPTURE_ADDON`.
 */
export const ADDON_PATH =
  process.env['BECKON_CAPTURE_ADDON'] ??
  fileURLToPath(new URL('../../build/beckon_capture.node', import.meta.url));

/** Set to 0 to keep the addon out (capture then uses GetImage and the JS converter). */
export const ADDON_ENV = 'BECKON_CAPTURE_NATIVE';

let loaded: AddonStatus | undefined;

/** The addon, loaded once; or why it is not there. */
export function captureAddon(): AddonStatus {
  if (process.env[ADDON_ENV] === '0') return { ok: false, reason: `turned off by ${ADDON_ENV}=0` };
  if (loaded) return loaded;
  if (process.platform !== 'linux') {
    loaded = { ok: false, reason: 'the native capture addon is built on Linux only' };
    return loaded;
  }
  try {
    loaded = { ok: true, addon: createRequire(import.meta.url)(ADDON_PATH) as CaptureAddon };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'MODULE_NOT_FOUND' || /cannot open shared object/.test((err as Error).message)
        ? `${ADDON_PATH} is not built (scripts/beckon setup builds it)`
        : `${ADDON_PATH} failed to load: ${(err as Error).message}`;
    loaded = { ok: false, reason: why };
  }
  return loaded;
}

/**
 * I420 of a 32-bit image in a segment or in JS memory, into `out` when it has
 * the right size. Odd widths and heights lose their last column or row.
 */
export function convertToI420(
  addon: CaptureAddon,
  src: ShmSegment | Uint8Array,
  image: Omit<Frame, 'data'>,
  out?: Uint8Array,
): I420Frame {
  const width = image.width & ~1;
  const height = image.height & ~1;
  const size = i420Size(width, height);
  const data = out && out.length === size ? out : new Uint8Array(size);
  addon.toI420(src, 0, image.width, image.height, image.stride, image.format === 'bgra', data);
  return { width, height, data };
}

/** `toI420` (frame/convert.ts) through the addon: the same bytes, several times faster. */
export function toI420Native(addon: CaptureAddon, frame: Frame, out?: Uint8Array): I420Frame {
  return convertToI420(addon, frame.data, frame, out);
}
