import { BrandingSchema, ErrorBodySchema, LOGO_MAX_BYTES, parseWith, type Branding } from '@beckon/protocol';
import { createHash } from 'node:crypto';
import { BAKED_LOGO_TYPES, checkLogo, type BakedLogoType } from '../desktop/logo-file.ts';

/** A packaging step failed in a way the person running it must read. */
export class PackagingError extends Error {
  override readonly name = 'PackagingError';
}

export interface OrgBranding {
  readonly branding: Branding;
  readonly logo: { type: BakedLogoType; bytes: Uint8Array } | null;
}

const LOGO_PATH = /^\/branding\/logo\/([0-9a-f]{64})$/;

/**
 * The organisation's branding from its broker's admin API
 * (`GET /api/v1/admin/branding`, an administrator's token) and its logo,
 * every answer parsed with the protocol's schemas. Anything that would bake a
 * wrong or unsafe client is an error, said with what to do about it.
 */
export async function fetchOrgBranding(
  brokerUrl: string,
  token: string,
  fetchImpl: typeof fetch = fetch,
): Promise<OrgBranding> {
  const url = new URL('/api/v1/admin/branding', brokerUrl);
  // No redirects: the token goes to this broker only.
  const res = await request(fetchImpl, url, {
    headers: { authorization: `Bearer ${token}` },
    redirect: 'error',
  });
  const body = await jsonOf(res, url);
  if (!res.ok) throw new PackagingError(refusal(url, res.status, body));
  const parsed = parseWith(BrandingSchema, body);
  if (!parsed.ok) throw new PackagingError(`${url} did not answer with branding: ${parsed.error.message}`);
  const branding = parsed.value;
  return {
    branding,
    logo: branding.logoUrl ? await fetchLogo(brokerUrl, branding.logoUrl, fetchImpl) : null,
  };
}

async function fetchLogo(brokerUrl: string, logoUrl: string, fetchImpl: typeof fetch) {
  const hash = LOGO_PATH.exec(logoUrl)?.[1];
  if (!hash)
    throw new PackagingError(
      `the broker names its logo ${JSON.stringify(logoUrl)}, not /branding/logo/<sha256>`,
    );
  const url = new URL(logoUrl, brokerUrl);
  const res = await request(fetchImpl, url, { redirect: 'error' });
  if (!res.ok) throw new PackagingError(`could not download the logo ${url}: HTTP ${res.status}`);
  const bytes = await readCapped(res, LOGO_MAX_BYTES);
  const checked = checkLogo(bytes, BAKED_LOGO_TYPES, res.headers.get('content-type'));
  if (!checked.ok)
    throw new PackagingError(
      `the organisation's logo cannot be baked into a client: ${checked.message}. ` +
        'Upload a PNG (a square one of at least 512x512 also becomes the app icon) or a JPEG ' +
        "on the console's Administration → Branding page",
    );
  // The URL is content-addressed: bytes that do not hash to it are not the logo the admins set.
  if (createHash('sha256').update(bytes).digest('hex') !== hash)
    throw new PackagingError(`the logo from ${url} does not match its hash`);
  return { type: checked.type, bytes };
}

async function request(fetchImpl: typeof fetch, url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetchImpl(url, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new PackagingError(
      `cannot reach ${url.origin}: ${(err as Error).message}${cause ? ` (${cause})` : ''}`,
    );
  }
}

async function jsonOf(res: Response, url: URL): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new PackagingError(`${url} answered HTTP ${res.status} with no JSON: is this a Beckon broker?`);
  }
}

function refusal(url: URL, status: number, body: unknown): string {
  const error = ErrorBodySchema.safeParse(body);
  const said = error.success ? `${error.data.error.code}: ${error.data.error.message}` : 'no error body';
  const hint =
    status === 401
      ? " (pass an administrator's sign-in token: POST /api/v1/auth/login answers one, valid 12 hours;" +
        ' helpdesk API tokens cannot read the branding)'
      : status === 403
        ? ' (the token belongs to someone who is not an administrator)'
        : '';
  return `the broker refused ${url.pathname}: HTTP ${status}, ${said}${hint}`;
}

/** Reads at most `max` bytes and refuses more, so a wrong server cannot make the packager buffer gigabytes. */
async function readCapped(res: Response, max: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) throw new PackagingError(tooLarge(declared));
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    size += next.value.length;
    if (size > max) {
      await reader?.cancel();
      throw new PackagingError(tooLarge(size));
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(size: number): string {
  return `the organisation's logo is larger than ${LOGO_MAX_BYTES / 1024} KiB (${size} bytes or more)`;
}
