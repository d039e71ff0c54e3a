import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotifyArgsSchema, showNotification, type NativeNotifications } from './notifications.ts';

const id = '3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b';

describe('notify arguments', () => {
  it('accept a title, a body and a request id', () => {
    assert.ok(
      NotifyArgsSchema.safeParse([{ title: 'Ann is waiting', body: 's12-345-678', requestId: id }]).success,
    );
    assert.ok(NotifyArgsSchema.safeParse([{ title: '<img src=x>', body: '' }]).success);
  });
  it('refuse extra fields, control characters, bad ids and oversize text', () => {
    for (const bad of [
      [],
      [{ title: 't', body: 'b', extra: 1 }],
      [{ title: 'a\u0007b', body: '' }],
      [{ title: 't', body: 'b', requestId: 'x' }],
      [{ title: 'x'.repeat(201), body: '' }],
      [{ title: '', body: '' }],
      [{ title: 't', body: 'b' }, 'more'],
    ])
      assert.equal(NotifyArgsSchema.safeParse(bad).success, false, JSON.stringify(bad));
  });
});

describe('showNotification', () => {
  it('opens the request on click and reports unsupported systems', () => {
    const opened: string[] = [];
    let click = () => {};
    const native: NativeNotifications = { isSupported: () => true, show: (_n, onClick) => (click = onClick) };
    assert.equal(
      showNotification(native, { title: 't', body: 'b', requestId: id }, (r) => opened.push(r)),
      true,
    );
    click();
    assert.deepEqual(opened, [id]);
    assert.equal(
      showNotification({ ...native, isSupported: () => false }, { title: 't', body: '' }, () => {}),
      false,
    );
  });
});
