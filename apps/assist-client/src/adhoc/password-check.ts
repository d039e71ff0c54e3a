import { scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Checks the predefined password a provider presents (over the peer
 * connection, after the verification exchange) against the verifier the
 * host got at activation: the broker's scrypt hash, in the broker's format
 * `scrypt$<logN>$<r>$<p>$<salt b64>$<key b64>` (apps/broker/src/domain/passwords.ts).
 * The broker never relays the password, so a broker alone cannot open the host.
 */
export async function verifyPredefinedPassword(password: string, verifier: string): Promise<boolean> {
  const [kind, logN, r, p, salt, key] = verifier.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const n = Number(logN);
  // Bounds: a verifier is data from the broker; it must not make the host burn a gigabyte.
  if (!(n >= 10 && n <= 20) || Number(r) < 1 || Number(r) > 16 || Number(p) < 1 || Number(p) > 4)
    return false;
  const expected = Buffer.from(key, 'base64');
  const options: ScryptOptions = { N: 2 ** n, r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 };
  const actual = await new Promise<Buffer>((ok, fail) =>
    scryptCb(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, options, (err, k) =>
      err ? fail(err) : ok(k),
    ),
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
