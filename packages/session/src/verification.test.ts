import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { makePair, next, type Pair } from './testing/pair.ts';
import { formatCode, sdpFingerprints, verificationCode } from './verification.ts';

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

test('both ends of a real connection show the same code; another connection shows another', async () => {
  const a = await connected();
  const [agentCode, hostCode] = await Promise.all([a.agent.verificationCode(), a.host.verificationCode()]);
  assert.match(agentCode, /^\d{3} \d{3}$/);
  assert.equal(agentCode, hostCode);

  const b = await connected();
  const other = await b.agent.verificationCode();
  assert.equal(other, await b.host.verificationCode());
  assert.notEqual(other, agentCode, 'fresh certificates, a fresh code');
});

test('a swapped fingerprint (a relay in the middle) changes the code', async () => {
  const p = await connected();
  const local = p.agent.connection.localDescription!.sdp;
  const remote = p.agent.connection.remoteDescription!.sdp;
  const honest = await verificationCode(local, remote);
  const [fp] = sdpFingerprints(remote);
  assert.ok(fp);
  const hex = fp.split(' ')[1]!;
  const flipped = (hex[0] === 'A' ? 'B' : 'A') + hex.slice(1);
  const tampered = remote.replaceAll(hex, flipped);
  assert.notEqual(await verificationCode(local, tampered), honest);
  // Order and spelling do not matter: the answerer's view of the same pair agrees.
  assert.equal(await verificationCode(remote.toLowerCase(), local), honest);
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
  assert.equal(formatCode(new Uint8Array([0, 0, 0, 42])), '000 042');
  assert.equal(formatCode(new Uint8Array([0xff, 0xff, 0xff, 0xff])), '967 295');
});

test('no code without fingerprints or before negotiation', async () => {
  await assert.rejects(verificationCode('v=0', 'v=0'), /no DTLS fingerprint/);
  const p = makePair();
  open.push(p);
  await assert.rejects(p.host.verificationCode(), /not negotiated/);
});
