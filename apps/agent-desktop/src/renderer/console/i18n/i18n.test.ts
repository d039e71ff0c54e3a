import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode, LANGUAGES, SESSION_EVENTS, SESSION_STATUSES } from '@beckon/protocol';
import { en, type MessageKey } from './catalog-en.ts';
import {
  CATALOGS,
  LANGUAGE_NAMES,
  checkTimeZone,
  detectLanguage,
  formatDateTime,
  formatNumber,
  placeholders,
  translate,
} from './i18n.ts';

const keys = Object.keys(en) as MessageKey[];

describe('catalogs', () => {
  for (const language of LANGUAGES) {
    it(`${language} has every key, nothing else, and the same placeholders`, () => {
      const catalog = CATALOGS[language] as Record<string, string>;
      assert.deepEqual(Object.keys(catalog).sort(), [...keys].sort());
      for (const key of keys) {
        const text = catalog[key];
        assert.ok(typeof text === 'string' && text.trim().length > 0, `${language}: ${key} is empty`);
        assert.deepEqual(placeholders(text), placeholders(en[key]), `${language}: ${key} placeholders`);
      }
      assert.ok(LANGUAGE_NAMES[language]);
    });
  }

  it('names every status, event and error code the protocol has', () => {
    const all = new Set<string>(keys);
    for (const s of SESSION_STATUSES) assert.ok(all.has(`status.${s}`) && all.has(`status.${s}.hint`), s);
    for (const e of SESSION_EVENTS) assert.ok(all.has(`event.${e}`), e);
    for (const c of Object.values(ErrorCode)) assert.ok(all.has(`error.${c}`), c);
  });

  it('translates other languages differently where it matters', () => {
    assert.notEqual(CATALOGS.de['nav.requests'], en['nav.requests']);
    assert.notEqual(CATALOGS.ja['nav.requests'], en['nav.requests']);
    assert.notEqual(CATALOGS.ko['nav.requests'], en['nav.requests']);
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    assert.equal(translate('en', 'nav.signedInAs', { name: 'Ann' }), 'Signed in as Ann');
    assert.equal(translate('de', 'list.count', { count: 3 }), '3 geladen');
    assert.equal(translate('en', 'nav.signedInAs'), 'Signed in as {name}');
  });

  it('inserts values once, never re-expanding placeholders inside them', () => {
    assert.equal(translate('en', 'nav.signedInAs', { name: '{name}' }), 'Signed in as {name}');
    assert.equal(translate('en', 'nav.signedInAs', { name: '$& <b>' }), 'Signed in as $& <b>');
  });
});

describe('detectLanguage', () => {
  it('takes the first supported primary tag', () => {
    assert.equal(detectLanguage(['fr-FR', 'de-AT', 'en']), 'de');
    assert.equal(detectLanguage(['ja']), 'ja');
    assert.equal(detectLanguage(['ko_KR']), 'ko');
  });
  it('falls back to English', () => {
    assert.equal(detectLanguage([]), 'en');
    assert.equal(detectLanguage(['fr', 'zh-CN']), 'en');
  });
});

describe('formatDateTime', () => {
  const iso = '2030-06-01T12:00:00.000Z';
  it('uses the agent time zone', () => {
    assert.match(formatDateTime(iso, 'en', 'Asia/Tokyo'), /21:00/);
    assert.match(formatDateTime(iso, 'en', 'Europe/Berlin'), /14:00/);
  });
  it('uses the language', () => {
    assert.match(formatDateTime(iso, 'de', 'UTC'), /01\.06\.2030/);
    assert.match(formatDateTime(iso, 'ja', 'UTC'), /2030\/06\/01|2030年/);
  });
  it('has a short style for table cells, and groups numbers per language', () => {
    assert.equal(formatDateTime(iso, 'en', 'UTC', 'short'), '01/06/2030, 12:00');
    assert.equal(formatNumber(10_000, 'en'), '10,000');
    assert.equal(formatNumber(10_000, 'de'), '10.000');
  });
  it('survives empty, bad dates and bad zones', () => {
    assert.equal(formatDateTime(null, 'en', 'UTC'), '');
    assert.equal(formatDateTime('nope', 'en', 'UTC'), 'nope');
    assert.match(formatDateTime(iso, 'en', 'Mars/Olympus'), /12:00/);
    assert.equal(checkTimeZone('Mars/Olympus'), null);
    assert.equal(checkTimeZone('Europe/Berlin'), 'Europe/Berlin');
  });
});
