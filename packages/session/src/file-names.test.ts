import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utf8Length } from '@beckon/protocol';
import { sanitizeFileName, uniqueName } from './file-names.ts';

test('path traversal and absolute paths keep only the last component', () => {
  const cases: [string, string][] = [
    ['../../etc/passwd', 'passwd'],
    ['/etc/shadow', 'shadow'],
    ['..\\..\\Windows\\System32\\drivers\\etc\\hosts', 'hosts'],
    ['C:\\Users\\x\\evil.exe', 'evil.exe'],
    ['C:evil.bat', 'C_evil.bat'],
    ['\\\\server\\share\\doc.txt', 'doc.txt'],
    ['dir/', 'file'],
    ['..', 'file'],
    ['.', 'file'],
    ['', 'file'],
    ['a/../../b.txt', 'b.txt'],
    ['....//....//x', 'x'],
  ];
  for (const [input, expected] of cases)
    assert.equal(sanitizeFileName(input), expected, JSON.stringify(input));
});

test('hidden files, controls, bidi tricks and forbidden characters are neutralized', () => {
  const cases: [string, string][] = [
    ['.bashrc', 'bashrc'],
    ['...hidden', 'hidden'],
    ['  .env  ', 'env'],
    ['trailing.', 'trailing'],
    ['trailing. . ', 'trailing'],
    ['nul\u0000byte.txt', 'nulbyte.txt'],
    ['line\nbreak\r.txt', 'linebreak.txt'],
    ['invoice\u202Egpj.exe', 'invoicegpj.exe'],
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['\u0007bell', 'bell'],
    ['caf\u0065\u0301.txt', 'caf\u00e9.txt'],
  ];
  for (const [input, expected] of cases)
    assert.equal(sanitizeFileName(input), expected, JSON.stringify(input));
});

test('Windows device names are never produced', () => {
  for (const name of [
    'CON',
    'con.txt',
    'Aux.tar.gz',
    'nul',
    'COM1',
    'lpt9.log',
    'COM\u00b9',
    'CON.',
    'conin$',
  ]) {
    const safe = sanitizeFileName(name);
    assert.ok(safe.startsWith('_'), `${name} → ${safe}`);
  }
  for (const name of ['console.txt', 'COM10', 'auxiliary', 'nul_', 'CONFIG.SYS']) {
    assert.equal(sanitizeFileName(name), name);
  }
});

test('long names are capped in UTF-8 bytes with the extension kept', () => {
  const long = `${'a'.repeat(500)}.pdf`;
  const safe = sanitizeFileName(long);
  assert.ok(utf8Length(safe) <= 200);
  assert.ok(safe.endsWith('.pdf'));
  const wide = `${'日本語'.repeat(100)}.txt`;
  const safeWide = sanitizeFileName(wide);
  assert.ok(utf8Length(safeWide) <= 200 && safeWide.endsWith('.txt'));
  const emoji = '😀'.repeat(100);
  const safeEmoji = sanitizeFileName(emoji);
  assert.ok(utf8Length(safeEmoji) <= 200);
  assert.ok(!/[\ud800-\udbff]$/.test(safeEmoji), 'no half surrogate pair');
  assert.equal(sanitizeFileName('x'.repeat(1024)).length, 200);
});

test('uniqueName never overwrites, also case-insensitively', () => {
  assert.equal(uniqueName([], 'a.txt'), 'a.txt');
  assert.equal(uniqueName(['a.txt'], 'a.txt'), 'a (1).txt');
  assert.equal(uniqueName(['A.TXT', 'a (1).txt'], 'a.txt'), 'a (2).txt');
  assert.equal(uniqueName(new Set(['report']), 'report'), 'report (1)');
  assert.equal(uniqueName(['archive.tar.gz'], 'archive.tar.gz'), 'archive.tar (1).gz');
  const long = sanitizeFileName(`${'b'.repeat(300)}.bin`);
  const next = uniqueName([long], long);
  assert.ok(utf8Length(next) <= 200 && next.endsWith(' (1).bin'), next);
  assert.equal(uniqueName(['.x'], '.x'), '.x (1)');
});
