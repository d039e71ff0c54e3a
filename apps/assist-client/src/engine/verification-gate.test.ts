import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { selectBackend, type CaptureBackend } from '@beckon/capture';
import { startXvfb, type Xvfb } from '@beckon/capture/testing';
import type { BrokerSignalMessage, VerifyMessage } from '@beckon/protocol';
import { commitment, SignalingClient, signalProtocols, signalUrl } from '@beckon/session';
import { Leg, mintCertificate } from '@beckon/session/testing';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import type { ConsentAnswer } from './consent.ts';
import { VERIFICATION_FAILED } from './host-core.ts';
import { HostSession, type HostUi } from './host-session.ts';

// The host keeps its screen and its input to itself until the verification
// exchange has passed. The far end here is a man in the middle made of a real
// wrtc connection: the allowed agent's signaling is in its hands (as a hostile
// broker or a stolen agent socket would give it), and it passes on a
// commitment made over the fingerprints the real agent sees, as a relay must.

process.once('beforeExit', () => process.exit()); // wrtc's teardown, as in host-session.test.ts

let xvfb: Xvfb;
let backend: CaptureBackend;
let broker: TestBroker;
const downloads = mkdtempSync(join(tmpdir(), 'beckon-verify-gate-'));

before(async () => {
  xvfb = await startXvfb({ width: 640, height: 480 });
  const selected = await selectBackend('linux', { display: xvfb.display });
  if (!selected.ok) throw new Error(selected.error.message);
  backend = selected.backend;
  broker = await startBroker();
});
after(async () => {
  await broker.stop();
  await backend.close();
  rmSync(downloads, { recursive: true, force: true });
});

type Sinks = {
  nonstandard: { RTCVideoSink: new (track: MediaStreamTrack) => { onframe: (() => void) | null } };
};

const allowAll: HostUi = {
  askConsent: async (): Promise<ConsentAnswer> => ({ allow: true }),
  confirmFile: async () => false,
};

const waitUntil = async (what: string, ok: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

test('a connection whose verification fails shows no frame, injects no input, and ends the session', async () => {
  const request = await broker.api.createRequest();
  const host = new HostSession({
    brokerUrl: broker.url,
    target: { kind: 'code', code: request.displayCode },
    backend,
    wrtc: wrtc as never,
    ui: allowAll,
    downloadDir: downloads,
    log: () => {},
  });
  const ended: string[] = [];
  const problems: string[] = [];
  host.on('ended', ({ reason }) => ended.push(reason));
  host.on('problem', (p) => problems.push(p));
  await host.start();
  await broker.api.waitForStatus(request.id, 'waiting');

  // The man in the middle speaks for the allowed agent on signaling; its leg faces the host.
  const messages: BrokerSignalMessage[] = [];
  const signaling = new SignalingClient({
    role: 'agent',
    connect: async () => ({
      url: signalUrl(broker.url, { request: request.id }),
      protocols: signalProtocols(broker.token),
    }),
  });
  const leg = new Leg(await mintCertificate(), (data) => signaling.send({ type: 'signal', data }));
  signaling.on('message', (m) => {
    messages.push(m);
    if (m.type === 'signal') void leg.signal(m.data);
  });
  let frames = 0;
  leg.pc.ontrack = (event) => {
    const sink = new (wrtc as unknown as Sinks).nonstandard.RTCVideoSink(event.track);
    sink.onframe = () => (frames += 1);
  };
  signaling.start();
  await waitUntil('welcome', () => messages.some((m) => m.type === 'welcome'));
  signaling.send({ type: 'connect', permissions: ['view', 'control'] });
  await waitUntil('consent', () => messages.some((m) => m.type === 'consent_result' && m.granted));
  await leg.offer();
  await leg.connected();

  // The commitment the real agent made: over its own leg's fingerprints, not these.
  const nonce = randomBytes(32).toString('hex');
  const agentSide = await mintCertificate();
  agentSide.pc.close();
  const agentSees = { offer: agentSide.fingerprint, answer: leg.fingerprint };
  leg.send({ type: 'verify_commit', commit: commitment(nonce, agentSees) });
  await leg.receive('verify_nonce');
  // Input before the exchange is over, on the channel that carries it.
  const typed = { type: 'type_text', text: 'rm -rf ~' } as unknown as VerifyMessage;
  leg.send(typed);
  leg.send({ type: 'verify_reveal', nonce });

  await waitUntil('the session ends', () => ended.length > 0);
  assert.deepEqual(ended, [VERIFICATION_FAILED]);
  assert.match(problems.join('\n'), /could not be verified.*does not match its commitment/);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(frames, 0, 'no frame reached the man in the middle');
  assert.equal(host.stats.framesSent, 0, 'nothing was even captured for it');
  assert.equal(host.stats.injected, 0, 'no input was injected');
  signaling.close();
  leg.close();
  host.leave();
});
