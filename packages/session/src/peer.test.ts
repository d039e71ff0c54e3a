import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import wrtc from '@roamhq/wrtc';
import { DataChannelLabel, type DataChannelMessage } from '@beckon/protocol';
import { CHANNEL_SPECS, ChannelMismatchError } from './channels.ts';
import { Peer } from './peer.ts';
import { makePair, next, rtc, solidColourSource, until, type Pair } from './testing/pair.ts';

const open: { close(): void }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});
function pair(...args: Parameters<typeof makePair>): Pair {
  const p = makePair(...args);
  open.push(p);
  return p;
}

const noMods = { shift: false, ctrl: false, alt: false, meta: false };

test('two peers connect, directly, and carry messages on all three channels', async () => {
  const p = pair();
  const [[agentUp], [hostUp]] = await Promise.all([next(p.agent, 'connected'), next(p.host, 'connected')]);
  assert.deepEqual(agentUp, { relayed: false });
  assert.deepEqual(hostUp, { relayed: false });
  assert.equal(p.agent.state, 'connected');
  assert.equal(p.signals.agent[0]?.type, 'offer', 'the agent makes the offer');
  assert.ok(!p.signals.host.some((s) => s.type === 'offer'), 'the host never offers');

  const got: [DataChannelMessage, string][] = [];
  p.host.on('message', (m, label) => got.push([m, label]));
  const key: DataChannelMessage = { type: 'key', action: 'down', code: 'KeyA', key: 'a', modifiers: noMods };
  assert.ok(p.agent.send(DataChannelLabel.CONTROL, key));
  assert.ok(p.agent.send(DataChannelLabel.POINTER, { type: 'pointer_move', x: 0.25, y: 0.75 }));
  assert.ok(p.agent.sendMessage({ type: 'file_cancel', transferId: crypto.randomUUID(), reason: 'x' }));
  await until(() => got.length === 3, 5000, 'three messages');
  assert.deepEqual(got.map(([m, label]) => `${label}:${m.type}`).sort(), [
    'control:key',
    'files:file_cancel',
    'pointer:pointer_move',
  ]);

  // And back the other way.
  const back = next(p.agent, 'message');
  p.host.sendMessage({ type: 'stop', reason: 'user pressed stop' });
  assert.deepEqual((await back)[0], { type: 'stop', reason: 'user pressed stop' });
});

test('a message on the wrong channel or off the schema is refused before it leaves', async () => {
  const p = pair();
  await next(p.agent, 'connected');
  const click: DataChannelMessage = {
    type: 'pointer_button',
    button: 'left',
    action: 'down',
    x: 0.5,
    y: 0.5,
  };
  assert.throws(() => p.agent.send(DataChannelLabel.POINTER, click), ChannelMismatchError);
  assert.throws(
    () => p.agent.send(DataChannelLabel.CONTROL, { type: 'pointer_move', x: 0.1, y: 0.1 }),
    ChannelMismatchError,
  );
  assert.throws(
    () => p.agent.send(DataChannelLabel.CONTROL, { type: 'stop', reason: 'x'.repeat(201) }),
    TypeError,
  );
  assert.ok(p.agent.send(DataChannelLabel.CONTROL, click));
});

test('invalid incoming frames from a hostile remote are dropped, counted and reported', async () => {
  // The remote is a bare RTCPeerConnection that opens the same negotiated
  // channels and writes whatever it likes on them.
  const host = new Peer({ initiator: false, wrtc: rtc, onSignal: (d) => void toRaw(d) });
  open.push(host);
  const raw = new wrtc.RTCPeerConnection();
  open.push(raw);
  const ch = (label: DataChannelLabel) => raw.createDataChannel(label, CHANNEL_SPECS[label]);
  const control = ch(DataChannelLabel.CONTROL);
  const pointer = ch(DataChannelLabel.POINTER);
  ch(DataChannelLabel.FILES);
  raw.onicecandidate = (e) => {
    const c = e.candidate;
    if (c?.candidate) {
      host.signal({
        type: 'candidate',
        candidate: { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex },
      });
    }
  };
  async function toRaw(d: Parameters<Peer['signal']>[0]) {
    if (d.type === 'answer') await raw.setRemoteDescription(d);
    else if (d.type === 'candidate') await raw.addIceCandidate(d.candidate).catch(() => {});
  }
  const offer = await raw.createOffer();
  await raw.setLocalDescription(offer);
  host.signal({ type: 'offer', sdp: offer.sdp ?? '' });
  await next(host, 'connected');

  const invalid: string[] = [];
  const valid: string[] = [];
  host.on('invalid', (i) => invalid.push(`${i.label}:${i.reason}`));
  host.on('message', (m, label) => valid.push(`${label}:${m.type}`));
  control.send('not json');
  control.send(new Uint8Array([1, 2, 3]));
  control.send(JSON.stringify({ type: 'key', action: 'down', code: '../x', key: 'a', modifiers: noMods }));
  control.send(JSON.stringify({ type: 'pointer_move', x: 0.5, y: 0.5 }));
  pointer.send(JSON.stringify({ type: 'pointer_button', button: 'left', action: 'down', x: 0.5, y: 0.5 }));
  pointer.send(JSON.stringify({ type: 'pointer_move', x: 2, y: 0 }));
  control.send(JSON.stringify({ type: 'stop', reason: 'fine' }));
  await until(() => valid.length === 1 && invalid.length === 6, 5000, 'all frames seen');
  assert.deepEqual(valid, ['control:stop']);
  assert.deepEqual(invalid.sort(), [
    'control:binary',
    'control:not_json',
    'control:schema',
    'control:wrong_channel',
    'pointer:schema',
    'pointer:wrong_channel',
  ]);
  assert.equal(host.invalidMessages, 6);
});

test('the host streams a video track the agent receives, frames and all', async () => {
  const video = solidColourSource(320, 240);
  open.push({ close: video.stop });
  const p = pair({ host: { videoTrack: video.track } });
  const [stream, track] = await next(p.agent, 'stream');
  assert.equal(track.kind, 'video');
  assert.ok(stream.getVideoTracks().includes(track));
  const sink = new wrtc.nonstandard.RTCVideoSink(track as never);
  open.push({ close: () => sink.stop() });
  const frame = await new Promise<{ width: number; height: number; data: Uint8Array }>((resolve) => {
    sink.onframe = (e: { frame: { width: number; height: number; data: Uint8Array } }) => resolve(e.frame);
  });
  assert.equal(frame.width, 320);
  assert.equal(frame.height, 240);
  // Solid luma 180 survives the codec within a few steps.
  const mid = frame.data[120 * 320 + 160]!;
  assert.ok(Math.abs(mid - 180) < 8, `luma ${mid}`);
});

test('a track attached after connecting is renegotiated through the agent', async () => {
  const p = pair();
  await Promise.all([next(p.agent, 'connected'), next(p.host, 'connected')]);
  const video = solidColourSource(160, 120);
  open.push({ close: video.stop });
  const arrived = next(p.agent, 'stream');
  p.host.setVideoTrack(video.track);
  const [, track] = await arrived;
  assert.equal(track.kind, 'video');
  assert.ok(
    p.signals.host.some((s) => s.type === 'renegotiate'),
    'the host asked the agent to offer',
  );
  assert.equal(p.signals.agent.filter((s) => s.type === 'offer').length, 2);
  assert.throws(() => p.agent.setVideoTrack(null), /initiator/);
});

test('closing one side closes the other', async () => {
  const p = pair();
  await Promise.all([next(p.agent, 'connected'), next(p.host, 'connected')]);
  const closed = next(p.agent, 'closed', 5000);
  p.host.close();
  await closed;
  assert.equal(p.agent.state, 'closed');
  assert.equal(p.agent.send(DataChannelLabel.CONTROL, { type: 'stop', reason: 'x' }), false);
});

test('a forced ICE restart renegotiates new credentials and the channels keep flowing', async () => {
  const p = pair();
  await Promise.all([next(p.agent, 'connected'), next(p.host, 'connected')]);
  const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];
  const before = ufrag(p.agent.connection.localDescription?.sdp);
  let controlCount = 0;
  p.host.on('message', () => (controlCount += 1));
  p.agent.restartIce();
  await until(() => p.signals.agent.filter((s) => s.type === 'offer').length === 2, 5000, 'restart offer');
  const restartOffer = p.signals.agent.filter((s) => s.type === 'offer')[1];
  assert.ok(restartOffer && 'sdp' in restartOffer);
  assert.notEqual(ufrag(restartOffer.sdp), before, 'new ICE credentials');
  await until(() => p.agent.connection.signalingState === 'stable', 5000, 'answer applied');
  await until(
    () =>
      ufrag(p.agent.connection.currentRemoteDescription?.sdp) !==
      ufrag(p.signals.host[0] && 'sdp' in p.signals.host[0] ? p.signals.host[0].sdp : ''),
    5000,
    'new remote credentials',
  );
  for (let i = 0; i < 20; i++) p.agent.sendMessage({ type: 'type_text', text: `after restart ${i}` });
  await until(() => controlCount === 20, 5000, 'messages after the restart');
  assert.equal(p.agent.state, 'connected');
});

test("iceTransportPolicy 'relay' offers no host candidates (no TURN configured here, so none at all)", async () => {
  const p = pair({ agent: { iceTransportPolicy: 'relay' }, host: { iceTransportPolicy: 'relay' } });
  await until(() => p.signals.agent.some((s) => s.type === 'offer'), 5000, 'offer');
  await new Promise((r) => setTimeout(r, 1000));
  assert.deepEqual(
    p.signals.agent.filter((s) => s.type === 'candidate'),
    [],
  );
  assert.equal(p.agent.connection.getConfiguration().iceTransportPolicy, 'relay');
});

test('an offer lost with the signaling connection is sent again by the next restart', async () => {
  let lost = true;
  const p = pair({ relay: (from, data) => (from === 'agent' && lost ? null : data) });
  await until(() => p.signals.agent.some((s) => s.type === 'offer'), 5000, 'first offer');
  await new Promise((r) => setTimeout(r, 100)); // its candidates are lost too
  assert.equal(p.agent.connection.signalingState, 'have-local-offer');
  lost = false;
  p.agent.restartIce(); // what the app does after the signaling client reconnects
  await Promise.all([next(p.agent, 'connected'), next(p.host, 'connected')]);
  const offers = p.signals.agent.filter((s) => s.type === 'offer');
  assert.deepEqual(offers[1], offers[0], 'the same offer, resent');
  // Once answered, the restart that was asked for follows.
  await until(() => p.signals.agent.filter((s) => s.type === 'offer').length === 3, 5000, 'restart offer');
  await until(() => p.agent.connection.signalingState === 'stable', 5000, 'restart answered');
  assert.ok(p.agent.sendMessage({ type: 'stop', reason: 'still here' }));
  const [message] = await next(p.host, 'message');
  assert.deepEqual(message, { type: 'stop', reason: 'still here' });
});

test("another peer's offer fed into a live host is refused, and the live session carries on", async () => {
  const p = pair();
  await Promise.all([next(p.agent, 'connected'), next(p.host, 'connected')]);
  const errors: Error[] = [];
  p.host.on('error', (e) => errors.push(e));
  const got: string[] = [];
  p.host.on('message', (m) => m.type === 'type_text' && got.push(m.text));
  const hostSignals = p.signals.host.length;

  // A second agent peer (another certificate) whose signals reach the host
  // through the same relay, as a takeover through an ICE + DTLS restart would.
  const intruder = new Peer({
    initiator: true,
    wrtc: rtc,
    iceRestart: false,
    onSignal: (d) => p.host.signal(d),
  });
  open.push(intruder);
  await until(() => errors.length > 0, 5000, 'the refusal');
  assert.equal(errors[0]?.name, 'ForeignPeerError');
  assert.match(errors[0]?.message ?? '', /refused an offer from another peer/);
  await new Promise((r) => setTimeout(r, 1000)); // its candidates arrive and are dropped
  assert.equal(p.signals.host.length, hostSignals, 'no answer went out');
  assert.equal(intruder.state === 'connected', false);
  assert.equal(p.host.connection.signalingState, 'stable');

  p.agent.sendMessage({ type: 'type_text', text: 'still the same agent' });
  await until(() => got.length === 1, 5000, 'a message on the live session');
  // The live agent's own ICE restart (same certificate) still goes through.
  p.agent.restartIce();
  await until(() => p.signals.agent.filter((s) => s.type === 'offer').length === 2, 5000, 'restart offer');
  await until(() => p.agent.connection.signalingState === 'stable', 5000, 'restart answered');
  p.agent.sendMessage({ type: 'type_text', text: 'after the restart' });
  await until(() => got.length === 2, 5000, 'a message after the restart');
  assert.equal(p.host.state, 'connected');
  assert.equal(errors.length, 1, 'one refusal, nothing else went wrong');
  assert.equal(await p.host.verificationCode(), await p.agent.verificationCode());
});
