import { selectBackend, type CaptureBackend } from '@beckon/capture';
import { startProbeWindow, startXvfb, type ProbeWindow, type Xvfb } from '@beckon/capture/testing';

/**
 * The green window the host tests look for: at a known place on a 1280x720
 * screen, so a test can check the pixel at (400, 250) in the received video
 * and click into its text field (bottom 15 px) through the agent.
 */
export const GREEN_WINDOW = { x: 200, y: 150, width: 400, height: 300, color: '#00c000' } as const;

export interface HostScreen {
  xvfb: Xvfb;
  /** The X11 backend on that screen (grab and input), as the host engine selects it. */
  backend: CaptureBackend;
  /** GREEN_WINDOW with a text field. */
  probe: ProbeWindow;
  /** Closes the window and the backend; Xvfb stays until the process ends (libnut must not see its display vanish). */
  close(): Promise<void>;
}

/** A private 1280x720 Xvfb, its X11 backend, and GREEN_WINDOW on it: the host side of an in-process test. */
export async function startHostScreen(): Promise<HostScreen> {
  const xvfb = await startXvfb({ width: 1280, height: 720 });
  const selected = await selectBackend('linux', { display: xvfb.display });
  if (!selected.ok) throw new Error(selected.error.message);
  const backend = selected.backend;
  const probe = await startProbeWindow({ display: xvfb.display, ...GREEN_WINDOW, entry: true });
  return {
    xvfb,
    backend,
    probe,
    async close() {
      await probe.close();
      await backend.close();
    },
  };
}
