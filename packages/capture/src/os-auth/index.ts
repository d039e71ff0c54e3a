import { pamCredentialCheck } from './linux-pam.ts';
import { macosCredentialCheck } from './macos-directory.ts';
import { windowsCredentialCheck } from './windows-logon.ts';
import type { OsCredentialCheck } from './types.ts';

export * from './types.ts';
export { pamCredentialCheck, PAM_CHECK_PATH, type PamCheckOptions } from './linux-pam.ts';
export { windowsCredentialCheck } from './windows-logon.ts';
export { macosCredentialCheck } from './macos-directory.ts';

/** The check for this OS; only Linux's runs here (the others are written and typechecked). */
export function osCredentialCheck(platform: NodeJS.Platform = process.platform): OsCredentialCheck | null {
  if (platform === 'linux') return pamCredentialCheck();
  if (platform === 'win32') return windowsCredentialCheck();
  if (platform === 'darwin') return macosCredentialCheck();
  return null;
}
