import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsentPrompt } from '../shared/ipc.ts';
import { createConsentGate } from './consent-gate.ts';

const prompt: ConsentPrompt = {
  agentName: 'Ada',
  organisationName: 'Example Ltd',
  comment: null,
  permissions: ['view', 'control'],
  deadline: 0,
  language: 'en',
  brand: null,
};

describe('createConsentGate', () => {
  it('resolves with the decision and clears the prompt', async () => {
    const gate = createConsentGate();
    const answer = gate.ask(prompt);
    assert.deepEqual(gate.pending(), prompt);
    assert.equal(gate.decide('allow'), true);
    assert.equal(await answer, 'allow');
    assert.equal(gate.pending(), null);
  });

  it('ignores a decision when nothing was asked', () => {
    const gate = createConsentGate();
    assert.equal(gate.decide('allow'), false);
  });

  it('asks one question at a time, and a later decision does not leak', async () => {
    const gate = createConsentGate();
    const first = gate.ask(prompt);
    await assert.rejects(gate.ask(prompt), /already open/);
    gate.decide('deny');
    assert.equal(await first, 'deny');
    assert.equal(gate.decide('allow'), false);
  });
});
