import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAlarmStore, type SecurityAlarmNotice } from './alarms.ts';

const alarm = (at: string): SecurityAlarmNotice => ({ type: 'security_alarm', kind: 'join_guessing', at });

describe('security alarms', () => {
  it('shows one per kind, keeps a dismissed one away on reconnect, and shows a new attack', () => {
    const store = createAlarmStore();
    store.getState().add(alarm('2027-01-01T10:00:00.000Z'));
    store.getState().add(alarm('2027-01-01T10:00:00.000Z'));
    assert.equal(store.getState().alarms.length, 1);
    store.getState().dismiss(alarm('2027-01-01T10:00:00.000Z'));
    store.getState().add(alarm('2027-01-01T10:00:00.000Z'));
    assert.equal(store.getState().alarms.length, 0, 'the same attack, repeated on reconnect');
    store.getState().add(alarm('2027-01-02T08:00:00.000Z'));
    assert.equal(store.getState().alarms.length, 1, 'a new attack');
    store.getState().reset();
    assert.equal(store.getState().alarms.length, 0);
  });
});
