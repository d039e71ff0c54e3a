import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileManager } from './file-manager.ts';

// The file manager's confinement on a real directory tree with real
// symlinks: only the allowed folder, whatever the provider sends.
//
//   base/home/           (allowed)
//     docs/a.txt
//     out-link -> base/secret      (a symlink out)
//     file-link -> base/secret/key (a symlink out, to a file)
//     in-link -> base/home/docs    (a symlink that stays inside)
//   base/secret/key
//   base/home-evil/x     (a sibling whose name starts like the allowed folder)

let base: string;
let home: string;
let fm: FileManager;

before(() => {
  base = mkdtempSync(join(tmpdir(), 'beckon-fm-'));
  home = join(base, 'home');
  mkdirSync(join(home, 'docs'), { recursive: true });
  writeFileSync(join(home, 'docs', 'a.txt'), 'hello');
  mkdirSync(join(base, 'secret'));
  writeFileSync(join(base, 'secret', 'key'), 'SECRET');
  mkdirSync(join(base, 'home-evil'));
  writeFileSync(join(base, 'home-evil', 'x'), 'x');
  symlinkSync(join(base, 'secret'), join(home, 'out-link'));
  symlinkSync(join(base, 'secret', 'key'), join(home, 'file-link'));
  symlinkSync(join(home, 'docs'), join(home, 'in-link'));
  fm = new FileManager([home]);
});
after(() => rmSync(base, { recursive: true, force: true }));

const list = (path: string, root = 0) => fm.handle({ type: 'fm_list', id: 'l', root, path });
const code = (r: { type: string; code?: string }) => (r.type === 'fm_error' ? r.code : r.type);

test('lists inside the allowed folder, symlinks shown as symlinks', async () => {
  const r = await list('');
  assert.equal(r.type, 'fm_listing');
  const names = r.type === 'fm_listing' ? r.entries.map((e) => `${e.name}:${e.kind}`).sort() : [];
  assert.deepEqual(names, ['docs:dir', 'file-link:symlink', 'in-link:symlink', 'out-link:symlink']);
  assert.equal(code(await list('in-link')), 'fm_listing', 'a link that stays inside is fine');
});

test('.., absolute paths, symlinks out and control characters are refused on the host', async () => {
  const refused: [string, string][] = [
    ['..', 'bad_name'],
    ['docs/..', 'bad_name'],
    ['docs/../..', 'bad_name'],
    ['./docs', 'bad_name'],
    ['/etc', 'bad_name'],
    [base, 'bad_name'],
    ['C:/Windows', 'bad_name'],
    ['docs\\..\\..', 'bad_name'],
    ['docs//a.txt', 'bad_name'],
    ['out-link', 'outside_allowed'],
    ['out-link/', 'bad_name'],
    ['docs/a\u0007.txt', 'bad_name'],
    ['docs/a\n.txt', 'bad_name'],
    ['docs/a\u202e.txt', 'bad_name'],
    ['../home-evil', 'bad_name'],
  ];
  for (const [path, expected] of refused)
    assert.equal(code(await list(path)), expected, JSON.stringify(path));
  assert.equal(code(await list('', 1)), 'outside_allowed', 'no second allowed folder');
  const dl = await fm.source(0, 'file-link');
  assert.ok(!('ok' in dl), 'a link to a file outside is not downloaded');
  assert.equal((dl as { code: string }).code, 'outside_allowed');
  assert.equal(
    code(await fm.handle({ type: 'fm_delete', id: 'd', root: 0, path: 'out-link/key' })),
    'outside_allowed',
  );
  assert.ok(existsSync(join(base, 'secret', 'key')), 'nothing outside was touched');
});

test('rename and delete inside; never onto an existing name, never the allowed folder itself, never out', async () => {
  writeFileSync(join(home, 'docs', 'b.txt'), 'b');
  assert.equal(
    code(await fm.handle({ type: 'fm_rename', id: 'r', root: 0, from: 'docs/b.txt', to: 'docs/c.txt' })),
    'fm_done',
  );
  assert.equal(readFileSync(join(home, 'docs', 'c.txt'), 'utf8'), 'b');
  assert.equal(
    code(await fm.handle({ type: 'fm_rename', id: 'r', root: 0, from: 'docs/c.txt', to: 'docs/a.txt' })),
    'exists',
  );
  assert.equal(
    code(await fm.handle({ type: 'fm_rename', id: 'r', root: 0, from: 'docs/c.txt', to: '../c.txt' })),
    'bad_name',
  );
  assert.equal(
    code(await fm.handle({ type: 'fm_rename', id: 'r', root: 0, from: 'docs/c.txt', to: 'out-link/c.txt' })),
    'outside_allowed',
  );
  assert.equal(
    code(
      await fm.handle({ type: 'fm_rename', id: 'r', root: 0, from: 'docs/c.txt', to: 'docs/c\u0000.txt' }),
    ),
    'bad_name',
  );
  assert.equal(code(await fm.handle({ type: 'fm_delete', id: 'd', root: 0, path: '' })), 'outside_allowed');
  assert.equal(code(await fm.handle({ type: 'fm_delete', id: 'd', root: 0, path: 'docs/c.txt' })), 'fm_done');
  assert.ok(!existsSync(join(home, 'docs', 'c.txt')));
});

test('download and upload go through the same checks; an upload never overwrites', async () => {
  const dl = await fm.source(0, 'docs/a.txt');
  assert.ok('ok' in dl && dl.ok);
  if ('ok' in dl) {
    assert.equal(Buffer.from(await dl.source.read(0, 5)).toString(), 'hello');
    await dl.close();
  }
  const up = await fm.sink(0, 'docs/new.bin');
  assert.ok('ok' in up);
  if ('ok' in up) {
    await up.sink.write(new Uint8Array([1, 2, 3]));
    await up.sink.close();
  }
  assert.deepEqual([...readFileSync(join(home, 'docs', 'new.bin'))], [1, 2, 3]);
  assert.equal(
    (await fm.sink(0, 'docs/new.bin')) && ((await fm.sink(0, 'docs/new.bin')) as { code: string }).code,
    'exists',
  );
  assert.equal(((await fm.sink(0, 'out-link/planted')) as { code: string }).code, 'outside_allowed');
  assert.ok(!existsSync(join(base, 'secret', 'planted')));
});
