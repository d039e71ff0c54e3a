import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeSecretFile } from './host-key.ts';

/** What a managed host remembers besides its key: which broker it is enrolled with, and as whom. */
const HostStateSchema = z.strictObject({ brokerUrl: z.url(), hostId: z.uuid() });
export type HostState = z.infer<typeof HostStateSchema>;
export const STATE_FILE = 'host.json';

export function readHostState(stateDir: string): HostState | null {
  const file = join(stateDir, STATE_FILE);
  if (!existsSync(file)) return null;
  return HostStateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export function writeHostState(stateDir: string, state: HostState): void {
  writeSecretFile(join(stateDir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}
