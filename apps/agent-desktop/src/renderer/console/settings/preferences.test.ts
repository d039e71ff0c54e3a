import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PREFERENCES_KEY,
  loadPreferences,
  normaliseBrokerUrl,
  savePreferences,
  type KeyValueStore,
} from './preferences.ts';

function memoryStore(initial?: string): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  if (initial !== undefined) data.set(PREFERENCES_KEY, initial);
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const env = { languages: ['de-CH', 'en'], timeZone: 'Europe/Zurich' };

describe('preferences', () => {
  it('defaults to the browser language and zone', () => {
    const prefs = loadPreferences(memoryStore(), env);
    assert.equal(prefs.language, 'de');
    assert.equal(prefs.timeZone, 'Europe/Zurich');
    assert.equal(prefs.notifications, false);
    assert.equal(prefs.signedIn, false);
  });

  it('round-trips what the agent chose', () => {
    const store = memoryStore();
    const prefs = { ...loadPreferences(store, env), language: 'ko' as const, timeZone: 'Asia/Seoul' };
    savePreferences(store, prefs);
    assert.deepEqual(loadPreferences(store, env), prefs);
  });

  it('keeps good fields when others are bad, and survives garbage', () => {
    const prefs = loadPreferences(
      memoryStore(JSON.stringify({ language: 'xx', timeZone: 'Nowhere/Land', notifications: true })),
      env,
    );
    assert.equal(prefs.language, 'de');
    assert.equal(prefs.timeZone, 'Europe/Zurich');
    assert.equal(prefs.notifications, true);
    assert.equal(loadPreferences(memoryStore('{not json'), env).language, 'de');
    assert.equal(loadPreferences(memoryStore('[1,2]'), env).language, 'de');
    assert.equal(loadPreferences(undefined, { languages: [], timeZone: 'bad' }).timeZone, 'UTC');
  });

  it('ignores a storage that throws on write', () => {
    const store: KeyValueStore = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    assert.doesNotThrow(() => savePreferences(store, loadPreferences(store, env)));
  });
});

describe('normaliseBrokerUrl', () => {
  it('accepts http(s) bases and trims the trailing slash', () => {
    assert.equal(normaliseBrokerUrl(' https://support.example.com/ '), 'https://support.example.com');
    assert.equal(normaliseBrokerUrl('http://10.0.0.2:8080/beckon/'), 'http://10.0.0.2:8080/beckon');
  });
  it('refuses other schemes, credentials, queries and junk', () => {
    for (const bad of ['', 'support', 'ftp://x', 'javascript:alert(1)', 'https://u:p@x', 'https://x/?a=1'])
      assert.equal(normaliseBrokerUrl(bad), null, bad);
  });
});
