import assert from 'node:assert/strict';
import { test } from 'node:test';
import { visibleText } from './visible-text.ts';

test('bidi overrides, isolates and marks show as their code points', () => {
  const cases: [string, string][] = [
    ['invoice\u202Egpj.exe', 'invoice⟨U+202E⟩gpj.exe'],
    ['\u202Aa\u202Bb\u202Cc\u202Dd', '⟨U+202A⟩a⟨U+202B⟩b⟨U+202C⟩c⟨U+202D⟩d'],
    ['x\u2066y\u2067z\u2068w\u2069', 'x⟨U+2066⟩y⟨U+2067⟩z⟨U+2068⟩w⟨U+2069⟩'],
    ['\u200Eltr\u200Frtl\u061Calm', '⟨U+200E⟩ltr⟨U+200F⟩rtl⟨U+061C⟩alm'],
  ];
  for (const [input, expected] of cases) assert.equal(visibleText(input), expected, JSON.stringify(input));
});

test('controls, zero-width and other invisible characters show; a name cannot hide a part of itself', () => {
  const cases: [string, string][] = [
    ['nul\u0000byte', 'nul⟨U+0000⟩byte'],
    ['line\nbreak\r\ttab', 'line⟨U+000A⟩break⟨U+000D⟩⟨U+0009⟩tab'],
    ['\u0007bell\u007f\u009b', '⟨U+0007⟩bell⟨U+007F⟩⟨U+009B⟩'],
    ['pay\u200Bpal', 'pay⟨U+200B⟩pal'],
    ['\uFEFFbom', '⟨U+FEFF⟩bom'],
    ['soft\u00ADhyphen', 'soft⟨U+00AD⟩hyphen'],
    ['a\u2028b\u2029c', 'a⟨U+2028⟩b⟨U+2029⟩c'],
    ['tag\u{E0041}', 'tag⟨U+E0041⟩'],
    ['lone\uD800surrogate', 'lone⟨U+D800⟩surrogate'],
  ];
  for (const [input, expected] of cases) assert.equal(visibleText(input), expected, JSON.stringify(input));
});

test('ordinary text of any script stays as it is', () => {
  for (const text of [
    'report.txt',
    'Grüße, 日本語, 한국어',
    'שלום.txt',
    'مرحبا.pdf',
    'می\u200Cخواهم', // Persian needs the zero-width non-joiner
    '👩\u200D👩\u200D👧', // an emoji family is joined by ZWJ
    '❤\uFE0F',
    '<img src=x onerror=alert(1)>',
    '⟨U+202E⟩ typed by someone',
  ])
    assert.equal(visibleText(text), text, JSON.stringify(text));
});

test('multiline keeps tabs and line breaks and still marks the rest', () => {
  assert.equal(visibleText('a\tb\r\nc\u202Ed\u0000', { multiline: true }), 'a\tb\r\nc⟨U+202E⟩d⟨U+0000⟩');
});

test('the same text twice gives the same answer (the pattern keeps no state)', () => {
  assert.equal(visibleText('a\u202Eb'), visibleText('a\u202Eb'));
});
