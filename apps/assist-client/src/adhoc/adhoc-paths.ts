import { join, resolve } from 'node:path';

/** The temporary host's name everywhere it leaves a trace: apart from the permanent `beckon-host`. */
export const ADHOC_SERVICE = 'beckon-adhoc';

export interface AdhocPaths {
  root: string;
  unit: string;
  configDir: string;
  config: string;
  manifest: string;
  /** The key, the activation record (verifier, removal token, allowed folders). */
  stateDir: string;
  logDir: string;
  log: string;
  /** What removal leaves behind: a few lines saying what was removed, and when. */
  receipt: string;
}

export function adhocPaths(prefix: string): AdhocPaths {
  const root = resolve(prefix);
  const configDir = join(root, 'etc', ADHOC_SERVICE);
  const logDir = join(root, 'var', 'log', ADHOC_SERVICE);
  return {
    root,
    unit: join(root, 'etc', 'systemd', 'system', `${ADHOC_SERVICE}.service`),
    configDir,
    config: join(configDir, 'adhoc.conf'),
    manifest: join(configDir, 'install.json'),
    stateDir: join(root, 'var', 'lib', ADHOC_SERVICE),
    logDir,
    log: join(logDir, 'adhoc.log'),
    receipt: join(root, 'var', 'log', `${ADHOC_SERVICE}-receipt.txt`),
  };
}
