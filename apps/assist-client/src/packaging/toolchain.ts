import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Platform } from './builder-config.ts';

/**
 * What turning the packaging inputs into installers needs on this machine,
 * said plainly when it is missing: the packager never skips a step silently.
 */

export interface Toolchain {
  readonly electronVite: string | null;
  readonly electronBuilder: string | null;
  /** Why installers cannot be built here; empty when they can. */
  readonly missing: readonly string[];
}

/** Looks for the tools in the client's and the repository's node_modules. */
export function findToolchain(
  projectDir: string,
  repoRoot: string,
  env: Record<string, string | undefined>,
): Toolchain {
  const bin = (name: string) =>
    [projectDir, repoRoot].map((d) => join(d, 'node_modules', '.bin', name)).find((p) => existsSync(p)) ??
    null;
  const electronVite = bin('electron-vite');
  const electronBuilder = bin('electron-builder');
  const missing: string[] = [];
  if (!electronVite) missing.push('electron-vite is not installed (run `scripts/beckon setup`)');
  if (!electronBuilder)
    missing.push(
      'electron-builder is not installed: it is not yet a dependency of this repository ' +
        '(add it to apps/assist-client devDependencies on the machine that packages)',
    );
  // The electron package writes path.txt once its binary is downloaded; electron-builder
  // then needs Electron's release zip for the target platform from the same download host.
  if (!existsSync(join(projectDir, 'node_modules', 'electron', 'path.txt'))) {
    const why =
      env['ELECTRON_SKIP_BINARY_DOWNLOAD'] === '1'
        ? "ELECTRON_SKIP_BINARY_DOWNLOAD=1: this machine cannot reach Electron's download host"
        : 'the electron package has no binary';
    missing.push(`no Electron binary (${why}); run with BECKON_ELECTRON=1 on a machine that can download it`);
  }
  return { electronVite, electronBuilder, missing };
}

/** The two commands that turn the inputs into installers, run in the client's folder. */
export function packagingCommands(
  tools: Pick<Toolchain, 'electronVite' | 'electronBuilder'>,
  projectDir: string,
  builderConfig: string,
  platform: Platform,
): { cwd: string; argv: string[] }[] {
  return [
    { cwd: projectDir, argv: [tools.electronVite ?? 'electron-vite', 'build'] },
    {
      cwd: projectDir,
      argv: [
        tools.electronBuilder ?? 'electron-builder',
        '--projectDir',
        projectDir,
        '--config',
        builderConfig,
        `--${platform}`,
      ],
    },
  ];
}

/** A command as a shell line, every argument quoted that needs it. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export interface SigningPlan {
  readonly signed: 'yes' | 'no' | 'maybe';
  readonly lines: readonly string[];
}

const has = (env: Record<string, string | undefined>, ...names: string[]) => names.every((n) => !!env[n]);

/**
 * Whether electron-builder will sign, from the variables it reads (see
 * build/assist-client.electron-builder.yml). Only names are printed, never values.
 */
export function signingPlan(platform: Platform, env: Record<string, string | undefined>): SigningPlan {
  if (platform === 'linux')
    return {
      signed: 'no',
      lines: ['Linux: AppImages are not signed (electron-builder has no AppImage signing)'],
    };
  if (platform === 'win') {
    const link = has(env, 'WIN_CSC_LINK') ? 'WIN_CSC_LINK' : has(env, 'CSC_LINK') ? 'CSC_LINK' : null;
    if (!link)
      return {
        signed: 'no',
        lines: [
          'Windows: UNSIGNED (set CSC_LINK + CSC_KEY_PASSWORD, or WIN_CSC_LINK + WIN_CSC_KEY_PASSWORD)',
        ],
      };
    const password = link === 'WIN_CSC_LINK' ? 'WIN_CSC_KEY_PASSWORD' : 'CSC_KEY_PASSWORD';
    return {
      signed: 'yes',
      lines: [
        `Windows: signed with the certificate in ${link}` +
          (has(env, password) ? '' : ` (${password} is not set: a protected .pfx will fail)`),
      ],
    };
  }
  const lines: string[] = [];
  let signed: SigningPlan['signed'];
  if (env['CSC_IDENTITY_AUTO_DISCOVERY'] === 'false' && !has(env, 'CSC_LINK') && !has(env, 'CSC_NAME')) {
    signed = 'no';
    lines.push('macOS: UNSIGNED (CSC_IDENTITY_AUTO_DISCOVERY=false)');
  } else if (has(env, 'CSC_LINK') || has(env, 'CSC_NAME')) {
    signed = 'yes';
    lines.push(
      `macOS: signed with ${has(env, 'CSC_LINK') ? 'the certificate in CSC_LINK' : 'the keychain identity CSC_NAME'}`,
    );
  } else {
    signed = 'maybe';
    lines.push(
      'macOS: signed only if a "Developer ID Application" identity is in the keychain (set CSC_LINK or CSC_NAME to be sure)',
    );
  }
  const notarize =
    has(env, 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID') ||
    has(env, 'APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER');
  lines.push(
    notarize
      ? 'macOS: notarized (Apple credentials are set)'
      : 'macOS: NOT notarized (set APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER)',
  );
  return { signed, lines };
}

/** What else the target platform needs, when it is not the one this runs on. */
export function crossBuildNotes(platform: Platform, host: NodeJS.Platform): string[] {
  if (platform === 'mac' && host !== 'darwin')
    return ['macOS apps are built, signed and notarized on macOS only'];
  if (platform === 'win' && host !== 'win32')
    return [
      'building for Windows on this OS needs Wine (electron-builder sets the icon and version with it)',
    ];
  return [];
}
