import { LOGO_MAX_BYTES } from '@beckon/protocol';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { solidPng, TINY_JPEG, TINY_WEBP } from '../testing/images.ts';
import { CLIENT_CONFIG_FILE, clientTitle, loadClientConfig } from './client-config.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A resources folder as a packaged app has it: beckon-assist.json and maybe a logo beside it. */
function resources(config: unknown, files: Record<string, Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-resources-'));
  dirs.push(dir);
  writeFileSync(join(dir, CLIENT_CONFIG_FILE), typeof config === 'string' ? config : JSON.stringify(config));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}

const branding = {
  orgName: 'Acme Support',
  color: '#00AA55',
  message: 'We help.\nCall us.',
  logo: 'logo.png',
};
const PNG = solidPng(16, 16);

function refused(dir: string): string {
  const result = loadClientConfig({}, dir);
  assert.equal(result.ok, false);
  return result.ok ? '' : result.message;
}

describe('loadClientConfig with baked branding', () => {
  it('reads the branding and hands the logo over as a checked data: URL', () => {
    const dir = resources({ brokerUrl: 'https://help.example.com/', branding }, { 'logo.png': PNG });
    const result = loadClientConfig({}, dir);
    assert.deepEqual(result, {
      ok: true,
      config: {
        brokerUrl: 'https://help.example.com',
        branding: {
          orgName: 'Acme Support',
          brand: {
            color: '#00aa55',
            message: 'We help.\nCall us.',
            logo: `data:image/png;base64,${PNG.toString('base64')}`,
          },
        },
      },
    });
    assert.equal(clientTitle(result.ok ? result.config : null), 'Acme Support Assist');
  });

  it('takes a JPEG, or no logo at all; without a branding block nothing is baked', () => {
    const jpeg = resources(
      { brokerUrl: 'https://h.example', branding: { ...branding, logo: 'logo.jpg' } },
      {
        'logo.jpg': TINY_JPEG,
      },
    );
    const withJpeg = loadClientConfig({}, jpeg);
    assert.ok(withJpeg.ok && withJpeg.config.branding?.brand.logo?.startsWith('data:image/jpeg;base64,'));
    const none = loadClientConfig(
      {},
      resources({ brokerUrl: 'https://h.example', branding: { ...branding, logo: null } }),
    );
    assert.ok(none.ok && none.config.branding?.brand.logo === null);
    const plain = loadClientConfig({}, resources({ brokerUrl: 'https://h.example' }));
    assert.deepEqual(plain, { ok: true, config: { brokerUrl: 'https://h.example' } });
    assert.equal(clientTitle(plain.ok ? plain.config : null), 'Beckon Assist');
  });

  it('BECKON_BROKER_URL (development) replaces the file, branding included', () => {
    const dir = resources({ brokerUrl: 'https://h.example', branding }, { 'logo.png': PNG });
    assert.deepEqual(loadClientConfig({ BECKON_BROKER_URL: 'http://localhost:8080' }, dir), {
      ok: true,
      config: { brokerUrl: 'http://localhost:8080' },
    });
    // Refused with a message, not thrown (zod refines even after a failed URL check).
    const bad = loadClientConfig({ BECKON_BROKER_URL: 'not a url' }, dir);
    assert.ok(!bad.ok && /^invalid client configuration \(BECKON_BROKER_URL\)/.test(bad.message));
  });

  it('refuses a logo that is not what its name says, not an image, missing or too large', () => {
    const base = { brokerUrl: 'https://h.example', branding };
    assert.match(
      refused(resources(base, { 'logo.png': TINY_JPEG })),
      /logo\.png: the file holds image\/jpeg/,
    );
    assert.match(refused(resources(base, { 'logo.png': TINY_WEBP })), /logo\.png: the logo is image\/webp/);
    assert.match(
      refused(resources(base, { 'logo.png': Buffer.from('<svg onload="alert(1)"/>') })),
      /logo\.png: the logo is not an image/,
    );
    assert.match(refused(resources(base)), /logo\.png: ENOENT/);
    const big = Buffer.concat([PNG, Buffer.alloc(LOGO_MAX_BYTES)]);
    assert.match(
      refused(resources(base, { 'logo.png': big })),
      /logo\.png: \d+ bytes; a logo may have at most 262144/,
    );
  });

  it('refuses a configuration that is not exactly the schema, with a clear message', () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /no broker configured \(beckon-assist\.json: .*JSON/],
      [
        { brokerUrl: 'https://h.example', branding: { ...branding, logo: '../../etc/passwd' } },
        /branding\.logo/,
      ],
      [
        { brokerUrl: 'https://h.example', branding: { ...branding, color: 'red;background:url(x)' } },
        /branding\.color/,
      ],
      [
        { brokerUrl: 'https://h.example', branding: { ...branding, orgName: 'a\u0007b' } },
        /branding\.orgName/,
      ],
      [
        { brokerUrl: 'https://h.example', branding: { ...branding, script: 'x' } },
        /Unrecognized key.*script/,
      ],
      [{ brokerUrl: 'javascript:alert(1)', branding }, /brokerUrl/],
    ];
    for (const [config, message] of cases) {
      const text = refused(resources(config, { 'logo.png': PNG }));
      assert.match(text, /^(invalid client configuration|no broker configured)/);
      assert.match(text, message);
    }
  });
});
