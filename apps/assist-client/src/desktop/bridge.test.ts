import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApi } from '@beckon/electron-shell/api-spec';
import { API_SPECS } from '../shared/ipc.ts';
import { BridgedFileTransport } from './bridged-files.ts';
import { loadClientConfig } from './client-config.ts';
import { decideDisplayMedia, decidePermission, pickScreen } from './display-media.ts';
import { MediaBridge } from './media-bridge.ts';
import { FakeRegistry, FakeWindows } from '../testing/desktop-doubles.ts';

const { host } = API_SPECS;

describe('MediaBridge', () => {
  it('parses every call from the host window and refuses other windows', () => {
    const ipc = new FakeRegistry();
    const bridge = new MediaBridge(ipc);
    const window = new FakeWindows().open('host', () => {});
    bridge.attach(window);
    const seen: unknown[] = [];
    bridge.on('message', (s, label, m) => seen.push([s, label, m.type]));
    bridge.on('signal', (s, d) => seen.push([s, d.type]));
    const click = { type: 'pointer_button', button: 'left', action: 'down', x: 0.5, y: 0.5 };
    ipc.invoke(host.invoke.message, window.senderId, 1, 'control', click);
    ipc.invoke(host.invoke.signal, window.senderId, 1, { type: 'answer', sdp: 'v=0' });
    assert.deepEqual(seen, [
      [1, 'control', 'pointer_button'],
      [1, 'answer'],
    ]);
    assert.throws(() => ipc.invoke(host.invoke.message, 7, 1, 'control', click), /sender not allowed/);
    for (const bad of [
      [1, 'control', { ...click, x: 2 }],
      [1, 'control', { type: 'shell', cmd: 'rm -rf /' }],
      [1, 'video', click],
      [0, 'control', click],
      ['1', 'control', click],
    ])
      assert.throws(() => ipc.invoke(host.invoke.message, window.senderId, ...bad), /invalid arguments/);
    assert.throws(() => ipc.invoke(host.invoke.peer, window.senderId, 1, { state: 'connected' }), /invalid/);
    assert.equal(seen.length, 2);
  });

  it('holds pushes until the window is ready', () => {
    const ipc = new FakeRegistry();
    const bridge = new MediaBridge(ipc);
    const window = new FakeWindows().open('host', () => {}) as ReturnType<FakeWindows['open']> & {
      pushes: unknown[];
    };
    bridge.attach(window);
    bridge.stop(3);
    assert.equal(window.pushes.length, 0);
    ipc.invoke(host.invoke.ready, window.senderId);
    assert.deepEqual(window.pushes, [[host.events.onStop, { session: 3 }]]);
  });
});

it('buildApi maps methods to channels and events to subscriptions', async () => {
  const calls: unknown[][] = [];
  const api = buildApi(
    host,
    async (channel, ...args) => calls.push([channel, ...args]),
    (channel) => {
      calls.push(['sub', channel]);
      return () => {};
    },
  );
  await api['signal']!(1, { type: 'answer', sdp: 'x' });
  api['onStop']!(() => {});
  assert.deepEqual(calls, [
    ['host:signal', 1, { type: 'answer', sdp: 'x' }],
    ['sub', 'host:stop'],
  ]);
});

it('BridgedFileTransport delivers while open and refuses after close', () => {
  const out: string[] = [];
  const t = new BridgedFileTransport((m) => out.push(m.type));
  const got: string[] = [];
  let closed = 0;
  t.onMessage((m) => got.push(m.type));
  t.onClose?.(() => closed++);
  t.deliver({ type: 'file_cancel', transferId: '00000000-0000-4000-8000-000000000000', reason: 'x' });
  assert.equal(
    t.send({ type: 'file_cancel', transferId: '00000000-0000-4000-8000-000000000000', reason: 'y' }),
    true,
  );
  t.close();
  assert.equal(
    t.send({ type: 'file_cancel', transferId: '00000000-0000-4000-8000-000000000000', reason: 'z' }),
    false,
  );
  assert.deepEqual([got, out, closed, t.isOpen()], [['file_cancel'], ['file_cancel'], 1, false]);
});

describe('display media rules', () => {
  const ask = { fromHostWindow: true, videoRequested: true, audioRequested: false };
  it('grants video of the screen to the host window during an allowed session only', () => {
    assert.deepEqual(decideDisplayMedia(ask, true), { grant: true });
    assert.equal(decideDisplayMedia(ask, false).grant, false);
    assert.equal(decideDisplayMedia({ ...ask, fromHostWindow: false }, true).grant, false);
    assert.equal(decideDisplayMedia({ ...ask, audioRequested: true }, true).grant, false);
    assert.equal(decideDisplayMedia({ ...ask, videoRequested: false }, true).grant, false);
  });
  it('grants no other page permission', () => {
    assert.equal(decidePermission('display-capture', true, true), true);
    for (const p of ['media', 'notifications', 'clipboard-read', 'geolocation'])
      assert.equal(decidePermission(p, true, true), false);
    assert.equal(decidePermission('display-capture', false, true), false);
  });
  it('picks the primary screen', () => {
    const sources = [
      { id: 'screen:1', display_id: '2' },
      { id: 'screen:0', display_id: '1' },
    ];
    assert.equal(pickScreen(sources, '1')?.id, 'screen:0');
    assert.equal(pickScreen(sources, '9')?.id, 'screen:1');
    assert.equal(pickScreen([], '1'), null);
  });
});

it('the client configuration names an http(s) broker', () => {
  assert.deepEqual(loadClientConfig({ BECKON_BROKER_URL: 'https://help.example.com/' }, '/nowhere'), {
    ok: true,
    config: { brokerUrl: 'https://help.example.com' },
  });
  assert.equal(loadClientConfig({ BECKON_BROKER_URL: 'file:///etc/passwd' }, '/nowhere').ok, false);
  assert.equal(loadClientConfig({}, '/nowhere').ok, false);
});
