import { ASSIST_BUNDLE_DIR } from '@beckon/protocol';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Builds the self-contained Linux assist bundle (`BeckonAssist-linux.tar.gz`):
 *
 *   BeckonAssist/beckon-assist            the launcher (src/bundle/launcher.sh)
 *   BeckonAssist/lib/node                 this Node runtime (the one setup installs)
 *   BeckonAssist/lib/app/beckon-assist.mjs the host engine and everything it imports, one file
 *   BeckonAssist/lib/beckon_capture.node  packages/capture's addon (MIT-SHM, C I420)
 *   BeckonAssist/lib/node_modules/…       the packages with native code, as installed
 *
 * The archive has no end-of-archive blocks: the broker appends, per download, a
 * second gzip member with `beckon-assist.json` (its address), the launcher link
 * named after the session code, and the end blocks (landing/bundle-download.ts).
 * Concatenated gzip members are one stream to gunzip and tar.
 */

const PROJECT_DIR = resolve(import.meta.dirname, '../..');
const REPO_ROOT = resolve(PROJECT_DIR, '../..');
export const BUNDLE_FILE = join(PROJECT_DIR, 'out/bundle/BeckonAssist-linux.tar.gz');

/**
 * The packages the bundle cannot inline: they load `.node` files by paths of
 * their own. Each is looked up from the package that depends on it, as Node
 * would; `deps` copies its (installed) dependencies too. nut-js is only
 * resolved, never loaded (capture calls libnut directly), so none of its own
 * dependencies come along.
 */
const NATIVE: { name: string; from: string; deps: boolean }[] = [
  { name: '@roamhq/wrtc', from: PROJECT_DIR, deps: true },
  { name: '@nut-tree-fork/nut-js', from: join(REPO_ROOT, 'packages/capture'), deps: false },
  { name: '@nut-tree-fork/libnut', from: '@nut-tree-fork/nut-js', deps: false },
  { name: '@nut-tree-fork/libnut-linux', from: '@nut-tree-fork/libnut', deps: true },
];

/** The folder of installed package `name` as Node finds it from `fromDir`, or null. */
function packageDir(name: string, fromDir: string): string | null {
  const paths = createRequire(join(fromDir, 'package.json')).resolve.paths(name) ?? [];
  for (const p of paths) {
    const dir = join(p, name);
    if (existsSync(join(dir, 'package.json'))) return realpathSync(dir);
  }
  return null;
}

function copyPackages(modules: string): void {
  const found = new Map<string, string>();
  const copy = (name: string, fromDir: string, deps: boolean) => {
    if (found.has(name)) return;
    const dir = packageDir(name, fromDir);
    if (!dir) throw new Error(`${name} is not installed (from ${fromDir}); run scripts/beckon setup`);
    found.set(name, dir);
    cpSync(dir, join(modules, name), { recursive: true, dereference: true });
    if (!deps) return;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(pkg.dependencies ?? {})) copy(dep, dir, true);
    // Optional ones are the other platforms' binaries: only those installed here come along.
    for (const dep of Object.keys(pkg.optionalDependencies ?? {}))
      if (packageDir(dep, dir)) copy(dep, dir, true);
  };
  for (const n of NATIVE) copy(n.name, found.get(n.from) ?? n.from, n.deps);
}

/** One JavaScript file of the engine and its pure-JS dependencies (zod, systeminformation). */
async function bundleApp(outFile: string): Promise<void> {
  const { build } = await import('rolldown');
  await build({
    input: join(PROJECT_DIR, 'src/bundle/entry.ts'),
    platform: 'node',
    logLevel: 'warn',
    external: [/^@roamhq\/wrtc/, /^@nut-tree-fork\//],
    // Every bundled module shares the entry's import.meta: a module's own
    // "am I the main program" check must not fire inside the bundle.
    transform: { define: { 'import.meta.main': 'false' } },
    output: { file: outFile, format: 'esm', codeSplitting: false },
  });
}

/** A ustar archive without its end: every entry's 512-byte blocks, then the two zero blocks cut off. */
export function withoutEnd(tar: Buffer): Buffer {
  const end = tar.length - 1024;
  if (end < 0 || tar.subarray(end).some((b) => b !== 0))
    throw new Error('not a tar ending in two zero blocks');
  return tar.subarray(0, end);
}

export interface BuildResult {
  file: string;
  bytes: number;
  ms: number;
}

export async function buildLinuxBundle(
  opts: { out?: string; nodeBinary?: string } = {},
): Promise<BuildResult> {
  const started = Date.now();
  const out = opts.out ?? BUNDLE_FILE;
  const staging = `${out}.staging`;
  rmSync(staging, { recursive: true, force: true });
  const root = join(staging, ASSIST_BUNDLE_DIR);
  const lib = join(root, 'lib');
  mkdirSync(join(lib, 'app'), { recursive: true });

  await bundleApp(join(lib, 'app/beckon-assist.mjs'));
  cpSync(opts.nodeBinary ?? process.execPath, join(lib, 'node'));
  chmodSync(join(lib, 'node'), 0o755);
  const addon = join(REPO_ROOT, 'packages/capture/build/beckon_capture.node');
  // Without the addon capture still works (GetImage and the JS converter), only slower.
  if (existsSync(addon)) cpSync(addon, join(lib, 'beckon_capture.node'));
  copyPackages(join(lib, 'node_modules'));
  cpSync(join(PROJECT_DIR, 'src/bundle/launcher.sh'), join(root, 'beckon-assist'));
  chmodSync(join(root, 'beckon-assist'), 0o755);

  // GNU tar, one 512-byte record per block (-b1) so the end is exactly two zero
  // blocks; owner, order and times fixed so equal inputs make an equal archive.
  const tar = execFileSync(
    'tar',
    [
      '--format=ustar',
      '-b1',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--sort=name',
      '--mtime=@1700000000',
      '-C',
      staging,
      '-cf',
      '-',
      ASSIST_BUNDLE_DIR,
    ],
    { maxBuffer: 1 << 30 },
  );
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, gzipSync(withoutEnd(tar), { level: 6 }));
  execFileSync('mv', ['-f', `${out}.tmp`, out]);
  rmSync(staging, { recursive: true, force: true });
  return { file: out, bytes: readFileSync(out).length, ms: Date.now() - started };
}
