import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The managed host's identity: an Ed25519 key pair made on this computer.
 * The private key is written once to a file only this user can read (0600,
 * in a 0700 directory) and never leaves the computer; the broker gets only
 * the public key, so nothing it stores lets anyone act as this host.
 */
export interface HostKey {
  privateKey: KeyObject;
  /** The public key's 32 raw bytes, base64url: what the broker stores. */
  publicKey: string;
}

export const KEY_FILE = 'host-key.pem';
/** A rotated key waiting for the broker's word; it replaces KEY_FILE once the broker took it. */
export const NEXT_KEY_FILE = 'host-key.next.pem';

export function rawPublicKey(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ format: 'jwk' }).x as string;
}

function fromPem(pem: string): HostKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the host key is not an Ed25519 key');
  return { privateKey, publicKey: rawPublicKey(privateKey) };
}

export function newHostKey(): { key: HostKey; pem: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { key: { privateKey, publicKey: rawPublicKey(privateKey) }, pem };
}

/** Writes a secret file owner-only from its first byte (mode at open, then tmp + rename). */
export function writeSecretFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600, flag: 'w' });
  chmodSync(tmp, 0o600); // a umask cannot widen it, but an existing tmp file kept its mode
  renameSync(tmp, file);
}

/** The key in `stateDir`, made (and written 0600) on first use. */
export function loadOrCreateHostKey(stateDir: string): HostKey {
  const file = join(stateDir, KEY_FILE);
  if (existsSync(file)) return fromPem(readFileSync(file, 'utf8'));
  const { key, pem } = newHostKey();
  writeSecretFile(file, pem);
  return key;
}

export function loadNextKey(stateDir: string): HostKey | null {
  const file = join(stateDir, NEXT_KEY_FILE);
  return existsSync(file) ? fromPem(readFileSync(file, 'utf8')) : null;
}

/** Starts a rotation: the new key is on disk before the broker hears of it, so a crash loses nothing. */
export function prepareNextKey(stateDir: string): HostKey {
  const { key, pem } = newHostKey();
  writeSecretFile(join(stateDir, NEXT_KEY_FILE), pem);
  return key;
}

/** The broker took the new key: it becomes the key. */
export function commitNextKey(stateDir: string): void {
  renameSync(join(stateDir, NEXT_KEY_FILE), join(stateDir, KEY_FILE));
}

export function signText(key: HostKey, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64url');
}
