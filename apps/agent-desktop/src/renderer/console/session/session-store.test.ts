import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataChannelMessage } from '@beckon/protocol';
import type { SessionConnector, SessionEvents } from './session-connector.ts';
import { unavailableConnector } from './session-connector.ts';
import { createSessionStore } from './session-store.ts';

function fakeConnector() {
  const sent: DataChannelMessage[] = [];
  const events: SessionEvents[] = [];
  let ended = 0;
  const connector: SessionConnector = {
    connect(_id, e) {
      events.push(e);
      return { send: (m) => sent.push(m), end: () => void ended++ };
    },
  };
  return { connector, sent, events, ended: () => ended };
}

const move: DataChannelMessage = { type: 'pointer_move', x: 0.5, y: 0.5 };
const ALL = ['view', 'control', 'file_transfer', 'system_info'] as const;
const req = (id: string, recipientName: string) => ({ id, recipientName, permissions: ALL });

describe('session store', () => {
  it('follows the engine and sends input only while connected and not view-only', () => {
    const f = fakeConnector();
    const store = createSessionStore(f.connector);
    store.getState().connect(req('r1', 'Ann'));
    assert.equal(store.getState().active?.phase, 'connecting');
    store.getState().send(move);
    assert.equal(f.sent.length, 0);
    f.events[0]?.phase('connected');
    f.events[0]?.verificationCode('4711');
    f.events[0]?.stats({ fps: 30, bitrateKbps: 2000, rttMs: 20, packetLossPct: 0, relayed: false });
    store.getState().send(move);
    assert.equal(f.sent.length, 1);
    store.getState().toggleViewOnly();
    store.getState().send(move);
    const modifiers = { shift: false, ctrl: false, alt: false, meta: false };
    store.getState().send({ type: 'key', action: 'down', code: 'KeyA', key: 'a', modifiers });
    store.getState().send({ type: 'key', action: 'up', code: 'ShiftLeft', key: 'Shift', modifiers });
    store.getState().send({ type: 'stop', reason: 'x' });
    assert.deepEqual(
      f.sent.map((m) => (m.type === 'key' ? `${m.type}:${m.action}` : m.type)),
      ['pointer_move', 'key:up', 'stop'],
      'view-only: releases pass, presses and moves do not',
    );
    assert.equal(store.getState().active?.verificationCode, '4711');
    store.getState().end();
    assert.equal(store.getState().active?.phase, 'ended');
    assert.equal(f.ended(), 1);
  });

  it('a browser host is view only and cannot be switched to control', () => {
    const f = fakeConnector();
    const store = createSessionStore(f.connector);
    store.getState().connect(req('r1', 'Fay'));
    f.events[0]?.host?.('browser');
    f.events[0]?.permissions(['view']);
    f.events[0]?.phase('connected');
    assert.equal(store.getState().active?.host, 'browser');
    assert.equal(store.getState().active?.viewOnly, true);
    store.getState().toggleViewOnly();
    assert.equal(store.getState().active?.viewOnly, true);
    store.getState().send(move);
    assert.equal(f.sent.length, 0);
  });

  it('ignores events of a session that was replaced', () => {
    const f = fakeConnector();
    const store = createSessionStore(f.connector);
    store.getState().connect(req('r1', 'Ann'));
    store.getState().connect(req('r2', 'Bo'));
    f.events[0]?.phase('connected');
    assert.equal(store.getState().active?.requestId, 'r2');
    assert.equal(store.getState().active?.phase, 'connecting');
    store.getState().dismiss();
    f.events[1]?.phase('connected');
    assert.equal(store.getState().active, null);
  });

  it('a view-only grant starts view-only and cannot be switched to control', () => {
    const f = fakeConnector();
    const store = createSessionStore(f.connector);
    store.getState().connect(req('r1', 'Ann'));
    f.events[0]?.permissions(['view']);
    f.events[0]?.phase('connected');
    assert.equal(store.getState().active?.viewOnly, true);
    store.getState().toggleViewOnly();
    assert.equal(store.getState().active?.viewOnly, true);
    store.getState().send(move);
    assert.equal(f.sent.length, 0);
  });

  it('hands the host replies and the files channel to the hooks of the current session only', () => {
    const f = fakeConnector();
    const seen: string[] = [];
    const store = createSessionStore(f.connector, {
      started: () => seen.push('started'),
      message: (m) => seen.push(m.type),
      files: (t) => seen.push(t ? 'files' : 'no files'),
    });
    store.getState().connect(req('r1', 'Ann'));
    store.getState().connect(req('r2', 'Bo'));
    f.events[0]?.message({ type: 'monitor_stop' });
    f.events[1]?.message({ type: 'sysinfo_request' });
    f.events[1]?.files(null);
    assert.deepEqual(seen, ['started', 'started', 'sysinfo_request', 'no files']);
    assert.deepEqual(f.events.length, 2);
  });

  it('the placeholder connector fails honestly', async () => {
    const store = createSessionStore(unavailableConnector);
    store.getState().connect(req('r1', 'Ann'));
    await Promise.resolve();
    assert.equal(store.getState().active?.phase, 'failed');
    assert.equal(store.getState().active?.reason, 'unavailable');
  });
});
