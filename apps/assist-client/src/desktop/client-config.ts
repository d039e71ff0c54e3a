import { BrandColorSchema, LOGO_MAX_BYTES, multiLine, singleLine } from '@beckon/protocol';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isHttpUrl } from '../shared/http-url.ts';
import type { WindowBrand } from '../shared/ipc.ts';
import { BAKED_LOGO_FILES, BAKED_LOGO_TYPES, checkLogo, logoDataUrl } from './logo-file.ts';

/**
 * Which broker this client belongs to, and whose it is (SR8: a client is
 * built for one organisation). The organisation's build (`scripts/beckon
 * package-assist`) puts `beckon-assist.json` and the logo beside the app's
 * resources; `BECKON_BROKER_URL` overrides the file for development, and then
 * nothing is baked (the branding is fetched after joining, as for any build
 * without a branding block).
 *
 * Baked branding wins over the broker's: the installer is the organisation's
 * signed artifact, so a link (which may come from anyone's broker account)
 * must not re-brand it, and the windows can show it before any network
 * round-trip. Without a branding block the client fetches it (brand.ts).
 */
export const CLIENT_CONFIG_FILE = 'beckon-assist.json';

const BrokerUrlSchema = z.url().refine(isHttpUrl, 'must be http(s)');

export const BakedBrandingSchema = z.strictObject({
  /** What the windows call the organisation (the admins' display name, else its name). */
  orgName: singleLine(200),
  color: BrandColorSchema,
  message: multiLine(1000).nullable(),
  /** A file beside this one; only these fixed names, so the file never names a path. */
  logo: z.enum([BAKED_LOGO_FILES['image/png'], BAKED_LOGO_FILES['image/jpeg']]).nullable(),
});
export type BakedBranding = z.output<typeof BakedBrandingSchema>;

export const ClientConfigFileSchema = z.strictObject({
  brokerUrl: BrokerUrlSchema,
  branding: BakedBrandingSchema.optional(),
});
export type ClientConfigFile = z.output<typeof ClientConfigFileSchema>;

/** The baked branding as the windows take it: the logo already a checked data: URL. */
export interface BakedBrand {
  readonly orgName: string;
  readonly brand: WindowBrand;
}

export interface ClientConfig {
  brokerUrl: string;
  /** Absent when nothing is baked: the branding is then fetched after joining. */
  branding?: BakedBrand;
}

export type ClientConfigResult = { ok: true; config: ClientConfig } | { ok: false; message: string };

export function loadClientConfig(
  env: Record<string, string | undefined>,
  resourcesDir: string,
): ClientConfigResult {
  let raw: unknown;
  const file = join(resourcesDir, CLIENT_CONFIG_FILE);
  const fromEnv = env['BECKON_BROKER_URL'] ? { brokerUrl: env['BECKON_BROKER_URL'] } : null;
  if (fromEnv) raw = fromEnv;
  else {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      return {
        ok: false,
        message: `no broker configured (${CLIENT_CONFIG_FILE}: ${(err as Error).message})`,
      };
    }
  }
  const parsed = ClientConfigFileSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      message: `invalid client configuration (${raw === fromEnv ? 'BECKON_BROKER_URL' : file}):\n${z.prettifyError(parsed.error)}`,
    };
  const brokerUrl = parsed.data.brokerUrl.replace(/\/+$/, '');
  const baked = parsed.data.branding;
  if (!baked) return { ok: true, config: { brokerUrl } };
  const logo = baked.logo === null ? { ok: true as const, url: null } : readLogo(resourcesDir, baked.logo);
  if (!logo.ok) return { ok: false, message: `invalid client configuration (${file}): ${logo.message}` };
  return {
    ok: true,
    config: {
      brokerUrl,
      branding: {
        orgName: baked.orgName,
        brand: { color: baked.color, message: baked.message, logo: logo.url },
      },
    },
  };
}

/** The baked logo, checked like a fetched one: size first (before reading), then the bytes' type. */
function readLogo(dir: string, name: BakedBranding['logo'] & string) {
  const path = join(dir, name);
  try {
    const size = statSync(path).size;
    if (size > LOGO_MAX_BYTES)
      return {
        ok: false as const,
        message: `${name}: ${size} bytes; a logo may have at most ${LOGO_MAX_BYTES}`,
      };
    const bytes = readFileSync(path);
    const checked = checkLogo(bytes, BAKED_LOGO_TYPES);
    if (!checked.ok) return { ok: false as const, message: `${name}: ${checked.message}` };
    if (BAKED_LOGO_FILES[checked.type] !== name)
      return {
        ok: false as const,
        message: `${name}: the file holds ${checked.type}, not what its name says`,
      };
    return { ok: true as const, url: logoDataUrl(checked.type, bytes) };
  } catch (err) {
    return { ok: false as const, message: `${name}: ${(err as Error).message}` };
  }
}

/** The name the client's own dialogs carry: the organisation's, when one is baked. */
export function clientTitle(config: ClientConfig | null): string {
  return config?.branding ? `${config.branding.orgName} Assist` : 'Beckon Assist';
}
