/**
 * The service definitions that keep a managed host running: a systemd unit
 * (Linux, installed and run by the tests here), a launchd daemon (macOS) and
 * a WinSW service (Windows). The macOS and Windows texts are produced and
 * unit-tested for their content only: neither OS runs in this project's CI.
 */

export interface ServiceCommand {
  /** The Node binary. */
  node: string;
  /** The assist client's CLI entry (`src/headless/cli.ts` or the built `bin/beckon-assist.js`). */
  cli: string;
  /** The host's configuration file (broker URL, enrolment code, state directory). */
  configFile: string;
  /** The account it runs as; the service manager's default (root / SYSTEM) when absent. */
  user?: string;
  /** The X display to share (Linux). */
  display?: string;
}

export const SERVICE_NAME = 'beckon-host';

/** Quotes one argument for a systemd ExecStart line. */
const systemdQuote = (arg: string) =>
  /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\])/g, '\\$1')}"`;

export function systemdUnit(c: ServiceCommand): string {
  const exec = [c.node, c.cli, 'host', 'run', '--config', c.configFile].map(systemdQuote).join(' ');
  return [
    '[Unit]',
    'Description=Beckon managed host (stays connected to the Beckon broker)',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec}`,
    ...(c.user ? [`User=${c.user}`] : []),
    ...(c.display ? [`Environment=DISPLAY=${c.display}`] : []),
    // The host reconnects by itself; systemd only brings back a process that died.
    'Restart=always',
    'RestartSec=5',
    'UMask=0077',
    'NoNewPrivileges=yes',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A launchd daemon (`/Library/LaunchDaemons/com.beckon.host.plist`). Not run here. */
export function launchdPlist(c: ServiceCommand): string {
  const args = [c.node, c.cli, 'host', 'run', '--config', c.configFile];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key><string>com.beckon.host</string>',
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...args.map((a) => `    <string>${xml(a)}</string>`),
    '  </array>',
    ...(c.user ? [`  <key>UserName</key><string>${xml(c.user)}</string>`] : []),
    '  <key>RunAtLoad</key><true/>',
    '  <key>KeepAlive</key><true/>',
    '  <key>Umask</key><integer>63</integer>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/**
 * A Windows service through WinSW (`beckon-host.xml` beside `beckon-host.exe`,
 * then `beckon-host.exe install`): Node itself does not speak to the service
 * control manager. Not run here.
 */
export function winswConfig(c: ServiceCommand): string {
  const args = [c.cli, 'host', 'run', '--config', c.configFile].map((a) => `"${a}"`).join(' ');
  return [
    '<service>',
    `  <id>${SERVICE_NAME}</id>`,
    '  <name>Beckon managed host</name>',
    '  <description>Stays connected to the Beckon broker.</description>',
    `  <executable>${xml(c.node)}</executable>`,
    `  <arguments>${xml(args)}</arguments>`,
    '  <startmode>Automatic</startmode>',
    '  <onfailure action="restart" delay="5 sec"/>',
    '</service>',
    '',
  ].join('\n');
}

/** The host's configuration file: KEY=value lines, read by `host run --config`. */
export function hostConfigFile(values: Record<string, string | undefined>): string {
  const lines = [
    '# Beckon managed host. Written by `beckon-assist host install`; owner-only (it may hold an enrolment code).',
  ];
  for (const [k, v] of Object.entries(values)) if (v !== undefined) lines.push(`${k}=${v}`);
  return `${lines.join('\n')}\n`;
}

export function parseHostConfigFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m?.[1]) out[m[1]] = m[2] ?? '';
  }
  return out;
}
