import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataChannelMessage } from '@beckon/protocol';
import { createFmStore } from './fm-store.ts';

test('paths are built from segments under one allowed folder; a late listing never replaces a newer one', () => {
  const sent: DataChannelMessage[] = [];
  const fm = createFmStore((m) => sent.push(m));
  fm.getState().receive({ type: 'fm_roots_result', id: 'r1', roots: ['/home/ada'] });
  fm.getState().enter('docs');
  fm.getState().enter('2026');
  const lists = sent.filter((m) => m.type === 'fm_list');
  assert.deepEqual(
    lists.map((m) => (m.type === 'fm_list' ? m.path : '')),
    ['', 'docs', 'docs/2026'],
  );
  const [first, , last] = lists.map((m) => (m.type === 'fm_list' ? m.id : ''));
  fm.getState().receive({ type: 'fm_listing', id: last!, entries: [], truncated: false });
  fm.getState().receive({
    type: 'fm_listing',
    id: first!,
    entries: [{ name: 'stale', kind: 'file', size: 1, modifiedAt: '' }],
    truncated: false,
  });
  assert.deepEqual(fm.getState().entries, [], 'the stale answer was dropped');
  fm.getState().download('a.txt');
  assert.deepEqual(sent.at(-1), {
    type: 'fm_download',
    id: (sent.at(-1) as { id: string }).id,
    root: 0,
    path: 'docs/2026/a.txt',
  });
  fm.getState().up();
  assert.deepEqual(fm.getState().path, ['docs']);
});
