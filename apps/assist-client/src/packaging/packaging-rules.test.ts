import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { iconPlan } from './builder-config.ts';
import { parsePackageArgs } from './package-args.ts';
import { solidPng, TINY_JPEG } from '../testing/images.ts';
import { crossBuildNotes, findToolchain, packagingCommands, shellLine, signingPlan } from './toolchain.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('package-assist arguments', () => {
  const env = { BECKON_ADMIN_TOKEN: 'tok_from_env' };
  it('takes the broker, the token (flag or environment), the platform and the folder', () => {
    assert.deepEqual(parsePackageArgs(['--broker', 'https://help.example.com/'], env, 'linux'), {
      kind: 'run',
      args: {
        brokerUrl: 'https://help.example.com',
        token: 'tok_from_env',
        out: undefined,
        platform: 'linux',
        inputsOnly: false,
      },
    });
    const run = parsePackageArgs(
      [
        '--broker',
        'http://localhost:8080',
        '--token',
        'flag',
        '--platform',
        'mac',
        '--out',
        'x',
        '--inputs-only',
      ],
      env,
      'win32',
    );
    assert.ok(
      run.kind === 'run' && run.args.token === 'flag' && run.args.platform === 'mac' && run.args.inputsOnly,
    );
    const host = parsePackageArgs(['--broker', 'http://h'], env, 'win32');
    assert.ok(host.kind === 'run' && host.args.platform === 'win');
  });

  it('refuses anything else, clearly, and never echoes the token', () => {
    const error = (argv: string[], e: Record<string, string> = env) => {
      const r = parsePackageArgs(argv, e, 'linux');
      assert.equal(r.kind, 'error');
      return r.kind === 'error' ? r.message : '';
    };
    assert.match(error([]), /--broker is required/);
    assert.match(error(['--broker', 'file:///etc/passwd']), /--broker must be http\(s\)/);
    assert.match(error(['--broker', 'not a url']), /--broker must be a URL/);
    assert.match(
      error(['--broker', 'https://h'], {}),
      /no administrator token: pass --token or set BECKON_ADMIN_TOKEN/,
    );
    assert.match(
      error(['--broker', 'https://h', '--platform', 'beos']),
      /--platform must be linux, win or mac/,
    );
    assert.match(error(['--broker', 'https://h', '--colour', 'red']), /Unknown option '--colour'/);
    const secret = 'secret with spaces';
    const message = error(['--broker', 'https://h', '--token', secret]);
    assert.match(message, /printable ASCII without spaces/);
    assert.doesNotMatch(message, /secret/);
    assert.deepEqual(parsePackageArgs(['-h'], {}, 'linux'), { kind: 'help' });
  });
});

describe('the app icon', () => {
  it('is the logo where it is a square PNG big enough for the platform', () => {
    assert.deepEqual(iconPlan({ type: 'image/png', bytes: solidPng(512, 512) }), {
      platforms: ['linux', 'win', 'mac'],
      notes: [],
    });
    const mid = iconPlan({ type: 'image/png', bytes: solidPng(256, 256) });
    assert.deepEqual(mid.platforms, ['linux', 'win']);
    assert.match(mid.notes[0]!, /256x256: too small for the mac icon.*512x512/);
    const small = iconPlan({ type: 'image/png', bytes: solidPng(64, 64) });
    assert.deepEqual(small.platforms, []);
    assert.match(small.notes[0]!, /too small for the linux and win and mac icon/);
    assert.match(iconPlan({ type: 'image/png', bytes: solidPng(600, 300) }).notes[0]!, /not square/);
    assert.match(
      iconPlan({ type: 'image/jpeg', bytes: TINY_JPEG }).notes[0]!,
      /JPEG.*icon\.ico and icon\.icns/,
    );
    assert.match(iconPlan(null).notes[0]!, /no logo/);
  });
});

describe('what packaging needs here', () => {
  it('names each missing tool and why, and the commands it would run', () => {
    const project = mkdtempSync(join(tmpdir(), 'beckon-toolchain-'));
    dirs.push(project);
    const bare = findToolchain(project, project, { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    assert.equal(bare.electronBuilder, null);
    assert.equal(bare.missing.length, 3);
    assert.match(bare.missing.join('\n'), /electron-vite is not installed/);
    assert.match(bare.missing.join('\n'), /electron-builder is not installed/);
    assert.match(
      bare.missing.join('\n'),
      /no Electron binary \(ELECTRON_SKIP_BINARY_DOWNLOAD=1.*BECKON_ELECTRON=1/,
    );
    // The tools as pnpm lays them out, and an electron package whose binary was downloaded.
    mkdirSync(join(project, 'node_modules/.bin'), { recursive: true });
    mkdirSync(join(project, 'node_modules/electron'), { recursive: true });
    for (const tool of ['electron-vite', 'electron-builder'])
      writeFileSync(join(project, 'node_modules/.bin', tool), '');
    writeFileSync(join(project, 'node_modules/electron/path.txt'), 'electron');
    const ready = findToolchain(project, project, {});
    assert.deepEqual(ready.missing, []);
    const commands = packagingCommands(ready, project, '/out/my org/electron-builder.json', 'win');
    assert.deepEqual(commands[0]!.argv, [join(project, 'node_modules/.bin/electron-vite'), 'build']);
    assert.deepEqual(commands[1]!.argv.slice(1), [
      '--projectDir',
      project,
      '--config',
      '/out/my org/electron-builder.json',
      '--win',
    ]);
    assert.equal(shellLine(['a', "it's here", '/b c']), `a 'it'\\''s here' '/b c'`);
  });

  it('says whether the build will be signed, naming variables and never their values', () => {
    assert.equal(signingPlan('linux', {}).signed, 'no');
    assert.equal(signingPlan('win', {}).signed, 'no');
    const win = signingPlan('win', { CSC_LINK: '/secret/cert.pfx' });
    assert.equal(win.signed, 'yes');
    assert.match(win.lines.join(), /CSC_LINK.*CSC_KEY_PASSWORD is not set/);
    assert.doesNotMatch(win.lines.join(), /secret/);
    assert.equal(
      signingPlan('win', { WIN_CSC_LINK: 'x', WIN_CSC_KEY_PASSWORD: 'y' }).lines.join(),
      'Windows: signed with the certificate in WIN_CSC_LINK',
    );
    assert.equal(signingPlan('mac', {}).signed, 'maybe');
    assert.equal(signingPlan('mac', { CSC_IDENTITY_AUTO_DISCOVERY: 'false' }).signed, 'no');
    const mac = signingPlan('mac', {
      CSC_NAME: 'Acme',
      APPLE_API_KEY: 'k',
      APPLE_API_KEY_ID: 'i',
      APPLE_API_ISSUER: 's',
    });
    assert.equal(mac.signed, 'yes');
    assert.match(mac.lines.join('\n'), /notarized/);
    assert.deepEqual(crossBuildNotes('linux', 'linux'), []);
    assert.match(crossBuildNotes('mac', 'linux').join(), /on macOS only/);
    assert.match(crossBuildNotes('win', 'linux').join(), /Wine/);
  });
});
