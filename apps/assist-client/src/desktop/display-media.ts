/**
 * Main's rules for screen capture in the Electron client. The host window
 * asks with getDisplayMedia; main answers through
 * `setDisplayMediaRequestHandler` and the permission handlers, and grants
 * only when all of these hold: the ask comes from the host window, a
 * session the person allowed (with `view`) is live, and it wants video and
 * no audio. What is shared is always the whole screen, never a picker.
 */
export interface DisplayMediaAsk {
  fromHostWindow: boolean;
  videoRequested: boolean;
  audioRequested: boolean;
}

export type DisplayMediaDecision = { grant: true } | { grant: false; reason: string };

export function decideDisplayMedia(ask: DisplayMediaAsk, captureAllowed: boolean): DisplayMediaDecision {
  if (!ask.fromHostWindow) return { grant: false, reason: 'only the host window may capture the screen' };
  if (!captureAllowed) return { grant: false, reason: 'no allowed session wants the screen' };
  if (ask.audioRequested) return { grant: false, reason: 'audio is never shared' };
  if (!ask.videoRequested) return { grant: false, reason: 'nothing but video is shared' };
  return { grant: true };
}

/** Page permissions: only `display-capture`, only for the host window, only while capture is allowed. */
export function decidePermission(
  permission: string,
  fromHostWindow: boolean,
  captureAllowed: boolean,
): boolean {
  return permission === 'display-capture' && fromHostWindow && captureAllowed;
}

/** Of the screens Electron lists, the primary one (its display id matches), else the first. */
export function pickScreen<S extends { id: string; display_id: string }>(
  sources: readonly S[],
  primaryDisplayId: string,
): S | null {
  return sources.find((s) => s.display_id === primaryDisplayId) ?? sources[0] ?? null;
}
