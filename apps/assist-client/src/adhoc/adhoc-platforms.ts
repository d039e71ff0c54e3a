import { execFile } from 'node:child_process';
import { join, win32 } from 'node:path';

/**
 * The temporary host on Windows and macOS, as written recipes: where it
 * lives, how its service is defined, how it checks administrator rights
 * (AH6), how it recognises the permanent host (AH10), and how it removes
 * itself (AH4). Produced and unit-tested for their content here; neither OS
 * runs in this project's CI, so none of it has run on a real Windows or Mac
 * (Linux is `adhoc-install.ts`, run by the tests).
 */

export interface AdhocServiceCommand {
  node: string;
  cli: string;
  configFile: string;
}

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const MACOS = {
  label: 'com.beckon.adhoc',
  plist: '/Library/LaunchDaemons/com.beckon.adhoc.plist',
  dir: '/Library/Application Support/Beckon/adhoc',
  log: '/Library/Logs/Beckon/adhoc',
  receipt: '/Library/Logs/Beckon/adhoc-receipt.txt',
  /** The permanent host's daemon: its presence refuses the install. */
  permanent: '/Library/LaunchDaemons/com.beckon.host.plist',
} as const;

/** Windows paths under %ProgramData% (C:\ProgramData unless moved). */
export function windowsPaths(programData = 'C:\\ProgramData') {
  const base = win32.join(programData, 'Beckon');
  return {
    dir: win32.join(base, 'adhoc'),
    serviceXml: win32.join(base, 'adhoc', 'beckon-adhoc.xml'),
    receipt: win32.join(base, 'adhoc-receipt.txt'),
    permanentXml: win32.join(base, 'host', 'beckon-host.xml'),
  };
}

/** launchd: runs at boot, brought back only after a crash (after its self-removal it stays gone). */
export function adhocLaunchdPlist(c: AdhocServiceCommand): string {
  const args = [c.node, c.cli, 'adhoc', 'run', '--config', c.configFile];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key><string>${MACOS.label}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...args.map((a) => `    <string>${xml(a)}</string>`),
    '  </array>',
    '  <key>RunAtLoad</key><true/>',
    '  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>',
    '  <key>Umask</key><integer>63</integer>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** WinSW: automatic start, restarted only on failure. */
export function adhocWinswConfig(c: AdhocServiceCommand): string {
  const args = [c.cli, 'adhoc', 'run', '--config', c.configFile].map((a) => `"${a}"`).join(' ');
  return [
    '<service>',
    '  <id>beckon-adhoc</id>',
    '  <name>Beckon temporary support host</name>',
    '  <description>Ad-hoc support: removes itself 24 hours after activation.</description>',
    `  <executable>${xml(c.node)}</executable>`,
    `  <arguments>${xml(args)}</arguments>`,
    '  <startmode>Automatic</startmode>',
    '  <onfailure action="restart" delay="5 sec"/>',
    '</service>',
    '',
  ].join('\n');
}

type Run = (cmd: string, args: string[]) => Promise<boolean>;
const run: Run = (cmd, args) => new Promise((ok) => execFile(cmd, args, (err) => ok(!err)));

/**
 * AH6 per OS. Windows: `net session` succeeds only in an elevated process;
 * macOS and Linux: root.
 */
export async function hasAdministratorRights(
  platform: NodeJS.Platform = process.platform,
  exec: Run = run,
): Promise<boolean> {
  if (platform === 'win32') return exec('net', ['session']);
  return process.getuid?.() === 0;
}

/**
 * The self-removal as commands for the OS's shell. A service cannot delete
 * the program it runs from while it runs, so on Windows the last step is a
 * detached `cmd` that waits for the process to exit and then deletes the
 * folder; on macOS `launchctl bootout` stops the daemon after the files are gone.
 */
export function removalCommands(platform: 'win32' | 'darwin', programData?: string): string[][] {
  if (platform === 'win32') {
    const p = windowsPaths(programData);
    return [
      [p.serviceXml.replace(/\.xml$/, '.exe'), 'uninstall'],
      ['cmd.exe', '/d', '/c', `timeout /t 5 /nobreak >nul & rmdir /s /q "${p.dir}"`],
    ];
  }
  return [
    ['/bin/rm', '-rf', MACOS.dir, MACOS.log],
    ['/bin/rm', '-f', MACOS.plist],
    ['/bin/launchctl', 'bootout', `system/${MACOS.label}`],
  ];
}

/** Where the configuration file goes on each OS. */
export function adhocConfigFile(platform: 'win32' | 'darwin', programData?: string): string {
  return platform === 'win32'
    ? win32.join(windowsPaths(programData).dir, 'adhoc.conf')
    : join(MACOS.dir, 'adhoc.conf');
}
