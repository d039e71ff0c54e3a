import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ASSIST_CATALOGS } from '../shared/i18n.ts';
import type { ConsentPrompt } from '../shared/ipc.ts';
import { preloadApi } from './bridge.ts';
import { consentView, countdownText, fileView, indicatorLine, safeColor } from './text.ts';

const prompt: ConsentPrompt = {
  agentName: 'Ada',
  organisationName: 'Example Ltd',
  comment: 'printer',
  permissions: ['view', 'control'],
  deadline: 60_000,
  language: 'en',
  brand: null,
};

describe('consentView', () => {
  it('names the agent, the organisation and what they ask for', () => {
    const v = consentView(prompt);
    assert.equal(v.asks, 'Ada from Example Ltd asks for access to this computer.');
    assert.deepEqual(v.permissions, ['See your screen', 'Use your mouse and keyboard']);
    assert.equal(v.reason, 'printer');
    assert.match(consentView({ ...prompt, organisationName: null }).asks, /^Ada asks/);
  });

  it('speaks the request language', () => {
    assert.equal(consentView({ ...prompt, language: 'de' }).allow, 'Erlauben');
    assert.equal(consentView({ ...prompt, language: 'ja' }).deny, '拒否');
    assert.equal(countdownText({ ...prompt, language: 'ko' }, 0), '60초 후 자동으로 거부됩니다');
  });

  it('counts down to zero, never below', () => {
    assert.equal(countdownText(prompt, 59_001), 'Denied automatically in 1 s');
    assert.equal(countdownText(prompt, 70_000), 'Denied automatically in 0 s');
  });
});

it('every language has every text with the same placeholders', () => {
  const marks = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [lang, catalog] of Object.entries(ASSIST_CATALOGS))
    for (const [key, text] of Object.entries(ASSIST_CATALOGS.en))
      assert.deepEqual(marks(catalog[key as keyof typeof catalog]), marks(text), `${lang} ${key}`);
});

it('indicator and file texts', () => {
  const status = {
    phase: 'live',
    agentName: 'Ada',
    language: 'en',
    verificationCode: null,
    permissions: [],
  } as const;
  assert.equal(indicatorLine(status), 'Ada is connected to this computer');
  assert.equal(indicatorLine({ ...status, phase: 'connecting' }), 'Connecting to Ada…');
  assert.equal(
    fileView({ agentName: 'Ada', name: 'a.txt', size: 1_500_000, language: 'en' }).question,
    'Ada wants to send you “a.txt” (1.5 MB).',
  );
});

it('safeColor lets only #rrggbb through', () => {
  assert.equal(safeColor('#1F6FEB'), '#1F6FEB');
  assert.equal(safeColor('red;background:url(x)'), null);
});

describe('preloadApi', () => {
  it('returns the exposed API and refuses to run without one', () => {
    const api = { stop: () => {} };
    assert.equal(preloadApi({ beckonAssist: api }), api);
    assert.throws(() => preloadApi({}), /preload API missing/);
  });
});
