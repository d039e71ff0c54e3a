import { collectSystemInfo } from '@beckon/capture';
import { adhocGrant } from '@beckon/protocol';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateHostKey } from '../managed/host-key.ts';
import { HostLink } from '../managed/host-link.ts';
import { collectPresence } from '../managed/presence.ts';
import { CLIENT_VERSION } from '../managed/run-host.ts';
import { ACTIVATION_FILE, readActivation, reportToBroker, type ActivationRecord } from './activation.ts';
import { removeTemporaryHost } from './adhoc-install.ts';
import { adhocPeerExtension } from './adhoc-peer.ts';
import { adhocPaths } from './adhoc-paths.ts';

export interface TemporaryRunConfig {
  prefix: string;
  display?: string;
  consentTimeoutMs?: number;
  /** How long to keep trying to tell the broker "removed" after removal (default 10 min). */
  reportForMs?: number;
}

interface Io {
  err(text: string): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The temporary host's long-running mode (AH4, AH8, AH9): the managed host's
 * socket (it reconnects by itself after a broker restart or a network loss),
 * plus the session's end. The end comes from a local timer set to the
 * activation's expiry, so it happens on the computer even when the broker
 * is unreachable; or from the broker refusing the key (the provider ended
 * it); or from the user (`adhoc end`, which removes the activation record).
 * Exit codes: 0 ended and removed, or stopped by the service manager; 1 not
 * activated.
 */
export async function runTemporaryHost(cfg: TemporaryRunConfig, io: Io): Promise<number> {
  const p = adhocPaths(cfg.prefix);
  const log = (line: string) => {
    io.err(`beckon-adhoc: ${line}`);
    try {
      appendFileSync(p.log, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
    } catch {
      // The log goes with the removal; a line lost then is no loss.
    }
  };
  const record = readActivation(p.stateDir);
  if (!record) {
    log('not activated yet: run `beckon-assist adhoc activate --code <security code>` first');
    return 1;
  }
  const { activation } = record;
  const key = loadOrCreateHostKey(p.stateDir);
  const link = new HostLink({
    brokerUrl: record.brokerUrl,
    hostId: activation.hostId,
    key,
    presence: () => collectPresence(CLIENT_VERSION),
    systemInfo: () => collectSystemInfo(),
    log,
  });
  const running: { session: { leave(reason: string): void } | null } = { session: null };
  const timers: { timer?: NodeJS.Timeout; watch?: NodeJS.Timeout } = {};
  const end = new Promise<'expired' | 'provider' | 'user' | 'stopped'>((resolve) => {
    const left = Date.parse(activation.expiresAt) - Date.now();
    log(`activated for session ${activation.sessionId}; ends at ${activation.expiresAt}`);
    timers.timer = setTimeout(() => resolve('expired'), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    timers.watch = setInterval(() => {
      if (!existsSync(join(p.stateDir, ACTIVATION_FILE))) resolve('user');
    }, 1000);
    link.on('online', () => log('online'));
    link.on('offline', (code) => log(`offline (${code})`));
    link.on('refused', () => resolve('provider'));
    link.on('offer', (offer) => {
      log(`the provider asks to connect (request ${offer.requestId})`);
      running.session?.leave('replaced by a newer request');
      void import('../managed/offered-session.ts')
        .then(({ startOfferedSession }) =>
          startOfferedSession({
            brokerUrl: record.brokerUrl,
            code: offer.code,
            display: cfg.display,
            downloadDir: join(p.stateDir, 'received'),
            consentTimeoutMs: cfg.consentTimeoutMs,
            log,
            // The host's own activation record is the grant: the provider, every permission, until the end.
            grant: () => adhocGrant(activation.providerId, activation.activatedAt, activation.expiresAt),
            extension: adhocPeerExtension({
              verifier: activation.passwordVerifier,
              allowedFolders: record.allowedFolders,
              log,
            }),
          }),
        )
        .then(({ session, done }) => {
          running.session = session;
          void done.then(() => {
            if (running.session === session) running.session = null;
          });
        })
        .catch((err: unknown) => log(`could not join: ${(err as Error).message}`));
    });
    process.once('SIGTERM', () => resolve('stopped'));
    process.once('SIGINT', () => resolve('stopped'));
  });
  link.start();
  const why = await end;
  clearTimeout(timers.timer);
  clearInterval(timers.watch);
  running.session?.leave(why === 'stopped' ? 'host stopping' : 'ad-hoc session ended');
  link.stop();
  if (why === 'stopped') return 0;
  log(`session ended (${why}); removing the temporary host`);
  await selfRemove(cfg, record, why, log);
  return 0;
}

/** Removes everything, leaves the receipt, then tells the broker for as long as it may take. */
async function selfRemove(
  cfg: TemporaryRunConfig,
  record: ActivationRecord,
  why: string,
  log: (line: string) => void,
): Promise<void> {
  const at = new Date().toISOString();
  await removeTemporaryHost(
    cfg.prefix,
    [
      'Beckon temporary support host: removed.',
      `session ${record.activation.sessionId}, activated ${record.activation.activatedAt}`,
      `ended ${at} (${why}); its program files, service, keys and logs were removed.`,
    ],
    (line) => log(line),
  );
  const deadline = Date.now() + (cfg.reportForMs ?? 10 * 60_000);
  for (let wait = 500; Date.now() < deadline; wait = Math.min(wait * 2, 10_000)) {
    if (await reportToBroker(record, 'removed')) {
      io(`reported the removal to the broker`);
      return;
    }
    await sleep(wait);
  }
  io('the broker could not be told of the removal; it shows the session ended');
  function io(line: string) {
    process.stderr.write(`beckon-adhoc: ${line}\n`);
  }
}
