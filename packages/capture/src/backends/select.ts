import type { BackendSelection } from '../types.ts';
import { openLinuxX11 } from './linux-x11.ts';
import { openLibnutDesktop } from './libnut-desktop.ts';

/** The platforms a backend exists for (`process.platform` values). */
export const SUPPORTED_PLATFORMS = ['linux', 'win32', 'darwin'] as const;

export type SupportedPlatform = (typeof SUPPORTED_PLATFORMS)[number];

export function isSupportedPlatform(platform: string): platform is SupportedPlatform {
  return (SUPPORTED_PLATFORMS as readonly string[]).includes(platform);
}

export interface SelectOptions {
  /** Linux: the X display to drive (default: `DISPLAY`). */
  readonly display?: string;
  /**
   * Linux: use Beckon's native addon (MIT-SHM grabs, C I420 conversion) when
   * it is built. Default true; `BECKON_CAPTURE_NATIVE=0` turns it off as well.
   */
  readonly native?: boolean;
  /** Linux: try MIT-SHM (needs the addon). Default true. */
  readonly shm?: boolean;
}

/**
 * Opens the backend for `platform` (usually `process.platform`). Call it once
 * at start and keep the backend: it holds window-system connections. Never
 * throws; a missing display or native module comes back as an error to show.
 */
export async function selectBackend(
  platform: string,
  options: SelectOptions = {},
): Promise<BackendSelection> {
  if (!isSupportedPlatform(platform)) {
    return {
      ok: false,
      error: {
        code: 'unsupported_platform',
        message: `screen capture is not available on "${platform}": supported platforms are ${SUPPORTED_PLATFORMS.join(', ')}`,
      },
    };
  }
  if (platform === 'linux') return openLinuxX11(options);
  return openLibnutDesktop(platform);
}
