import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { makePair, next, type Pair } from './testing/pair.ts';
import {
  commitment,
  formatCode,
  randomNonce,
  sdpFingerprint,
  sdpFingerprints,
  verificationCodeFrom,
} from './verification.ts';

const open: Pair[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});
async function connected(): Promise<Pair> {
  const p = makePair();
  open.push(p);
  await Promise.all([next(p.agent, 'connected'), next(p.host, 'connected')]);
  return p;
}

test('both ends of a real connection show the same code, every time; another connection another', async () => {
  const codes = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const p = await connected();
    const messages: string[] = [];
    p.host.on('message', (m) => messages.push(m.type));
    p.agent.on('message', (m) => messages.push(m.type));
    const [agentCode, hostCode] = await Promise.all([p.agent.verificationCode(), p.host.verificationCode()]);
    assert.match(agentCode, /^\d{3} \d{3}$/);
    assert.equal(agentCode, hostCode);
    assert.deepEqual(messages, [], 'the exchange never reaches the app');
    codes.add(agentCode);
    p.close();
  }
  assert.equal(codes.size, 5, 'fresh certificates and nonces, a fresh code');
});

test('the code depends on both fingerprints, by role, and on both nonces', () => {
  const fp = { offer: 'sha-256 AA:01', answer: 'sha-256 BB:02' };
  const [a, b] = [randomNonce(), randomNonce()];
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.notEqual(a, b);
  const code = verificationCodeFrom(fp, a, b);
  assert.equal(verificationCodeFrom({ ...fp }, a, b), code, 'deterministic');
  const others = [
    verificationCodeFrom({ offer: fp.answer, answer: fp.offer }, a, b),
    verificationCodeFrom({ ...fp, answer: 'sha-256 BB:03' }, a, b),
    verificationCodeFrom(fp, b, a),
    verificationCodeFrom(fp, a, randomNonce()),
  ];
  for (const other of others) assert.notEqual(other, code);
  // The commitment binds the nonce and the committer's view of the fingerprints.
  const c = commitment(a, fp);
  assert.match(c, /^[0-9a-f]{64}$/);
  assert.notEqual(commitment(b, fp), c);
  assert.notEqual(commitment(a, { ...fp, offer: 'sha-256 AA:09' }), c);
});

test('fingerprints are read from every a=fingerprint line, normalized and deduplicated', () => {
  const sdp = [
    'v=0',
    'a=fingerprint:SHA-256 ab:cd:EF',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=fingerprint:sha-256 AB:CD:EF',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'a=fingerprint:sha-1 01:02',
    'a=fingerprint:garbage',
  ].join('\r\n');
  assert.deepEqual(sdpFingerprints(sdp), ['sha-256 AB:CD:EF', 'sha-1 01:02']);
  // A code covers the one certificate DTLS checks: extra lines a relay adds are refused, not hashed.
  assert.throws(() => sdpFingerprint(sdp), /more than one DTLS fingerprint/);
  assert.equal(sdpFingerprint(sdp.replace('a=fingerprint:sha-1 01:02', '')), 'sha-256 AB:CD:EF');
  assert.throws(() => sdpFingerprint('v=0'), /no DTLS fingerprint/);
  assert.equal(formatCode(new Uint8Array([0, 0, 0, 42])), '000 042');
  assert.equal(formatCode(new Uint8Array([0xff, 0xff, 0xff, 0xff])), '967 295');
});

test('no code from a peer that closes before the exchange', async () => {
  const p = makePair();
  open.push(p);
  const code = p.host.verificationCode();
  p.close();
  await assert.rejects(code, { name: 'VerificationError', message: /closed before a code/ });
});
