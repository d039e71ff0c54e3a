import { AdhocActivatedSchema, AllowedFolderSchema, parseWith, type AdhocActivated } from '@beckon/protocol';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeSecretFile } from '../managed/host-key.ts';

/** What the temporary host keeps of its activation (0600 in its state directory). */
export const ActivationRecordSchema = z.strictObject({
  brokerUrl: z.url(),
  activation: AdhocActivatedSchema,
  /** Where the file manager may go (AH8): absolute folders the user allowed at activation. */
  allowedFolders: z.array(AllowedFolderSchema).min(1).max(64),
});
export type ActivationRecord = z.infer<typeof ActivationRecordSchema>;
export const ACTIVATION_FILE = 'activation.json';

export function readActivation(stateDir: string): ActivationRecord | null {
  const file = join(stateDir, ACTIVATION_FILE);
  if (!existsSync(file)) return null;
  return ActivationRecordSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export function writeActivation(stateDir: string, record: ActivationRecord): void {
  writeSecretFile(join(stateDir, ACTIVATION_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

const api = (brokerUrl: string, path: string) => new URL(path, brokerUrl.replace(/\/?$/, '/'));

/** `POST /api/v1/adhoc/activate`: the code binds this host (its public key) and starts the clock. */
export async function activateWithCode(
  brokerUrl: string,
  body: { securityCode: string; publicKey: string; name: string; presence: unknown },
): Promise<AdhocActivated> {
  const res = await fetch(api(brokerUrl, 'api/v1/adhoc/activate'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer: unknown = await res.json().catch(() => null);
  const parsed = parseWith(AdhocActivatedSchema, answer);
  if (res.status !== 201 || !parsed.ok) {
    const message =
      (answer as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`;
    throw new Error(`activation refused: ${message}`);
  }
  return parsed.value;
}

/** Tells the broker the user ended the session, or that this host removed itself. */
export async function reportToBroker(
  record: ActivationRecord,
  event: 'ended_by_user' | 'removed',
): Promise<boolean> {
  try {
    const res = await fetch(api(record.brokerUrl, 'api/v1/adhoc/report'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sessionId: record.activation.sessionId,
        removalToken: record.activation.removalToken,
        event,
      }),
      signal: AbortSignal.timeout(5000),
    });
    return res.ok;
  } catch {
    return false;
  }
}
