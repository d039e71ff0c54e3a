import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import wrtc from '@roamhq/wrtc';
import type { IceServer } from '@beckon/protocol';
import { startCoturn, type Coturn } from '@beckon/session/testing';
import { iceServersFor, turnCredential } from './turn.ts';

const SECRET = 'a-shared-secret-for-tests';
let coturn: Coturn;
before(async () => {
  coturn = await startCoturn(SECRET);
});
after(() => coturn.stop());

test('credentials follow the TURN REST API scheme coturn checks', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  const c = turnCredential(SECRET, 'req.agent', 3600, now);
  assert.equal(c.username, `${Date.parse('2026-11-21T13:00:00Z') / 1000}:req.agent`);
  assert.equal(c.credential, createHmac('sha1', SECRET).update(c.username).digest('base64'));
  const servers = iceServersFor(
    { stunUrls: ['stun:a'], turnUrls: ['turn:b'], turnSecret: SECRET, turnTtlSec: 60 },
    'x',
    now,
  );
  assert.deepEqual(servers[0], { urls: ['stun:a'] });
  assert.deepEqual(
    iceServersFor({ stunUrls: [], turnUrls: ['turn:b'], turnSecret: undefined, turnTtlSec: 60 }, 'x', now),
    [],
  );
});

/** Gathers every candidate before answering (no trickle), which is all this test needs. */
async function gathered(pc: RTCPeerConnection): Promise<RTCSessionDescriptionInit> {
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => {
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    });
  }
  return pc.localDescription!;
}

async function relayedPair(iceServers: IceServer[]) {
  const config = { iceServers, iceTransportPolicy: 'relay' as const };
  const a: RTCPeerConnection = new wrtc.RTCPeerConnection(config);
  const b: RTCPeerConnection = new wrtc.RTCPeerConnection(config);
  const channel = a.createDataChannel('control');
  const received = new Promise<string>((resolve) => {
    b.addEventListener('datachannel', (e) =>
      e.channel.addEventListener('message', (m: MessageEvent) => resolve(String(m.data))),
    );
  });
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(await gathered(a));
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(await gathered(b));
  return { a, b, channel, received, offer: a.localDescription!.sdp };
}

test('a relay-only connection works through coturn with broker-issued credentials', async () => {
  const servers = iceServersFor(
    { stunUrls: [], turnUrls: coturn.urls, turnSecret: SECRET, turnTtlSec: 600 },
    'r.agent',
    new Date(),
  );
  const { a, b, channel, received, offer } = await relayedPair(servers);
  assert.match(offer, /typ relay/);
  await new Promise<void>((resolve) => channel.addEventListener('open', () => resolve()));
  channel.send('through the relay');
  assert.equal(await received, 'through the relay');
  a.close();
  b.close();
});

test('with a wrong TURN secret there is no relay candidate and no connection', async () => {
  const servers = iceServersFor(
    { stunUrls: [], turnUrls: coturn.urls, turnSecret: 'not-the-secret-at-all', turnTtlSec: 600 },
    'r.agent',
    new Date(),
  );
  const { a, b, offer } = await relayedPair(servers);
  assert.doesNotMatch(offer, /typ relay/);
  await new Promise((r) => setTimeout(r, 1500));
  assert.notEqual(a.iceConnectionState, 'connected');
  a.close();
  b.close();
});
