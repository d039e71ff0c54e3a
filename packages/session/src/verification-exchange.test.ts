import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VerifyMessage } from '@beckon/protocol';
import { parseChannelMessage } from './channels.ts';
import {
  VerificationExchange,
  isVerifyMessage,
  type VerificationExchangeOptions,
} from './verification-exchange.ts';
import { commitment, type DtlsFingerprints } from './verification.ts';

// The exchange on its own, wired back to back by hand, so each rule is seen
// on its own; the real peers run it in verification.test.ts and
// verification-mitm.test.ts.

const FP: DtlsFingerprints = { offer: 'sha-256 AA:01', answer: 'sha-256 BB:02' };

interface Side {
  exchange: VerificationExchange;
  sent: VerifyMessage[];
  errors: string[];
}

function side(initiator: boolean, options: Partial<VerificationExchangeOptions> = {}): Side {
  const sent: VerifyMessage[] = [];
  const errors: string[] = [];
  const exchange = new VerificationExchange({
    initiator,
    send: (m) => (sent.push(m), true),
    fingerprints: () => FP,
    onError: (e) => errors.push(e.message),
    ...options,
  });
  return { exchange, sent, errors };
}

/** Delivers what one side sent since the last call to the other. */
function pass(from: Side, to: Side): void {
  for (const m of from.sent.splice(0)) to.exchange.receive(m);
}

test('commit, nonce, reveal: both sides get the same code, the host only after checking the reveal', async () => {
  const agent = side(true);
  const host = side(false);
  host.exchange.start();
  assert.equal(host.sent.length, 0, 'the host says nothing before it holds a commitment');
  agent.exchange.start();
  assert.deepEqual(
    agent.sent.map((m) => m.type),
    ['verify_commit'],
  );
  pass(agent, host);
  assert.deepEqual(
    host.sent.map((m) => m.type),
    ['verify_nonce'],
  );
  pass(host, agent);
  assert.deepEqual(
    agent.sent.map((m) => m.type),
    ['verify_reveal'],
  );
  pass(agent, host);
  const [a, h] = await Promise.all([agent.exchange.code, host.exchange.code]);
  assert.equal(a, h);
  assert.deepEqual([...agent.errors, ...host.errors], []);
});

test('a commitment that arrives before the host is connected is answered once it is', async () => {
  const agent = side(true);
  const host = side(false);
  agent.exchange.start();
  pass(agent, host);
  assert.equal(host.sent.length, 0);
  host.exchange.start();
  pass(host, agent);
  pass(agent, host);
  assert.equal(await agent.exchange.code, await host.exchange.code);
});

test('a reveal that does not match the commitment gives the host no code and a clear error', async () => {
  const host = side(false);
  host.exchange.start();
  const nonce = 'a'.repeat(64);
  host.exchange.receive({ type: 'verify_commit', commit: commitment(nonce, FP) });
  host.exchange.receive({ type: 'verify_reveal', nonce: 'b'.repeat(64) });
  await assert.rejects(host.exchange.code, /does not match its commitment/);
  assert.match(host.errors[0] ?? '', /does not match/);
  // Nothing later changes that: a second try on this connection is refused too.
  host.exchange.receive({ type: 'verify_reveal', nonce });
  assert.match(host.errors[1] ?? '', /after the verification ended/);
});

test('a commitment over other fingerprints (a relay passing messages through) fails the check', async () => {
  const agent = side(true, { fingerprints: () => ({ ...FP, answer: 'sha-256 EE:EE' }) });
  const host = side(false);
  agent.exchange.start();
  host.exchange.start();
  pass(agent, host);
  pass(host, agent);
  pass(agent, host);
  await agent.exchange.code; // the agent cannot tell: it is the host's check that fails
  await assert.rejects(host.exchange.code, /does not match its commitment/);
});

test('messages out of turn end the exchange without a code', async () => {
  const nonce = 'c'.repeat(64);
  const cases: [boolean, VerifyMessage[]][] = [
    // The host never takes a reveal before it sent its nonce, nor a nonce at all.
    [false, [{ type: 'verify_reveal', nonce }]],
    [false, [{ type: 'verify_nonce', nonce }]],
    [
      false,
      [
        { type: 'verify_commit', commit: nonce },
        { type: 'verify_commit', commit: nonce },
      ],
    ],
    // The agent takes a nonce only after its commitment, and nothing else.
    [true, [{ type: 'verify_nonce', nonce }]],
    [true, [{ type: 'verify_commit', commit: nonce }]],
  ];
  for (const [initiator, messages] of cases) {
    const s = side(initiator);
    for (const m of messages) s.exchange.receive(m);
    await assert.rejects(s.exchange.code, /out of turn/, JSON.stringify(messages));
  }
});

test('silence times out, a closed channel or missing fingerprints fail, and close rejects', async () => {
  const silent = side(true, { timeoutMs: 30 });
  silent.exchange.start();
  await assert.rejects(silent.exchange.code, /did not finish the exchange/);

  const closedChannel = side(true, { send: () => false });
  closedChannel.exchange.start();
  await assert.rejects(closedChannel.exchange.code, /control channel is not open/);

  const unnegotiated = side(true, {
    fingerprints: () => {
      throw new Error('not negotiated yet');
    },
  });
  unnegotiated.exchange.start();
  await assert.rejects(unnegotiated.exchange.code, /not negotiated yet/);

  const closing = side(false);
  closing.exchange.start();
  closing.exchange.close();
  await assert.rejects(closing.exchange.code, /closed before a code/);
  assert.deepEqual(closing.errors, [], 'an ordinary close is not an error to log');
});

test('the exchange rides control, parsed like every other message', () => {
  const nonce = 'd'.repeat(64);
  const ok = parseChannelMessage('control', JSON.stringify({ type: 'verify_reveal', nonce }));
  assert.ok(ok.ok && isVerifyMessage(ok.value));
  for (const [label, frame] of [
    ['control', { type: 'verify_reveal', nonce: nonce.toUpperCase() }],
    ['control', { type: 'verify_nonce', nonce: nonce.slice(1) }],
    ['control', { type: 'verify_commit', commit: nonce, extra: 1 }],
    ['files', { type: 'verify_commit', commit: nonce }],
  ] as const) {
    const bad = parseChannelMessage(label, JSON.stringify(frame));
    assert.equal(bad.ok, false, JSON.stringify(frame));
  }
});
