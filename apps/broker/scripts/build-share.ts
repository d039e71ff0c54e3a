// Part of the broker's build: bundles the landing page's "share from this
// browser" script (src/landing/share/share-page.ts and @beckon/session) into
// one file the broker serves as /landing/share.js under its CSP (script-src 'self').
import { build } from 'rolldown';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
await build({
  input: join(root, 'src/landing/share/share-page.ts'),
  platform: 'browser',
  logLevel: 'warn',
  output: { file: join(root, 'dist/landing/share.js'), format: 'iife', minify: true },
});
