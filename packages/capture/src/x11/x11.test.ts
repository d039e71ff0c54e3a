import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startXvfb, type Xvfb } from '../testing/index.ts';
import { parseDisplayName, X11Connection } from './connection.ts';
import { keysymForCodePoint, X11Keyboard, XK } from './keyboard.ts';
import { findCookie, parseXauthority } from './xauth.ts';

// Our X11 wire client against real servers: one that demands a cookie, one
// that is not there at all.

function counted(b: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
}

function xauthEntry(family: number, address: string, number: string, cookie: Buffer): Buffer {
  const fam = Buffer.alloc(2);
  fam.writeUInt16BE(family);
  return Buffer.concat([
    fam,
    counted(Buffer.from(address)),
    counted(Buffer.from(number)),
    counted(Buffer.from('MIT-MAGIC-COOKIE-1')),
    counted(cookie),
  ]);
}

const dir = mkdtempSync(join(tmpdir(), 'beckon-x11-'));
const cookie = randomBytes(16);
const authFile = join(dir, 'Xauthority');
writeFileSync(authFile, xauthEntry(65535, '', '', cookie));

let xvfb: Xvfb;
before(async () => {
  xvfb = await startXvfb({ width: 800, height: 600, xauthority: authFile });
});
after(async () => {
  await xvfb?.stop();
});

async function withXauthority<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.XAUTHORITY;
  process.env.XAUTHORITY = file;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.XAUTHORITY;
    else process.env.XAUTHORITY = saved;
  }
}

describe('Xauthority', () => {
  it('parses entries and picks the cookie for the display', () => {
    const local = randomBytes(16);
    const other = randomBytes(16);
    const file = Buffer.concat([
      xauthEntry(256, hostname(), '7', other),
      xauthEntry(256, hostname(), '3', local),
      xauthEntry(0, '', '3', randomBytes(16)).subarray(0, 10), // a truncated tail is ignored
    ]);
    assert.equal(parseXauthority(file).length, 2);
    const path = join(dir, 'multi');
    writeFileSync(path, file);
    assert.deepEqual(findCookie('', 3, path), local);
    assert.deepEqual(findCookie('', 7, path), other);
    assert.equal(findCookie('', 9, path), undefined);
    assert.equal(findCookie('', 3, join(dir, 'missing')), undefined);
  });

  it('reads display names', () => {
    assert.deepEqual(parseDisplayName(':0'), { host: '', number: 0 });
    assert.deepEqual(parseDisplayName('unix:12.0'), { host: 'unix', number: 12 });
    assert.deepEqual(parseDisplayName('example.org:3'), { host: 'example.org', number: 3 });
    assert.equal(parseDisplayName('wayland-0'), undefined);
  });
});

describe('X11Connection', () => {
  it('is let in with the cookie and reads the screen', async () => {
    const conn = await withXauthority(authFile, () => X11Connection.open(xvfb.display));
    try {
      assert.equal(conn.setup.widthPx, 800);
      assert.equal(conn.setup.heightPx, 600);
      assert.ok(conn.setup.minKeycode >= 8);
      assert.equal(typeof (await conn.extensionOpcode('XTEST')), 'number');
      assert.equal(await conn.extensionOpcode('NO-SUCH-EXTENSION'), undefined);
      await conn.sync();
    } finally {
      conn.close();
    }
  });

  it('is refused without the cookie', async () => {
    await assert.rejects(
      withXauthority(join(dir, 'missing'), () => X11Connection.open(xvfb.display)),
      /refused the connection/,
    );
  });

  it('reports a display nobody serves', async () => {
    await assert.rejects(X11Connection.open(':4999'), /cannot reach X display :4999/);
    await assert.rejects(X11Connection.open('wayland-0'), /not an X display name/);
  });

  it('reports protocol errors at the next sync', async () => {
    const conn = await withXauthority(authFile, () => X11Connection.open(xvfb.display));
    try {
      const bad = Buffer.alloc(4);
      bad.writeUInt16LE(1, 2);
      bad[0] = 127; // NoOperation is fine; opcode 0 is no request (BadRequest, error 1)
      conn.send(bad);
      await conn.sync();
      bad[0] = 0;
      conn.send(bad);
      await assert.rejects(conn.sync(), /X11 error 1 /);
    } finally {
      conn.close();
    }
  });
});

describe('X11Keyboard', () => {
  it('locates keysyms with and without Shift, and finds spare keycodes', async () => {
    const conn = await withXauthority(authFile, () => X11Connection.open(xvfb.display));
    try {
      const kb = await X11Keyboard.open(conn);
      const a = kb.locate(0x61);
      assert.deepEqual(kb.locate(0x41), { keycode: a?.keycode, shift: true });
      assert.equal(a?.shift, false);
      assert.equal(kb.locate(XK.Return)?.shift, false);
      assert.equal(kb.locate(0x01000000 | 0x65e5), undefined, '日 is on no US key');
      const spare = kb.spareKeycodes();
      assert.ok(spare.length > 0);
      // Binding a spare keycode is seen after the server announces the new mapping.
      kb.bind(spare[0]!, 0x01000000 | 0x65e5);
      await kb.sync();
      await kb.sync(); // the MappingNotify has arrived by the second round trip
      await kb.refresh();
      assert.deepEqual(kb.locate(0x01000000 | 0x65e5), { keycode: spare[0], shift: false });
      kb.bind(spare[0]!, 0);
      await kb.sync();
      await kb.sync();
      await kb.refresh();
      assert.equal(kb.locate(0x01000000 | 0x65e5), undefined);
    } finally {
      conn.close();
    }
  });

  it('maps code points to keysyms', () => {
    assert.equal(keysymForCodePoint('a'.codePointAt(0)!), 0x61);
    assert.equal(keysymForCodePoint('é'.codePointAt(0)!), 0xe9);
    assert.equal(keysymForCodePoint('€'.codePointAt(0)!), 0x010020ac);
    assert.equal(keysymForCodePoint('🙂'.codePointAt(0)!), 0x0101f642);
    assert.equal(keysymForCodePoint(10), XK.Return);
    assert.equal(keysymForCodePoint(9), XK.Tab);
    assert.equal(keysymForCodePoint(7), undefined);
  });
});
