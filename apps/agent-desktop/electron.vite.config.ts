import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
};

// Workspace packages ship TypeScript sources: bundle them. Native modules must
// stay external so they load from node_modules at run time.
const workspacePackages = Object.keys(pkg.dependencies ?? {}).filter((name) => name.startsWith('@beckon/'));
const nativeModules = ['@roamhq/wrtc', '@nut-tree-fork/nut-js', 'better-sqlite3'];

export default defineConfig({
  main: {
    build: {
      externalizeDeps: { exclude: workspacePackages, include: nativeModules },
      rolldownOptions: { input: { index: resolve(root, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads can only require('electron'): every preload is one
      // self-contained CommonJS file, with nothing external and no shared chunks.
      externalizeDeps: false,
      isolatedEntries: true,
      rolldownOptions: {
        input: { console: resolve(root, 'src/preload/console.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    // Also served by the broker as the web console under /console/: relative asset URLs.
    root: resolve(root, 'src/renderer/console'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(root, 'src/renderer/console/index.html') } },
    },
  },
});
