import { BrandingSchema, type Branding, type BrandingUpdate, type LogoType } from '@beckon/protocol';
import type { HttpClient } from '../api/http.ts';

/** The broker's branding API (admins only). Every answer is parsed with the protocol schema. */
export interface BrandingApi {
  get(): Promise<Branding>;
  save(body: BrandingUpdate): Promise<Branding>;
  uploadLogo(contentType: LogoType, base64: string): Promise<Branding>;
  removeLogo(): Promise<Branding>;
}

export function createBrandingApi(http: HttpClient): BrandingApi {
  return {
    get: () => http.call('GET', '/api/v1/admin/branding', BrandingSchema),
    save: (body) => http.call('PUT', '/api/v1/admin/branding', BrandingSchema, { body }),
    uploadLogo: (contentType, data) =>
      http.call('PUT', '/api/v1/admin/branding/logo', BrandingSchema, { body: { contentType, data } }),
    removeLogo: () => http.call('DELETE', '/api/v1/admin/branding/logo', BrandingSchema),
  };
}
