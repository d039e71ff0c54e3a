import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rendererPage } from './renderer-page.ts';

it('loads the built file in a packaged app, even with a dev server named', () => {
  const source = rendererPage({
    packaged: true,
    devServer: 'http://localhost:5173',
    outDir: '/app/out',
    page: 'consent',
  });
  assert.deepEqual(source, { file: '/app/out/renderer/consent/index.html' });
});

it('loads from the dev server in development', () => {
  assert.deepEqual(
    rendererPage({ packaged: false, devServer: 'http://localhost:5173', outDir: '/o', page: 'files' }),
    {
      url: 'http://localhost:5173/files/index.html',
    },
  );
  assert.deepEqual(
    rendererPage({ packaged: false, devServer: 'http://localhost:5173', outDir: '/o', page: '' }),
    {
      url: 'http://localhost:5173',
    },
  );
  assert.deepEqual(rendererPage({ packaged: false, devServer: undefined, outDir: '/o', page: '' }), {
    file: '/o/renderer/index.html',
  });
});
