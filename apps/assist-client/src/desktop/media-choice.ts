import type { CaptureBackend } from '@beckon/capture';
import type { EngineWrtc } from '../engine/screen-video.ts';

export type MediaChoice = { kind: 'engine'; wrtc: EngineWrtc } | { kind: 'window'; why: string };

/**
 * Which media the Electron client's sessions use (host-media.ts). The engine
 * (EngineMedia: the X11 grab that is told of each change, and wrtc) where it
 * sees the whole screen, an X11 session, and wrtc loads. Otherwise the host
 * window's Chromium, which captures on every OS: Windows and macOS (no engine
 * grab there yet), and Wayland, where an X11 grab would see only the X
 * clients (Chromium goes through PipeWire).
 * `why` is logged, so a slower path taken is never a silent one.
 */
export async function chooseHostMedia(
  backend: CaptureBackend,
  env: Readonly<Record<string, string | undefined>>,
  loadWrtc: () => Promise<unknown> = () => import('@roamhq/wrtc'),
): Promise<MediaChoice> {
  if (backend.name !== 'linux-x11') return { kind: 'window', why: `no engine grab on ${backend.name}` };
  if (env['WAYLAND_DISPLAY'] || env['XDG_SESSION_TYPE'] === 'wayland')
    return { kind: 'window', why: 'a Wayland session: only Chromium (PipeWire) sees every window' };
  try {
    const mod = (await loadWrtc()) as { default?: unknown };
    const wrtc = (mod.default ?? mod) as Partial<EngineWrtc>;
    if (
      typeof wrtc.RTCPeerConnection !== 'function' ||
      typeof wrtc.nonstandard?.RTCVideoSource !== 'function'
    )
      return { kind: 'window', why: 'wrtc has no peer connection or video source' };
    return { kind: 'engine', wrtc: wrtc as EngineWrtc };
  } catch (err) {
    return { kind: 'window', why: `wrtc did not load: ${(err as Error).message}` };
  }
}
