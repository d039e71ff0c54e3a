import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataChannelMessageSchema } from '@beckon/protocol';
import { en } from '../i18n/catalog-en.ts';
import { KEY_COMBOS, comboMessages } from './key-combos.ts';
import { createHeldKeys, keyMessage, type KeyEventLike } from './keyboard-mapping.ts';

const ev = (over: Partial<KeyEventLike>): KeyEventLike => ({
  type: 'keydown',
  code: 'KeyA',
  key: 'a',
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...over,
});

describe('keyMessage', () => {
  it('sends the physical key with the modifier state', () => {
    assert.deepEqual(keyMessage(ev({ code: 'KeyZ', key: 'y', shiftKey: true, ctrlKey: true })), {
      type: 'key',
      action: 'down',
      code: 'KeyZ',
      key: 'y',
      modifiers: { shift: true, ctrl: true, alt: false, meta: false },
    });
    assert.equal(keyMessage(ev({ type: 'keyup', code: 'Enter', key: 'Enter' }))?.action, 'up');
  });

  it('skips what has no physical key', () => {
    assert.equal(keyMessage(ev({ code: '' })), null);
    assert.equal(keyMessage(ev({ code: 'Unidentified' })), null);
    assert.equal(keyMessage(ev({ isComposing: true })), null);
    assert.equal(keyMessage(ev({ type: 'keypress' })), null);
    assert.equal(keyMessage(ev({ code: 'Key A' })), null);
  });

  it('always produces valid protocol messages, even for long or odd keys', () => {
    for (const e of [
      ev({}),
      ev({ key: 'Dead' }),
      ev({ key: '😀'.repeat(40) }),
      ev({ code: 'NumpadEnter', key: 'Enter' }),
    ]) {
      const msg = keyMessage(e);
      assert.ok(DataChannelMessageSchema.safeParse(msg).success, JSON.stringify(msg));
    }
  });
});

describe('held keys', () => {
  it('releases what is still down, latest first', () => {
    const held = createHeldKeys();
    for (const e of [
      ev({ code: 'ControlLeft', key: 'Control' }),
      ev({ code: 'KeyC', key: 'c', ctrlKey: true }),
    ]) {
      const msg = keyMessage(e);
      if (msg) held.track(msg);
    }
    const up = keyMessage(ev({ type: 'keyup', code: 'KeyC', key: 'c', ctrlKey: true }));
    if (up) held.track(up);
    assert.equal(held.size(), 1);
    assert.deepEqual(
      held.releaseAll().map((m) => [m.code, m.action]),
      [['ControlLeft', 'up']],
    );
    assert.equal(held.releaseAll().length, 0);
  });
});

describe('key combinations', () => {
  it('Ctrl+Alt+Del: downs in order, ups in reverse, modifiers as a keyboard reports them', () => {
    const msgs = comboMessages(KEY_COMBOS.find((c) => c.id === 'ctrl-alt-del')?.keys ?? []);
    assert.deepEqual(
      msgs.map((m) => `${m.action}:${m.code}:${+m.modifiers.ctrl}${+m.modifiers.alt}`),
      [
        'down:ControlLeft:10',
        'down:AltLeft:11',
        'down:Delete:11',
        'up:Delete:11',
        'up:AltLeft:10',
        'up:ControlLeft:00',
      ],
    );
  });

  it('every combination is valid protocol, labelled, and leaves nothing held', () => {
    const ids = new Set<string>();
    for (const combo of KEY_COMBOS) {
      assert.ok(!ids.has(combo.id));
      ids.add(combo.id);
      assert.ok(en[combo.label]);
      const msgs = comboMessages(combo.keys);
      for (const m of msgs) assert.ok(DataChannelMessageSchema.safeParse(m).success, `${combo.id} ${m.code}`);
      const held = createHeldKeys();
      msgs.forEach((m) => held.track(m));
      assert.equal(held.size(), 0, combo.id);
      const last = msgs[msgs.length - 1];
      assert.deepEqual(last?.modifiers, { shift: false, ctrl: false, alt: false, meta: false });
    }
    for (const wanted of ['ctrl-alt-del', 'alt-tab', 'meta', 'ctrl-esc', 'print-screen'])
      assert.ok(ids.has(wanted));
  });
});
