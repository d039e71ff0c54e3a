import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64ToBytes, bytesToBase64 } from './base64.ts';
import { Sha256 } from './sha256.ts';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const webCrypto = async (b: Uint8Array) =>
  hex(new Uint8Array(await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>)));

test('matches the FIPS 180-4 vectors', () => {
  const enc = new TextEncoder();
  assert.equal(new Sha256().hex(), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(
    new Sha256().update(enc.encode('abc')).hex(),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
  assert.equal(
    new Sha256().update(enc.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).hex(),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  );
});

test('chunked updates of any split agree with WebCrypto over the whole', async () => {
  const data = new Uint8Array(200_003);
  for (let i = 0; i < data.length; i += 65_536) crypto.getRandomValues(data.subarray(i, i + 65_536));
  const expected = await webCrypto(data);
  for (const step of [1, 3, 55, 56, 63, 64, 65, 4096, 49_152]) {
    const h = new Sha256();
    // A small prefix of single bytes first, so block boundaries fall everywhere.
    for (let i = 0; i < 130; i++) h.update(data.subarray(i, i + 1));
    for (let i = 130; i < data.length; i += step) h.update(data.subarray(i, i + step));
    assert.equal(h.hex(), expected, `step ${step}`);
  }
  for (const len of [55, 56, 57, 63, 64, 65, 119, 120, 121]) {
    assert.equal(new Sha256().update(data.subarray(0, len)).hex(), await webCrypto(data.subarray(0, len)));
  }
  const done = new Sha256();
  done.digest();
  assert.throws(() => done.update(new Uint8Array(1)), /already/);
});

test('base64 round-trips and matches the standard alphabet', () => {
  const data = crypto.getRandomValues(new Uint8Array(49_152));
  assert.deepEqual(base64ToBytes(bytesToBase64(data)), data);
  assert.equal(bytesToBase64(new TextEncoder().encode('hi?>')), 'aGk/Pg==');
  assert.deepEqual(base64ToBytes(''), new Uint8Array());
  assert.throws(() => base64ToBytes('***'));
});
