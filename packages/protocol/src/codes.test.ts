import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatSessionCode,
  generateSessionCode,
  parseSessionCode,
  sessionCodeFromFileName,
  TypedSessionCodeSchema,
} from './codes.ts';
import { parseWith } from './parse.ts';

test('10,000 generated codes format and parse back', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const code = generateSessionCode();
    assert.match(code, /^s\d{8}$/);
    const shown = formatSessionCode(code);
    assert.match(shown, /^s\d{2}-\d{3}-\d{3}$/);
    assert.equal(parseSessionCode(shown), code);
    assert.equal(parseSessionCode(code), code);
    seen.add(code);
  }
  // 10^4 draws from 10^8: a handful of collisions at most (expected ~0.5).
  assert.ok(seen.size >= 9_990, `too many repeats: ${10_000 - seen.size}`);
});

test('every digit position is uniform (chi-square, 9 d.o.f., loose bound)', () => {
  const n = 20_000;
  const counts = Array.from({ length: 8 }, () => new Array<number>(10).fill(0));
  for (let i = 0; i < n; i++) {
    const code = generateSessionCode();
    for (let p = 0; p < 8; p++) (counts[p] as number[])[Number(code[p + 1])]! += 1;
  }
  const expected = n / 10;
  for (let p = 0; p < 8; p++) {
    const chi2 = (counts[p] as number[]).reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // p = 0.0001 critical value for 9 degrees of freedom is 33.7: a real bias
    // (one digit 10% more frequent) lands far above, chance practically never.
    assert.ok(chi2 < 33.7, `position ${p}: chi2 ${chi2.toFixed(1)} ${JSON.stringify(counts[p])}`);
  }
});

test('accepts what people type', () => {
  for (const typed of [
    's12-345-678',
    'S12 345 678',
    '12345678',
    's12345678',
    ' s12-345-678 ',
    '12-345-678',
    'S 12345678',
  ]) {
    assert.equal(parseSessionCode(typed), 's12345678', typed);
  }
});

test('rejects everything else', () => {
  for (const bad of [
    '',
    's1234567',
    's123456789',
    'x12345678',
    's12--345-678',
    's12_345_678',
    'ss12345678',
    '１２３４５６７８',
    's12-345-67a',
    '12345678s',
    's12-345-678\n9',
    's'.padEnd(40, '1'),
    '+12345678',
  ]) {
    assert.equal(parseSessionCode(bad), null, JSON.stringify(bad));
  }
  const result = parseWith(TypedSessionCodeSchema, 'abc');
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.error.code, 'validation_failed');
});

describe('sessionCodeFromFileName', () => {
  for (const [name, code] of [
    ['BeckonAssist-s12345678.exe', 's12345678'],
    ['C:\\Users\\me\\Downloads\\BeckonAssist-s12345678 (1).exe', 's12345678'],
    ['/home/me/Downloads/BeckonAssist-S87654321.AppImage', 's87654321'],
    ['s00000001.exe', 's00000001'],
    ['BeckonAssist_s12345678_s12345678.exe', 's12345678'],
  ] as const) {
    it(`finds ${code} in ${name}`, () => {
      assert.equal(sessionCodeFromFileName(name), code);
    });
  }

  for (const name of [
    'BeckonAssist.exe',
    'BeckonAssist-s1234567.exe',
    'BeckonAssist-s123456789.exe',
    'BeckonAssists12345678.exe',
    'BeckonAssist-s12345678-s87654321.exe',
    '/tmp/s12345678/BeckonAssist.exe',
    'BeckonAssist-x12345678.exe',
  ]) {
    it(`finds no code in ${name}`, () => {
      assert.equal(sessionCodeFromFileName(name), null);
    });
  }
});
