import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { SignalData } from '@beckon/protocol';
import { Peer } from './peer.ts';
import { legacyVerificationCode } from './testing/legacy-verification.ts';
import { CertificatePool, Leg, findLegacyCollision, mintCertificate } from './testing/mitm.ts';
import { makePair, next, rtc, until } from './testing/pair.ts';
import { commitment, randomNonce, sdpFingerprint, verificationCodeFrom } from './verification.ts';

// A man in the middle of signaling that terminates both peer connections with
// certificates from a pool (testing/mitm.ts: real wrtc connections, since
// wrtc cannot make a certificate on its own). Against the code from
// fingerprints alone it finds a pair that shows the same code on both sides;
// against the commit-then-reveal code it cannot, whatever order it plays.

const open: { close(): void }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

const sdpOf = (d: RTCSessionDescription | null): string => {
  if (!d?.sdp) throw new Error('no description');
  return d.sdp;
};

/** The agent's first offer, held by the man in the middle, and a way to hand the agent a leg later. */
function heldAgent() {
  const early: SignalData[] = [];
  let leg: Leg | null = null;
  const agent = new Peer({
    initiator: true,
    wrtc: rtc,
    iceRestart: false,
    onSignal: (d) => (leg ? void leg.signal(d) : early.push(d)),
  });
  open.push(agent);
  return {
    agent,
    async offer(): Promise<string> {
      await until(() => early.some((s) => s.type === 'offer'), 5000, "the agent's offer");
      const offer = early.find((s) => s.type === 'offer');
      return offer && 'sdp' in offer ? offer.sdp : '';
    },
    attach(l: Leg): void {
      leg = l;
      open.push(l);
      for (const d of early.splice(0)) void l.signal(d);
    },
  };
}

test('against the fingerprint-only code, it finds two certificates that give both sides the same code', async (t) => {
  // 1,500 idle connections (about 15,000 descriptors); the pool's own pairs
  // collide with p ≈ 0.9 (1,500² / 10⁶ ≈ 2.25 expected), and fresh
  // certificates minted while the agent waits make up the rest.
  const started = Date.now();
  const pool = await CertificatePool.fill(1500);
  open.push(pool);
  const filled = Date.now() - started;

  const a = heldAgent();
  const agentFingerprint = sdpFingerprint(await a.offer());

  // The host as it was: it applied any offer, so a throwaway offer shows its
  // fingerprint before the pair is chosen (today's host refuses the second
  // offer: see the end of this test and peer.test.ts).
  let toHostSide: (d: SignalData) => void = () => {};
  const oldHost = new Leg(await mintCertificate(), (d) => toHostSide(d));
  open.push(oldHost);
  const probeAnswer = new Promise<string>((resolve) => {
    toHostSide = (d) => d.type === 'answer' && resolve(d.sdp);
  });
  const probe = new Leg(pool.take(), (d) => d.type === 'offer' && void oldHost.signal(d));
  open.push(probe);
  await probe.offer();
  const hostFingerprint = sdpFingerprint(await probeAnswer);

  const found = await findLegacyCollision(pool, agentFingerprint, hostFingerprint, 3000);
  assert.ok(found, 'a colliding pair within the pool and 3,000 fresh certificates');
  const toHost = new Leg(found.hostSide, (d) => void oldHost.signal(d));
  open.push(toHost);
  toHostSide = (d) => void toHost.signal(d);
  const toAgent = new Leg(found.agentSide, (d) => a.agent.signal(d));
  // Listened for before the agent gets its answer: it may connect while the host leg is offering.
  const agentConnected = next(a.agent, 'connected');
  a.attach(toAgent);
  await toHost.offer();
  await Promise.all([agentConnected, toAgent.connected(), toHost.connected(), oldHost.connected()]);

  const agentCode = legacyVerificationCode(
    sdpOf(a.agent.connection.currentLocalDescription),
    sdpOf(a.agent.connection.currentRemoteDescription),
  );
  const hostCode = legacyVerificationCode(
    sdpOf(oldHost.pc.currentLocalDescription),
    sdpOf(oldHost.pc.currentRemoteDescription),
  );
  assert.equal(agentCode, found.code);
  assert.equal(hostCode, agentCode, 'both sides would have read out the same code');
  // Yet each end holds a DTLS connection to the man in the middle.
  assert.equal(
    sdpFingerprint(sdpOf(a.agent.connection.currentRemoteDescription)),
    found.agentSide.fingerprint,
  );
  assert.equal(sdpFingerprint(sdpOf(oldHost.pc.currentRemoteDescription)), found.hostSide.fingerprint);
  assert.notEqual(found.agentSide.fingerprint, hostFingerprint);
  t.diagnostic(`pool filled in ${filled} ms; pair found after ${found.minted} fresh certificates`);

  // Today's host does not let it look first: the second offer is refused.
  const errors: Error[] = [];
  const host = new Peer({ initiator: false, wrtc: rtc, iceRestart: false, onSignal: () => {} });
  open.push(host);
  host.on('error', (e) => errors.push(e));
  const first = new Leg(pool.take(), (d) => d.type === 'offer' && host.signal(d));
  const second = new Leg(pool.take(), (d) => d.type === 'offer' && host.signal(d));
  open.push(first, second);
  await first.offer();
  await second.offer();
  await until(() => errors.length > 0, 5000, 'the refusal');
  assert.equal(errors[0]?.name, 'ForeignPeerError');
});

type Order = 'host leg first' | 'agent leg first';

/**
 * One session through the man in the middle with today's agent and host.
 * Each leg's exchange is played to its best: on the host leg it is the
 * agent, so it must commit before it sees the host's nonce; on the agent leg
 * it is the host, so it must send a nonce before the agent reveals. Having
 * finished one leg it knows that side's code, and the other leg still gives
 * it nothing to aim with. (No choice of certificate helps either: the
 * certificates are fixed before any nonce exists.)
 */
async function throughTheMiddle(pool: CertificatePool, order: Order) {
  const a = heldAgent();
  const host = new Peer({
    initiator: false,
    wrtc: rtc,
    iceRestart: false,
    onSignal: (d) => void toHost.signal(d),
  });
  open.push(host);
  const toHost = new Leg(pool.take(), (d) => host.signal(d));
  open.push(toHost);
  const agentFingerprint = sdpFingerprint(await a.offer());

  const hostLeg = async (aim?: string): Promise<{ code: string; hostNonce: string }> => {
    await toHost.offer();
    await toHost.connected();
    const fingerprints = {
      offer: toHost.fingerprint,
      answer: sdpFingerprint(sdpOf(toHost.pc.currentRemoteDescription)),
    };
    const nonce = aim ?? randomNonce();
    toHost.send({ type: 'verify_commit', commit: commitment(nonce, fingerprints) });
    const { nonce: hostNonce } = await toHost.receive('verify_nonce');
    toHost.send({ type: 'verify_reveal', nonce });
    return { code: verificationCodeFrom(fingerprints, nonce, hostNonce), hostNonce };
  };
  const agentLeg = async (aim?: string): Promise<{ code: string; agentNonce: string }> => {
    const toAgent = new Leg(pool.take(), (d) => a.agent.signal(d));
    a.attach(toAgent);
    await toAgent.connected();
    const { commit } = await toAgent.receive('verify_commit');
    // Blind: the agent's nonce is behind its commitment. Replaying the host's
    // nonce is as good as any other value.
    const nonce = aim ?? randomNonce();
    toAgent.send({ type: 'verify_nonce', nonce });
    const { nonce: agentNonce } = await toAgent.receive('verify_reveal');
    const fingerprints = { offer: agentFingerprint, answer: toAgent.fingerprint };
    assert.equal(commitment(agentNonce, fingerprints), commit, 'the agent kept its word');
    return { code: verificationCodeFrom(fingerprints, agentNonce, nonce), agentNonce };
  };

  let known: { agent: string; host: string };
  if (order === 'host leg first') {
    const h = await hostLeg();
    known = { host: h.code, agent: (await agentLeg(h.hostNonce)).code };
  } else {
    const g = await agentLeg();
    known = { agent: g.code, host: (await hostLeg(g.agentNonce)).code };
  }
  const [agentCode, hostCode] = await Promise.all([a.agent.verificationCode(), host.verificationCode()]);
  return { agentCode, hostCode, known };
}

test('against the commit-then-reveal code, the two sides show different codes in 20 of 20 runs', async () => {
  const pool = await CertificatePool.fill(45);
  open.push(pool);
  let differ = 0;
  for (let run = 0; run < 20; run++) {
    const order: Order = run % 2 === 0 ? 'host leg first' : 'agent leg first';
    const r = await throughTheMiddle(pool, order);
    // It did hold both connections: it knows exactly what each side shows.
    assert.deepEqual({ agent: r.agentCode, host: r.hostCode }, r.known, order);
    if (r.agentCode !== r.hostCode) differ += 1;
    for (const o of open.splice(1)) o.close(); // keep the pool
  }
  assert.equal(differ, 20);
});

test('passing the exchange straight through gives the host no code: the reveal does not match', async () => {
  const pool = await CertificatePool.fill(2);
  open.push(pool);
  const a = heldAgent();
  const errors: string[] = [];
  const host = new Peer({
    initiator: false,
    wrtc: rtc,
    iceRestart: false,
    onSignal: (d) => void toHost.signal(d),
  });
  open.push(host);
  host.on('error', (e) => errors.push(e.message));
  const toHost = new Leg(pool.take(), (d) => host.signal(d));
  const toAgent = new Leg(pool.take(), (d) => a.agent.signal(d));
  open.push(toHost);
  await a.offer();
  a.attach(toAgent);
  await toHost.offer();
  await Promise.all([toHost.connected(), toAgent.connected()]);
  toHost.send(await toAgent.receive('verify_commit'));
  toAgent.send(await toHost.receive('verify_nonce'));
  toHost.send(await toAgent.receive('verify_reveal'));
  await a.agent.verificationCode(); // the agent cannot tell; the host's check can
  await assert.rejects(host.verificationCode(), /does not match its commitment/);
  await until(() => errors.length > 0, 5000, 'the error event');
  assert.match(errors[0] ?? '', /someone may be between the peers/);
});

test('an honest pair always shows the same code on both sides (20 of 20)', async () => {
  for (let run = 0; run < 20; run++) {
    const p = makePair({ agent: { iceRestart: false }, host: { iceRestart: false } });
    open.push(p);
    await Promise.all([next(p.agent, 'connected'), next(p.host, 'connected')]);
    const [agentCode, hostCode] = await Promise.all([p.agent.verificationCode(), p.host.verificationCode()]);
    assert.equal(agentCode, hostCode, `run ${run}`);
    p.close();
  }
});
