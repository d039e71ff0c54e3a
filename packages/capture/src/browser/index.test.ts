import assert from 'node:assert/strict';
import { it } from 'node:test';
import { browserCaptureSupport } from './index.ts';

it('detects getDisplayMedia and never offers input', () => {
  assert.deepEqual(browserCaptureSupport({ mediaDevices: { getDisplayMedia: () => {} } }), {
    displayMedia: true,
    input: false,
  });
  assert.deepEqual(browserCaptureSupport(undefined), { displayMedia: false, input: false });
  assert.deepEqual(browserCaptureSupport({}), { displayMedia: false, input: false });
});
