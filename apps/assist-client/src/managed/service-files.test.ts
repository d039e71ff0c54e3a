import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  hostConfigFile,
  launchdPlist,
  parseHostConfigFile,
  systemdUnit,
  winswConfig,
} from './service-files.ts';
import { loginState } from './presence.ts';

// The launchd and WinSW texts are checked for their content only: macOS and
// Windows do not run here.

const CMD = {
  node: '/usr/bin/node',
  cli: '/opt/beckon/bin/beckon-assist.js',
  configFile: '/etc/beckon-host/host.conf',
};

test('systemd unit: runs `host run --config`, restarts, owner-only umask', () => {
  const unit = systemdUnit({ ...CMD, user: 'kiosk', display: ':0' });
  assert.match(
    unit,
    /^ExecStart=\/usr\/bin\/node \/opt\/beckon\/bin\/beckon-assist\.js host run --config \/etc\/beckon-host\/host\.conf$/m,
  );
  assert.match(unit, /^User=kiosk$/m);
  assert.match(unit, /^Environment=DISPLAY=:0$/m);
  assert.match(unit, /^Restart=always$/m);
  assert.match(unit, /^UMask=0077$/m);
  assert.match(unit, /^WantedBy=multi-user\.target$/m);
  assert.match(systemdUnit({ ...CMD, cli: '/opt/my beckon/cli.js' }), /"\/opt\/my beckon\/cli\.js"/);
});

test('launchd plist: the same command, kept alive, XML-escaped', () => {
  const plist = launchdPlist({ ...CMD, configFile: '/Library/Beckon/a&b.conf' });
  assert.match(plist, /<key>Label<\/key><string>com\.beckon\.host<\/string>/);
  assert.match(plist, /<string>host<\/string>\n {4}<string>run<\/string>/);
  assert.match(plist, /a&amp;b\.conf/);
  assert.match(plist, /<key>KeepAlive<\/key><true\/>/);
});

test('WinSW service: node with the CLI arguments, automatic start, restart on failure', () => {
  const xml = winswConfig({ ...CMD, node: 'C:\\Program Files\\nodejs\\node.exe' });
  assert.match(xml, /<executable>C:\\Program Files\\nodejs\\node\.exe<\/executable>/);
  assert.match(
    xml,
    /<arguments>&quot;\/opt\/beckon\/bin\/beckon-assist\.js&quot; &quot;host&quot; &quot;run&quot;/,
  );
  assert.match(xml, /<startmode>Automatic<\/startmode>/);
});

test('config file: written and read back; values left out are absent', () => {
  const text = hostConfigFile({ BECKON_BROKER_URL: 'https://b.example', BECKON_ENROLMENT_CODE: undefined });
  assert.deepEqual(parseHostConfigFile(text), { BECKON_BROKER_URL: 'https://b.example' });
});

test('login state from logind: a graphical session, locked or not; null where nothing tells', async () => {
  const fake = (locked: string) => async (cmd: string, args: string[]) => {
    if (cmd !== 'loginctl') return null;
    if (args[0] === 'list-sessions') return '  3 1000 ada seat0 tty2\n';
    return `Type=x11\nLockedHint=${locked}\n`;
  };
  assert.deepEqual(await loginState('linux', fake('yes')), { userPresent: true, screenLocked: true });
  assert.deepEqual(await loginState('linux', fake('no')), { userPresent: true, screenLocked: false });
  assert.deepEqual(await loginState('linux', async (cmd) => (cmd === 'who' ? '' : null)), {
    userPresent: false,
    screenLocked: null,
  });
  assert.deepEqual(await loginState('win32'), { userPresent: null, screenLocked: null });
});
