import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { preloadApi } from './bridge.ts';
import { consentQuestion, indicatorLine } from './text.ts';

describe('consentQuestion', () => {
  it('names the agent and what they ask for', () => {
    assert.equal(
      consentQuestion({ agentName: 'Ada', organisationName: 'Example Ltd', remoteControl: true }),
      'Ada (Example Ltd) wants to see your screen and control your computer. Nothing is shared until you allow it.',
    );
    assert.match(
      consentQuestion({ agentName: 'Ada', organisationName: null, remoteControl: false }),
      /^Ada wants to see your screen\./,
    );
  });
});

describe('indicatorLine', () => {
  it('says who is connected', () => {
    assert.equal(indicatorLine({ phase: 'live', agentName: 'Ada' }), 'Ada is connected to this computer');
    assert.equal(indicatorLine({ phase: 'connecting', agentName: 'Ada' }), 'Connecting to Ada…');
  });
});

describe('preloadApi', () => {
  it('returns the exposed API and refuses to run without one', () => {
    const api = { stop: () => {} };
    assert.equal(preloadApi({ beckonAssist: api }), api);
    assert.throws(() => preloadApi({}), /preload API missing/);
  });
});
