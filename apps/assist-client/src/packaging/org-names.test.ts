import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appId, artifactNames, expandArtifactName, orgSlug, productName } from './org-names.ts';

/** What every name must be safe as: a file or folder name on Windows, macOS and Linux. */
function assertSafeFileName(name: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  assert.doesNotMatch(name, /[/\\<>:"|?*\u0000-\u001f]/, name);
  assert.doesNotMatch(name, /\.\./, name);
  assert.doesNotMatch(name, /^[.\s]|[.\s]$/, name);
}

describe('the names a custom client is built under', () => {
  const hostile = [
    '../../x',
    '..\\..\\windows\\system32',
    '<img src=x onerror=alert(1)>',
    '"; rm -rf / #',
    '$(touch /tmp/pwned)`id`',
    'Evil\u202eexe.txt',
    'a'.repeat(500),
    '株式会社テスト',
    '   ',
    '...',
  ];

  for (const name of hostile) {
    it(`${JSON.stringify(name.slice(0, 40))} gives safe names`, () => {
      const product = productName(name);
      assertSafeFileName(product);
      assert.match(product, /^[\p{L}\p{M}\p{N} _-]+ Assist$/u);
      assert.ok(Array.from(product).length <= 40 + ' Assist'.length);
      const slug = orgSlug(name);
      assert.match(slug, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(slug.length <= 40);
      assert.match(appId(slug), /^org\.beckon\.assist\.[a-z0-9]+$/);
      const { installer, portable } = artifactNames(slug);
      for (const file of [installer, portable].map((t) => expandArtifactName(t, '1.2.3', 'exe')))
        assertSafeFileName(file);
    });
  }

  it('keeps what a real name is made of', () => {
    assert.equal(productName('Acme Support'), 'Acme Support Assist');
    assert.equal(productName('Müller & Söhne GmbH'), 'Müller Söhne GmbH Assist');
    assert.equal(productName('株式会社テスト'), '株式会社テスト Assist');
    assert.equal(productName('한국 지원팀'), '한국 지원팀 Assist');
    assert.equal(productName('../../x'), 'x Assist');
    assert.equal(productName('<img src=x onerror=alert(1)>'), 'img src x onerror alert 1 Assist');
    assert.equal(productName('<>'), 'Beckon Assist');
    assert.equal(orgSlug('Acme Support'), 'acme-support');
    assert.equal(orgSlug('Müller & Söhne GmbH'), 'muller-sohne-gmbh');
    assert.equal(orgSlug('../../x'), 'x');
    assert.equal(appId(orgSlug('Acme Support')), 'org.beckon.assist.acmesupport');
    assert.equal(
      expandArtifactName(artifactNames('acme-support').installer, '0.1.0', 'AppImage'),
      'acme-support-assist-0.1.0.AppImage',
    );
  });

  it('gives a name without ASCII a stable slug of its own', () => {
    assert.match(orgSlug('株式会社テスト'), /^org-[0-9a-f]{10}$/);
    assert.equal(orgSlug('株式会社テスト'), orgSlug('株式会社テスト'));
    assert.notEqual(orgSlug('株式会社テスト'), orgSlug('株式会社サンプル'));
  });
});
