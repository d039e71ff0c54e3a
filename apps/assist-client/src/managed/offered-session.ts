import { selectBackend, type CaptureBackend } from '@beckon/capture';
import wrtc from '@roamhq/wrtc';
import type { ConsentGrant } from '@beckon/protocol';
import { HostSession } from '../engine/host-session.ts';
import type { PeerExtension } from '../engine/peer-extension.ts';
import { TerminalUi } from '../headless/terminal-ui.ts';

export interface OfferedSessionOptions {
  brokerUrl: string;
  code: string;
  display?: string;
  downloadDir: string;
  /** How long the person has to answer; default what the broker asks (60 s). */
  consentTimeoutMs?: number;
  log: (line: string) => void;
  /** An unattended offer (UA7): the grant it claims, read from this host's own copy at each question. */
  unattended?: {
    grant: () => ConsentGrant | null;
    /** At connection: administrator credentials, checked by the OS; null admits. */
    adminAuth?: (username: string, password: string) => Promise<string | null>;
  };
  /** The clock the consent policy reads (tests inject one). */
  now?: () => number;
  /** A standing grant the consent policy weighs (a temporary host's ad-hoc session). */
  grant?: () => ConsentGrant | null;
  /** A temporary host's password gate, file manager and dashboard. */
  extension?: PeerExtension;
}

/**
 * A session an agent's Connect offered to this managed host. It is joined
 * exactly like a code a person typed: the same `HostSession`, the same
 * consent policy and question (on this process's terminal), the same media
 * and input path. With nobody to answer, the question times out and nothing
 * is admitted.
 */
export async function startOfferedSession(
  o: OfferedSessionOptions,
): Promise<{ session: HostSession; ui: TerminalUi; done: Promise<void> }> {
  const selected = await selectBackend(process.platform, o.display ? { display: o.display } : {});
  if (!selected.ok) throw new Error(selected.error.message);
  const backend: CaptureBackend = selected.backend;
  const ui = new TerminalUi(process.stdin, process.stdout);
  const session = new HostSession({
    brokerUrl: o.brokerUrl,
    target: { kind: 'code', code: o.code },
    backend,
    wrtc: wrtc as unknown as ConstructorParameters<typeof HostSession>[0]['wrtc'],
    ui,
    downloadDir: o.downloadDir,
    consentTimeoutMs: o.consentTimeoutMs,
    log: o.log,
    // Unattended: nobody is asked; only the grant this host holds can admit.
    // A temporary host's activated ad-hoc session admits its provider, and asks otherwise.
    grant: o.unattended?.grant ?? o.grant,
    grantOnly: o.unattended !== undefined,
    now: o.now,
    adminAuth: o.unattended?.adminAuth,
    extension: o.extension,
  });
  session.on('status', (s) => o.log(`session status: ${s}`));
  session.on('consent', (c) => {
    const { framesSent, injected } = session.stats;
    o.log(
      `${c.granted ? 'allowed' : 'denied'} (${c.reason}); so far ${framesSent} frames sent, ${injected} input events`,
    );
  });
  session.on('ended', (e) => {
    ui.fileQuestions.withdrawAll();
    const { framesSent, injected } = session.stats;
    o.log(`session ended: ${e.reason}; so far ${framesSent} frames sent, ${injected} input events`);
  });
  ui.onCommand = (command) => (command === 'stop' ? session.stop() : session.leave('quit'));
  const done = new Promise<void>((resolve) =>
    session.on('closed', () => {
      const { framesSent, injected } = session.stats;
      o.log(`session closed: ${framesSent} frames sent, ${injected} input events`);
      ui.close();
      void backend.close().finally(resolve);
    }),
  );
  await session.start();
  return { session, ui, done };
}
