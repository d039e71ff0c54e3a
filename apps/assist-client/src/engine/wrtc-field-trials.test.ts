import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { WRTC_SEND_TRIALS } from '@beckon/session';
import { ElfFile } from './elf-symbols.ts';
import { FIELD_TRIALS_ENV, setWrtcFieldTrials, wrtcFieldTrials } from './wrtc-field-trials.ts';

// On the real wrtc addon in this process (each test file is its own process,
// so the trials start unset): set, read back the way libwebrtc reads them,
// refused where they would be wrong, and peers still connect afterwards.
// @roamhq/wrtc crashes Node's own teardown (SIGSEGV) once a video track was
// used; leaving through process.exit skips that teardown (as screen-streamer.test.ts does).
process.once('beforeExit', () => process.exit());

const addonPath = createRequire(import.meta.url).resolve('@roamhq/wrtc-linux-x64/wrtc.node', {
  paths: [createRequire(import.meta.url).resolve('@roamhq/wrtc')],
});

test('the ELF reader finds an internal symbol of the addon and an export of libc; it refuses what is not ELF', () => {
  const addon = ElfFile.open(addonPath);
  try {
    const found = addon.symbols('symtab', [
      '_ZN6webrtc11field_trial25InitFieldTrialsFromStringEPKc',
      'no such',
    ]);
    assert.equal(found.size, 1);
    const init = found.get('_ZN6webrtc11field_trial25InitFieldTrialsFromStringEPKc')!;
    assert.ok(init.value > 0 && init.size > 0);
    assert.equal(addon.bytesAt(init.value, 16).length, 16);
    assert.throws(() => addon.bytesAt(2 ** 40, 16), /not in a loaded part/);
    assert.ok(addon.segments().some((s) => s.offset === 0));
  } finally {
    addon.close();
  }
  const libc = ElfFile.open('/lib/x86_64-linux-gnu/libc.so.6');
  try {
    assert.ok(libc.symbols('dynsym', ['environ']).get('environ')!.value > 0);
  } finally {
    libc.close();
  }
  const notElf = join(mkdtempSync(join(tmpdir(), 'beckon-elf-')), 'text');
  writeFileSync(notElf, 'not an ELF file at all, but long enough to hold a header of sixty-four bytes');
  assert.throws(() => ElfFile.open(notElf), /not a 64-bit little-endian ELF/);
});

test('the host trials (playout delay 0, burst pacing) are set in wrtc, read back as libwebrtc reads it, once; other strings are refused', async () => {
  assert.equal(typeof wrtc.RTCPeerConnection, 'function', 'the addon is loaded');
  assert.equal(wrtcFieldTrials(), '', 'wrtc starts without field trials');
  assert.deepEqual(setWrtcFieldTrials('not pairs'), { applied: false, reason: 'not Name/Group/ pairs' });
  assert.equal(wrtcFieldTrials(), '', 'a refused string changes nothing');

  assert.deepEqual(setWrtcFieldTrials(WRTC_SEND_TRIALS), { applied: true });
  assert.equal(wrtcFieldTrials(), WRTC_SEND_TRIALS);
  assert.equal(process.env[FIELD_TRIALS_ENV], WRTC_SEND_TRIALS);
  // The same again is a no-op; another string would silently replace what a peer relies on.
  assert.deepEqual(setWrtcFieldTrials(WRTC_SEND_TRIALS), { applied: true });
  const other = setWrtcFieldTrials('WebRTC-Other/Enabled/');
  assert.equal(other.applied, false);
  assert.match((other as { reason: string }).reason, /already set/);
  // The C environment keeps the string even when the JS side drops the variable.
  delete process.env[FIELD_TRIALS_ENV];
  assert.equal(wrtcFieldTrials(), WRTC_SEND_TRIALS);

  // libwebrtc parses the string at every lookup: a video sender made now still streams.
  const frames = await framesThroughAPair();
  assert.ok(frames > 0, 'frames arrived');
});

/** Two raw wrtc connections in this process, one sending a grey picture: frames the other received in a second. */
async function framesThroughAPair(): Promise<number> {
  const w = wrtc as unknown as {
    RTCPeerConnection: typeof RTCPeerConnection;
    nonstandard: {
      RTCVideoSource: new () => {
        createTrack(): MediaStreamTrack;
        onFrame(f: { width: number; height: number; data: Uint8Array }): void;
      };
      RTCVideoSink: new (t: MediaStreamTrack) => { onframe: (() => void) | null; stop(): void };
    };
  };
  const send = new w.RTCPeerConnection();
  const receive = new w.RTCPeerConnection();
  const source = new w.nonstandard.RTCVideoSource();
  const track = source.createTrack();
  const data = new Uint8Array(320 * 240 * 1.5).fill(128);
  const timer = setInterval(() => source.onFrame({ width: 320, height: 240, data }), 33);
  try {
    send.addTrack(track);
    send.onicecandidate = (e) => e.candidate && void receive.addIceCandidate(e.candidate);
    receive.onicecandidate = (e) => e.candidate && void send.addIceCandidate(e.candidate);
    const got = new Promise<MediaStreamTrack>((r) => (receive.ontrack = (e) => r(e.track)));
    await send.setLocalDescription(await send.createOffer());
    await receive.setRemoteDescription(send.localDescription!);
    await receive.setLocalDescription(await receive.createAnswer());
    await send.setRemoteDescription(receive.localDescription!);
    const sink = new w.nonstandard.RTCVideoSink(await got);
    let frames = 0;
    sink.onframe = () => frames++;
    await new Promise((r) => setTimeout(r, 1000));
    sink.stop();
    return frames;
  } finally {
    clearInterval(timer);
    track.stop();
    send.close();
    receive.close();
  }
}
