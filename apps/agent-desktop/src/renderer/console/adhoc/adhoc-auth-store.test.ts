import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataChannelMessage } from '@beckon/protocol';
import { createAdhocAuthStore } from './adhoc-auth-store.ts';

test('the password goes out only when the host asked, once, and a late or unasked result changes nothing', () => {
  const sent: DataChannelMessage[] = [];
  const store = createAdhocAuthStore((m) => sent.push(m));
  store.getState().submit('early');
  assert.deepEqual(sent, [], 'nothing before the host asks');
  store.getState().receive({ type: 'adhoc_auth_result', ok: true });
  assert.equal(store.getState().phase, 'none', 'a result nobody waited for is ignored');
  store.getState().receive({ type: 'adhoc_auth_request' });
  assert.equal(store.getState().phase, 'asked');
  store.getState().submit('pw');
  store.getState().submit('pw again');
  assert.deepEqual(sent, [{ type: 'adhoc_auth', password: 'pw' }]);
  store.getState().receive({ type: 'adhoc_auth_result', ok: false });
  assert.equal(store.getState().phase, 'refused');
  store.getState().reset();
  assert.equal(store.getState().phase, 'none');
});
