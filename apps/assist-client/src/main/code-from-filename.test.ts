import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeFromFilename, parseSessionCode } from './code-from-filename.ts';

describe('codeFromFilename', () => {
  for (const [name, code] of [
    ['BeckonAssist-s12345678.exe', 's12345678'],
    ['C:\\Users\\me\\Downloads\\BeckonAssist-s12345678 (1).exe', 's12345678'],
    ['/home/me/Downloads/BeckonAssist-S87654321.AppImage', 's87654321'],
    ['s00000001.exe', 's00000001'],
    ['BeckonAssist_s12345678_s12345678.exe', 's12345678'],
  ] as const) {
    it(`finds ${code} in ${name}`, () => {
      assert.equal(codeFromFilename(name), code);
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
      assert.equal(codeFromFilename(name), null);
    });
  }
});

describe('parseSessionCode', () => {
  it('accepts the plain and the displayed form', () => {
    assert.equal(parseSessionCode('s12345678'), 's12345678');
    assert.equal(parseSessionCode(' S12-345-678 '), 's12345678');
  });

  it('rejects anything else', () => {
    for (const bad of ['12345678', 's1234567', 's12-345-6789', 's12_345_678', 'x12345678']) {
      assert.equal(parseSessionCode(bad), null, bad);
    }
  });
});
