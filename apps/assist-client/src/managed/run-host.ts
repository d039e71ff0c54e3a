import { collectSystemInfo } from '@beckon/capture';
import { HostEnrolledSchema, parseWith } from '@beckon/protocol';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { commitNextKey, loadNextKey, loadOrCreateHostKey, prepareNextKey } from './host-key.ts';
import { HostLink } from './host-link.ts';
import { readHostState, writeHostState, type HostState } from './host-state.ts';
import { collectPresence } from './presence.ts';

export const CLIENT_VERSION = '0.1.0';

export interface HostRunConfig {
  brokerUrl: string;
  stateDir: string;
  name?: string;
  enrolmentCode?: string;
  display?: string;
  consentTimeoutMs?: number;
  /** Make a new key, have the broker take it, and quit. */
  rotateKey?: boolean;
}

interface Io {
  err(text: string): void;
}

/** Enrols with the code once: the key is made here and only its public half is sent. */
async function enrol(cfg: HostRunConfig, publicKey: string): Promise<HostState> {
  if (!cfg.enrolmentCode) throw new Error('not enrolled yet, and no enrolment code (BECKON_ENROLMENT_CODE)');
  const presence = await collectPresence(CLIENT_VERSION);
  const res = await fetch(new URL('api/v1/hosts/enrol', cfg.brokerUrl.replace(/\/?$/, '/')), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      code: cfg.enrolmentCode,
      publicKey,
      name: cfg.name ?? (hostname().slice(0, 120) || 'host'),
      presence,
    }),
  });
  const body: unknown = await res.json().catch(() => null);
  const parsed = parseWith(HostEnrolledSchema, body);
  if (res.status !== 201 || !parsed.ok)
    throw new Error(`enrolment refused (HTTP ${res.status}): ${JSON.stringify(body)}`);
  return { brokerUrl: cfg.brokerUrl, hostId: parsed.value.hostId };
}

/**
 * The managed host's long-running mode: the key (made on first run), the
 * enrolment (once), then one socket to the broker for as long as the
 * process lives. Exit codes: 0 stopped, 1 failed to start, 3 refused by the
 * broker (deleted, or the key is not the enrolled one).
 */
export async function runHost(cfg: HostRunConfig, io: Io): Promise<number> {
  const log = (line: string) => io.err(`beckon-host: ${line}`);
  const key = loadOrCreateHostKey(cfg.stateDir);
  let state = readHostState(cfg.stateDir);
  if (!state || state.brokerUrl !== cfg.brokerUrl) {
    try {
      state = await enrol(cfg, key.publicKey);
    } catch (err) {
      log((err as Error).message);
      return 1;
    }
    writeHostState(cfg.stateDir, state);
    log(`enrolled as ${state.hostId}`);
  }
  const link = new HostLink({
    brokerUrl: state.brokerUrl,
    hostId: state.hostId,
    key,
    nextKey: loadNextKey(cfg.stateDir),
    presence: () => collectPresence(CLIENT_VERSION),
    systemInfo: () => collectSystemInfo(),
    log,
  });
  // A holder, not a variable: callbacks set it, and TypeScript cannot see that.
  const running: { session: { leave(reason: string): void } | null } = { session: null };
  const finished = new Promise<number>((resolve) => {
    link.on('online', () => log('online'));
    link.on('offline', (code) => log(`offline (${code})`));
    link.on('refused', () => resolve(3));
    link.on('rotated', () => {
      commitNextKey(cfg.stateDir);
      log('key rotated');
      if (cfg.rotateKey) resolve(0);
    });
    link.on('offer', (offer) => {
      log(`an agent asks to connect (request ${offer.requestId})`);
      running.session?.leave('replaced by a newer request');
      void import('./offered-session.ts')
        .then(({ startOfferedSession }) =>
          startOfferedSession({
            brokerUrl: state.brokerUrl,
            code: offer.code,
            display: cfg.display,
            downloadDir: join(cfg.stateDir, 'received'),
            consentTimeoutMs: cfg.consentTimeoutMs,
            log,
          }),
        )
        .then(({ session, done }) => {
          running.session = session;
          void done.then(() => {
            if (running.session === session) running.session = null;
          });
        })
        .catch((err: unknown) => log(`could not join the offered session: ${(err as Error).message}`));
    });
    process.once('SIGTERM', () => resolve(0));
    process.once('SIGINT', () => resolve(0));
  });
  link.start();
  if (cfg.rotateKey) link.rotateKey(prepareNextKey(cfg.stateDir));
  const code = await finished;
  running.session?.leave('host stopping');
  link.stop();
  return code;
}
