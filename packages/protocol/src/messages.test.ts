import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataChannelMessageSchema, DC_MAX_MESSAGE_BYTES } from './datachannel.ts';
import { parseJsonFrame, parseWith, utf8Length } from './parse.ts';
import { AgentSignalMessageSchema, AssistSignalMessageSchema, SIGNAL_MAX_FRAME_BYTES } from './signaling.ts';

const ok = (schema: Parameters<typeof parseWith>[0], v: unknown) =>
  assert.equal(parseWith(schema, v).ok, true, JSON.stringify(v));
const bad = (schema: Parameters<typeof parseWith>[0], v: unknown) => {
  const r = parseWith(schema, v);
  assert.equal(r.ok, false, JSON.stringify(v)?.slice(0, 200));
  if (!r.ok) {
    assert.equal(r.error.code, 'validation_failed');
    assert.ok(r.error.message.length > 0);
  }
};

test('data-channel messages: valid ones parse', () => {
  ok(DataChannelMessageSchema, { type: 'pointer_move', x: 0.5, y: 1 });
  ok(DataChannelMessageSchema, { type: 'pointer_button', button: 'left', action: 'down', x: 0, y: 0 });
  ok(DataChannelMessageSchema, {
    type: 'key',
    action: 'down',
    code: 'KeyA',
    key: 'a',
    modifiers: { shift: false, ctrl: true, alt: false, meta: false },
  });
  ok(DataChannelMessageSchema, {
    type: 'file_offer',
    transferId: crypto.randomUUID(),
    name: '../../etc/passwd',
    size: 10,
  });
  ok(DataChannelMessageSchema, {
    type: 'file_chunk',
    transferId: crypto.randomUUID(),
    seq: 0,
    data: 'aGVsbG8=',
  });
  ok(DataChannelMessageSchema, { type: 'stop', reason: 'user' });
});

test('data-channel messages: malformed ones are refused with a clear error', () => {
  const id = crypto.randomUUID();
  for (const v of [
    null,
    42,
    'x',
    [],
    {},
    { type: 'nope' },
    { type: 'pointer_move', x: 1.5, y: 0 },
    { type: 'pointer_move', x: -0.1, y: 0 },
    { type: 'pointer_move', x: '0.5', y: 0 },
    { type: 'pointer_move', x: 0.5, y: 0.5, extra: true },
    { type: 'pointer_button', button: 'back', action: 'down', x: 0, y: 0 },
    {
      type: 'key',
      action: 'down',
      code: 'Key A',
      key: 'a',
      modifiers: { shift: false, ctrl: false, alt: false, meta: false },
    },
    { type: 'key', action: 'down', code: 'KeyA', key: 'a' },
    { type: 'type_text', text: '' },
    { type: 'type_text', text: 'x'.repeat(5000) },
    { type: 'clipboard', text: 'x'.repeat(100_001) },
    { type: 'file_offer', transferId: 'not-a-uuid', name: 'a', size: 1 },
    { type: 'file_offer', transferId: id, name: '', size: 1 },
    { type: 'file_offer', transferId: id, name: 'a', size: -1 },
    { type: 'file_chunk', transferId: id, seq: 0, data: 'not base64!' },
    { type: 'file_chunk', transferId: id, seq: 0, data: 'A'.repeat(70_000) },
    { type: 'monitor_start', intervalMs: 1 },
    { type: 'permission_change', permissions: ['control'] },
    { type: 'permission_change', permissions: ['view', 'view'] },
  ])
    bad(DataChannelMessageSchema, v);
});

test('signaling messages: role-specific unions', () => {
  ok(AgentSignalMessageSchema, { type: 'connect', permissions: ['view', 'control'] });
  bad(AssistSignalMessageSchema, { type: 'connect', permissions: ['view'] });
  ok(AssistSignalMessageSchema, {
    type: 'consent',
    questionId: 'a'.repeat(32),
    granted: true,
    permissions: ['view'],
  });
  bad(AssistSignalMessageSchema, { type: 'consent', granted: true, permissions: ['view'] });
  bad(AgentSignalMessageSchema, { type: 'consent', granted: true });
  ok(AgentSignalMessageSchema, { type: 'signal', data: { type: 'offer', sdp: 'v=0' } });
  ok(AgentSignalMessageSchema, {
    type: 'signal',
    data: { type: 'candidate', candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0 } },
  });
  bad(AgentSignalMessageSchema, { type: 'signal', data: { type: 'offer', sdp: 'x'.repeat(70_000) } });
  bad(AgentSignalMessageSchema, { type: 'signal', data: { type: 'candidate', candidate: 'x' } });
});

test('frames: oversized and non-JSON frames are refused before parsing', () => {
  const huge = JSON.stringify({ type: 'clipboard', text: 'x'.repeat(DC_MAX_MESSAGE_BYTES) });
  const r1 = parseJsonFrame(DataChannelMessageSchema, huge, DC_MAX_MESSAGE_BYTES);
  assert.equal(r1.ok, false);
  if (!r1.ok) assert.equal(r1.error.code, 'payload_too_large');
  // Multi-byte text that is short in UTF-16 but over the limit in UTF-8.
  const wide = JSON.stringify({ type: 'hello', v: 1, pad: '語'.repeat(SIGNAL_MAX_FRAME_BYTES / 2) });
  assert.ok(wide.length < SIGNAL_MAX_FRAME_BYTES && utf8Length(wide) > SIGNAL_MAX_FRAME_BYTES);
  const r2 = parseJsonFrame(AgentSignalMessageSchema, wide, SIGNAL_MAX_FRAME_BYTES);
  assert.equal(r2.ok, false);
  if (!r2.ok) assert.equal(r2.error.code, 'payload_too_large');
  const r3 = parseJsonFrame(AgentSignalMessageSchema, '{"type":', SIGNAL_MAX_FRAME_BYTES);
  assert.equal(r3.ok, false);
  if (!r3.ok) assert.equal(r3.error.code, 'bad_request');
  const r4 = parseJsonFrame(AgentSignalMessageSchema, '{"type":"end_session"}', SIGNAL_MAX_FRAME_BYTES);
  assert.equal(r4.ok, true);
});

test('utf8Length matches TextEncoder', () => {
  for (const s of ['', 'abc', 'é', '語', '😀', 'a😀b語é'])
    assert.equal(utf8Length(s), new TextEncoder().encode(s).length, s);
});
