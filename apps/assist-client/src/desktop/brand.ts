import { BrandingSchema, LOGO_MAX_BYTES, LogoTypeSchema, parseWith, type Branding } from '@beckon/protocol';
import type { JoinTarget } from '../engine/join.ts';
import type { WindowBrand } from '../shared/ipc.ts';
import type { BakedBrand } from './client-config.ts';
import { checkLogo, logoDataUrl } from './logo-file.ts';

/** What a session's windows show of the organisation. */
export interface SessionBrand {
  /** The organisation's name as its admins want it shown, or null to use the join's. */
  readonly orgName: string | null;
  readonly brand: WindowBrand | null;
}

/**
 * The branding for one session. Baked branding (an organisation's own signed
 * build, see client-config.ts) wins and costs no network round-trip; only a
 * client without it asks the broker after joining.
 */
export async function brandForSession(
  baked: BakedBrand | null,
  brokerUrl: string,
  target: JoinTarget,
  fetchImpl: typeof fetch = fetch,
): Promise<SessionBrand> {
  if (baked) return { orgName: baked.orgName, brand: baked.brand };
  const fetched = await fetchBrand(brokerUrl, target, fetchImpl);
  return { orgName: fetched?.branding.orgName || null, brand: fetched?.brand ?? null };
}

/**
 * The organisation's branding for the client's windows (SC9), fetched once
 * after joining. The windows load nothing from the network (their CSP allows
 * only 'self' and data: images), so the logo comes along as a data: URL, and
 * only if it is one of the raster types the broker accepts. Branding is
 * decoration: any failure yields null and the windows use their defaults.
 */
export async function fetchBrand(
  brokerUrl: string,
  target: JoinTarget,
  fetchImpl: typeof fetch = fetch,
): Promise<{ branding: Branding; brand: WindowBrand } | null> {
  try {
    const body = target.kind === 'token' ? { token: target.token } : { code: target.code };
    const res = await fetchImpl(new URL('/api/v1/join/branding', brokerUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) return null;
    const parsed = parseWith(BrandingSchema, await res.json());
    if (!parsed.ok) return null;
    const branding = parsed.value;
    return {
      branding,
      brand: {
        color: branding.color,
        message: branding.message,
        logo: await logoData(brokerUrl, branding, fetchImpl),
      },
    };
  } catch {
    return null;
  }
}

async function logoData(
  brokerUrl: string,
  branding: Branding,
  fetchImpl: typeof fetch,
): Promise<string | null> {
  if (!branding.logoUrl || !/^\/branding\/logo\/[0-9a-f]{64}$/.test(branding.logoUrl)) return null;
  const res = await fetchImpl(new URL(branding.logoUrl, brokerUrl));
  if (!res.ok || Number(res.headers.get('content-length') ?? 0) > LOGO_MAX_BYTES) return null;
  const bytes = new Uint8Array(await res.arrayBuffer());
  // The same check as a baked logo's, plus: the bytes must be the type the broker named.
  const checked = checkLogo(bytes, LogoTypeSchema.options, res.headers.get('content-type'));
  return checked.ok ? logoDataUrl(checked.type, bytes) : null;
}
