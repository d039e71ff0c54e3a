import assert from 'node:assert/strict';
import { test } from 'node:test';
import wrtc from '@roamhq/wrtc';
import { makePair, next } from './testing/pair.ts';
import { sdpVideoCodecs } from './testing/sdp.ts';
import { VIDEO_CODEC_ORDER, orderVideoCodecs } from './video-tuning.ts';

test('VP8, VP9 and AV1 go first, in that order; everything else keeps its place after them', () => {
  // Safari's receive capabilities put H264 first; rtx and fec must stay in the list.
  const safari = ['H264', 'rtx', 'H264', 'rtx', 'VP8', 'rtx', 'VP9', 'rtx', 'AV1', 'red', 'ulpfec'].map(
    (name, i) => ({ mimeType: `video/${name}`, i }),
  );
  const ordered = orderVideoCodecs(safari);
  assert.deepEqual(
    ordered.map((c) => c.mimeType.slice(6)),
    ['VP8', 'VP9', 'AV1', 'H264', 'rtx', 'H264', 'rtx', 'rtx', 'rtx', 'red', 'ulpfec'],
  );
  assert.deepEqual(
    ordered.filter((c) => c.mimeType === 'video/H264').map((c) => c.i),
    [0, 2],
    'ties keep their order',
  );
  assert.equal(safari[0]!.mimeType, 'video/H264', 'the input is left alone');
  assert.deepEqual(orderVideoCodecs([{ mimeType: 'VIDEO/vp9' }, { mimeType: 'video/vp8' }]), [
    { mimeType: 'video/vp8' },
    { mimeType: 'VIDEO/vp9' },
  ]);
});

test("wrtc's own capabilities reorder to a permutation of themselves", () => {
  const codecs = wrtc.RTCRtpReceiver.getCapabilities('video')!.codecs;
  const ordered = orderVideoCodecs(codecs);
  assert.equal(ordered.length, codecs.length);
  assert.deepEqual(new Set(ordered), new Set(codecs));
  const first = [...new Set(ordered.map((c) => c.mimeType))].slice(0, VIDEO_CODEC_ORDER.length);
  assert.deepEqual(first, [...VIDEO_CODEC_ORDER]);
});

test("the agent's offer lists the video codecs in that order, and the host answers with VP8", async () => {
  const p = makePair();
  try {
    await next(p.agent, 'connected');
    const offer = p.signals.agent.find((s) => s.type === 'offer');
    const answer = p.signals.host.find((s) => s.type === 'answer');
    assert.ok(offer?.type === 'offer' && answer?.type === 'answer');
    assert.deepEqual(sdpVideoCodecs(offer.sdp).slice(0, 3), ['VP8', 'VP9', 'AV1']);
    assert.equal(sdpVideoCodecs(answer.sdp)[0], 'VP8');
  } finally {
    p.close();
  }
});
