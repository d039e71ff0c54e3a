import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adhocConfigFile,
  adhocLaunchdPlist,
  adhocWinswConfig,
  hasAdministratorRights,
  MACOS,
  removalCommands,
  windowsPaths,
} from './adhoc-platforms.ts';

// The Windows and macOS recipes, checked for their content only (neither OS runs here).

const c = {
  node: 'C:\\Program Files\\nodejs\\node.exe',
  cli: 'C:\\Beckon\\cli.js',
  configFile: 'C:\\x & y.conf',
};

test('launchd: adhoc run with its config, restarted only after a crash, values escaped', () => {
  const plist = adhocLaunchdPlist({
    node: '/usr/local/bin/node',
    cli: '/opt/b/cli.js',
    configFile: '/a&b.conf',
  });
  assert.match(plist, /<string>adhoc<\/string>\n {4}<string>run<\/string>/);
  assert.match(plist, /<string>\/a&amp;b\.conf<\/string>/);
  assert.match(plist, /<key>SuccessfulExit<\/key><false\/>/);
  assert.match(plist, new RegExp(`<string>${MACOS.label}</string>`));
});

test('WinSW: its own service id, apart from the permanent host, arguments escaped', () => {
  const x = adhocWinswConfig(c);
  assert.match(x, /<id>beckon-adhoc<\/id>/);
  assert.match(x, /&quot;adhoc&quot; &quot;run&quot;/);
  assert.match(x, /x &amp; y\.conf/);
  assert.notEqual(windowsPaths().serviceXml, windowsPaths().permanentXml);
  assert.equal(adhocConfigFile('win32', 'D:\\PD'), 'D:\\PD\\Beckon\\adhoc\\adhoc.conf');
});

test('administrator rights: Windows asks `net session`, which only an elevated process may run', async () => {
  const calls: string[] = [];
  assert.equal(
    await hasAdministratorRights('win32', async (cmd, args) => (calls.push([cmd, ...args].join(' ')), false)),
    false,
  );
  assert.equal(await hasAdministratorRights('win32', async () => true), true);
  assert.deepEqual(calls, ['net session']);
});

test('removal: everything of the temporary host, nothing of the permanent one', () => {
  const win = removalCommands('win32').flat().join(' ');
  assert.match(win, /Beckon\\adhoc/);
  assert.doesNotMatch(win, /Beckon\\host/);
  const mac = removalCommands('darwin').flat().join(' ');
  assert.match(mac, /com\.beckon\.adhoc/);
  assert.doesNotMatch(mac, /com\.beckon\.host/);
});
