import { sessionCodeFromFileName, type SessionCode } from '@beckon/protocol';
import { deepLinkFromArgv } from './deep-link.ts';

/** What the assist client was started to join. */
export type JoinTarget =
  { readonly kind: 'token'; readonly token: string } | { readonly kind: 'code'; readonly code: SessionCode };

/**
 * A `beckon-assist://join/<token>` argument wins; otherwise the session code
 * in the name of the downloaded executable; otherwise nothing.
 */
export function resolveJoinTarget(argv: readonly string[], executablePath: string): JoinTarget | null {
  const link = deepLinkFromArgv(argv);
  if (link) return { kind: 'token', token: link.token };
  const code = sessionCodeFromFileName(executablePath);
  return code ? { kind: 'code', code } : null;
}

/**
 * The file the user downloaded: electron-builder's portable Windows build and
 * AppImage run from a temporary copy and name the original in these variables.
 */
export function downloadedExecutable(env: NodeJS.ProcessEnv, execPath: string): string {
  return env['PORTABLE_EXECUTABLE_FILE'] || env['APPIMAGE'] || execPath;
}
