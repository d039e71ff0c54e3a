import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DC_MAX_MESSAGE_BYTES, DataChannelLabel } from '@beckon/protocol';
import { channelForMessage, encodeChannelMessage, parseChannelMessage } from './channels.ts';

test('each message type has one channel', () => {
  assert.equal(channelForMessage('pointer_move'), DataChannelLabel.POINTER);
  assert.equal(channelForMessage('pointer_button'), DataChannelLabel.CONTROL);
  assert.equal(channelForMessage('pointer_wheel'), DataChannelLabel.CONTROL);
  assert.equal(channelForMessage('file_chunk'), DataChannelLabel.FILES);
  assert.equal(channelForMessage('file_offer'), DataChannelLabel.FILES);
  assert.equal(channelForMessage('stop'), DataChannelLabel.CONTROL);
});

test('oversized frames are refused before parsing, in both directions', () => {
  const big = JSON.stringify({ type: 'clipboard', text: 'x'.repeat(DC_MAX_MESSAGE_BYTES) });
  const parsed = parseChannelMessage(DataChannelLabel.CONTROL, big);
  assert.ok(!parsed.ok && parsed.invalid.reason === 'too_large');
  // Within the schema's 100 000 characters, but 3 bytes each in UTF-8.
  assert.throws(
    () => encodeChannelMessage(DataChannelLabel.CONTROL, { type: 'clipboard', text: '€'.repeat(90_000) }),
    RangeError,
  );
  assert.ok(encodeChannelMessage(DataChannelLabel.CONTROL, { type: 'clipboard', text: '€'.repeat(80_000) }));
});
