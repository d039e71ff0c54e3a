import assert from 'node:assert/strict';
import { it } from 'node:test';
import { BrowserCaptureError, browserCaptureSupport, startBrowserCapture } from './index.ts';

it('detects getDisplayMedia and never offers input', () => {
  assert.deepEqual(browserCaptureSupport({ mediaDevices: { getDisplayMedia: () => {} } }), {
    displayMedia: true,
    input: false,
  });
  assert.deepEqual(browserCaptureSupport(undefined), { displayMedia: false, input: false });
  assert.deepEqual(browserCaptureSupport({}), { displayMedia: false, input: false });
});

it('rejects as unsupported where there is no getDisplayMedia (Node has no navigator.mediaDevices)', async () => {
  await assert.rejects(startBrowserCapture(undefined), (err) => {
    assert.ok(err instanceof BrowserCaptureError);
    assert.equal(err.code, 'unsupported');
    return true;
  });
});
