import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Which broker this client belongs to (SR8: a client is built for one
 * organisation). The build puts `beckon-assist.json` beside the app's
 * resources; `BECKON_BROKER_URL` overrides it for development.
 */
const ConfigSchema = z.strictObject({
  brokerUrl: z.url().refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be http(s)'),
});
export type ClientConfig = z.infer<typeof ConfigSchema>;

export function loadClientConfig(
  env: Record<string, string | undefined>,
  resourcesDir: string,
): { ok: true; config: ClientConfig } | { ok: false; message: string } {
  let raw: unknown;
  if (env['BECKON_BROKER_URL']) raw = { brokerUrl: env['BECKON_BROKER_URL'] };
  else {
    try {
      raw = JSON.parse(readFileSync(join(resourcesDir, 'beckon-assist.json'), 'utf8'));
    } catch (err) {
      return { ok: false, message: `no broker configured (beckon-assist.json: ${(err as Error).message})` };
    }
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success)
    return { ok: false, message: `invalid client configuration: ${z.prettifyError(parsed.error)}` };
  return { ok: true, config: { brokerUrl: parsed.data.brokerUrl.replace(/\/+$/, '') } };
}
