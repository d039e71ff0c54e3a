import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClientConfigFileSchema, loadClientConfig } from '../desktop/client-config.ts';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { solidPng, TINY_JPEG, TINY_WEBP } from '../testing/images.ts';
import { findToolchain } from './toolchain.ts';

// `scripts/beckon package-assist` end to end: a real broker whose admin sets
// the branding through the real API, the packaging script as its own process,
// and the files it writes read back by the client's own loader. Without the
// Electron binary (this machine) the script must stop after the inputs and say
// why; where the tools exist it builds for real.

const PROJECT = resolve(import.meta.dirname, '../..');
const REPO = resolve(PROJECT, '../..');
const SCRIPT = join(PROJECT, 'scripts/package-client.ts');
const LOGO = solidPng(512, 512, [200, 30, 60]);

let broker: TestBroker;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-package-'));
  dirs.push(dir);
  return dir;
};

before(async () => {
  broker = await startBroker({ BECKON_ORG_NAME: 'Acme Support' });
});
after(async () => {
  await broker.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function setBranding(displayName: string | null, color: string, message: string | null) {
  const res = await broker.api.request('PUT', '/api/v1/admin/branding', { displayName, color, message });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function setLogo(contentType: string | null, bytes?: Buffer) {
  const res = contentType
    ? await broker.api.request('PUT', '/api/v1/admin/branding/logo', {
        contentType,
        data: bytes!.toString('base64'),
      })
    : await broker.api.request('DELETE', '/api/v1/admin/branding/logo');
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** Runs the packaging script as `scripts/beckon package-assist` does. */
function packageClient(args: string[], token = broker.token) {
  return new Promise<{ code: number | null; out: string; err: string }>((done) => {
    const env: NodeJS.ProcessEnv = { ...process.env, BECKON_ADMIN_TOKEN: token };
    for (const name of ['CSC_LINK', 'WIN_CSC_LINK', 'CSC_NAME']) delete env[name];
    const child = spawn(process.execPath, [SCRIPT, '--broker', broker.url, '--platform', 'linux', ...args], {
      env,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => done({ code, out, err }));
  });
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

describe('package-assist', () => {
  it('bakes the broker, name, colour, message and logo, and extends the base electron-builder config', async () => {
    await setBranding(
      'Acme Helpdesk',
      '#C81E3C',
      'Call us on 0800 123.\nWe only ever connect when you allow it.',
    );
    await setLogo('image/png', LOGO);
    const out = tempDir();
    const run = await packageClient(['--out', out, '--inputs-only']);
    assert.equal(run.code, 0, run.err + run.out);
    assert.match(run.out, /product name {2}Acme Helpdesk Assist/);
    assert.match(run.out, /Linux: AppImages are not signed/);
    assert.match(run.out, /inputs only \(--inputs-only\): no installer built/);
    assert.match(run.out, /electron-builder --projectDir \S+ --config \S+electron-builder\.json --linux/);

    const resources = join(out, 'resources');
    const written = ClientConfigFileSchema.parse(readJson(join(resources, 'beckon-assist.json')));
    assert.deepEqual(written, {
      brokerUrl: broker.url,
      branding: {
        orgName: 'Acme Helpdesk',
        color: '#c81e3c',
        message: 'Call us on 0800 123.\nWe only ever connect when you allow it.',
        logo: 'logo.png',
      },
    });
    assert.deepEqual(readFileSync(join(resources, 'logo.png')), LOGO);

    // The client reads it back exactly as a packaged app would from process.resourcesPath.
    const loaded = loadClientConfig({}, resources);
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.config.branding, {
      orgName: 'Acme Helpdesk',
      brand: {
        color: '#c81e3c',
        message: 'Call us on 0800 123.\nWe only ever connect when you allow it.',
        logo: `data:image/png;base64,${LOGO.toString('base64')}`,
      },
    });

    const config = readJson(join(out, 'electron-builder.json')) as Record<string, unknown>;
    const base = join(REPO, 'build/assist-client.electron-builder.yml');
    assert.ok(existsSync(base));
    assert.deepEqual(config, {
      extends: `file:${base}`,
      appId: 'org.beckon.assist.acmehelpdesk',
      productName: 'Acme Helpdesk Assist',
      extraMetadata: { productName: 'Acme Helpdesk Assist' },
      artifactName: 'acme-helpdesk-assist-${version}.${ext}',
      portable: { artifactName: 'acme-helpdesk-assist-${version}-portable.${ext}' },
      directories: { output: join(out, 'installers') },
      extraResources: [{ from: resources, to: '.', filter: ['beckon-assist.json', 'logo.png'] }],
      linux: { icon: join(resources, 'logo.png') },
      win: { icon: join(resources, 'logo.png') },
      mac: { icon: join(resources, 'logo.png') },
    });
  });

  it('without the tools it stops after the inputs and says what would run and why (or builds where it can)', async () => {
    const out = tempDir();
    const run = await packageClient(['--out', out]);
    const tools = findToolchain(PROJECT, REPO, process.env);
    assert.ok(existsSync(join(out, 'resources/beckon-assist.json')));
    if (tools.missing.length) {
      assert.equal(run.code, 3, run.err + run.out);
      assert.match(run.out, /NOT PACKAGED: installers cannot be built on this machine/);
      for (const reason of tools.missing) assert.ok(run.out.includes(reason), reason);
      assert.match(
        run.out,
        /would run, in .*assist-client:\n {2}\S*electron-vite build\n {2}\S*electron-builder /,
      );
      assert.ok(!existsSync(join(out, 'installers')));
    } else {
      // A machine with electron-builder and Electron: the real thing.
      assert.equal(run.code, 0, run.err + run.out);
      assert.ok(existsSync(join(out, 'installers', 'acme-helpdesk-assist-0.1.0.AppImage')));
    }
  });

  it('gives a hostile or foreign organisation name safe product and file names, and bakes it as data', async () => {
    await setLogo(null);
    const names = ['../../x', '<img src=x onerror=alert(1)>', 'Ω'.repeat(200), '株式会社テスト サポート'];
    for (const name of names) {
      await setBranding(name, '#1f6feb', null);
      const out = tempDir();
      const run = await packageClient(['--out', out, '--inputs-only']);
      assert.equal(run.code, 0, run.err + run.out);
      const config = readJson(join(out, 'electron-builder.json')) as Record<string, string>;
      assert.match(config['productName']!, /^[\p{L}\p{N} -]{1,40} Assist$/u, name);
      assert.match(config['appId']!, /^org\.beckon\.assist\.[a-z0-9]+$/);
      assert.match(config['artifactName']!, /^[a-z0-9-]+-assist-\$\{version\}\.\$\{ext\}$/);
      // The name itself is data: JSON-escaped in the file, shown by the windows as text.
      const loaded = loadClientConfig({}, join(out, 'resources'));
      assert.ok(loaded.ok && loaded.config.branding?.orgName === name);
      assert.equal(loaded.ok && loaded.config.branding?.brand.logo, null);
    }
    // Where the packager puts things by default is named from the slug, never a path in the name.
    await setBranding('../../x', '#1f6feb', null);
    const run = await packageClient(['--inputs-only']);
    assert.equal(run.code, 0, run.err + run.out);
    const defaultOut = join(PROJECT, 'dist', 'x');
    dirs.push(defaultOut);
    assert.ok(existsSync(join(defaultOut, 'resources', 'beckon-assist.json')));
    const config = readJson(join(defaultOut, 'electron-builder.json')) as Record<string, string>;
    assert.equal(config['productName'], 'x Assist');
  });

  it('bakes a JPEG for the windows and keeps the default icon, saying what an icon needs', async () => {
    await setBranding(null, '#00aa55', null);
    await setLogo('image/jpeg', TINY_JPEG);
    const out = tempDir();
    const run = await packageClient(['--out', out, '--inputs-only']);
    assert.equal(run.code, 0, run.err + run.out);
    assert.match(run.out, /the logo is a JPEG.*512x512.*icon\.ico and icon\.icns/);
    assert.deepEqual(readFileSync(join(out, 'resources/logo.jpg')), TINY_JPEG);
    const config = readJson(join(out, 'electron-builder.json')) as Record<string, unknown>;
    assert.equal(config['productName'], 'Acme Support Assist');
    assert.equal(config['linux'], undefined);
    const loaded = loadClientConfig({}, join(out, 'resources'));
    assert.ok(loaded.ok && loaded.config.branding?.brand.logo?.startsWith('data:image/jpeg;base64,'));
  });

  it('refuses a logo it cannot bake, and a token that is not an admin sign-in, writing nothing', async () => {
    await setLogo('image/webp', TINY_WEBP);
    const out = join(tempDir(), 'never');
    const webp = await packageClient(['--out', out]);
    assert.equal(webp.code, 1);
    assert.match(
      webp.err,
      /logo cannot be baked into a client: the logo is image\/webp; expected PNG or JPEG\. Upload a PNG/,
    );
    assert.ok(!existsSync(out));

    const denied = await packageClient(['--out', out], 'not-a-token');
    assert.equal(denied.code, 1);
    assert.match(
      denied.err,
      /the broker refused \/api\/v1\/admin\/branding: HTTP 401.*administrator's sign-in token/,
    );
    assert.doesNotMatch(denied.err, /not-a-token/);
    assert.ok(!existsSync(out));
  });
});
