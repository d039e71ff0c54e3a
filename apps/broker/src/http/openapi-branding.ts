import { BrandingSchema, BrandingUpdateSchema, JoinBodySchema, LogoUploadSchema } from '@beckon/protocol';
import type { Op } from './openapi-op.ts';

/** Branding (SC9). The landing pages (`/j/<token>`, `/join`) are HTML, not API, and are not listed. */
export const BRANDING_OPERATIONS: Record<string, Record<string, Op>> = {
  '/api/v1/admin/branding': {
    get: {
      id: 'getBranding',
      summary: 'The organisation’s branding',
      access: 'admin',
      response: BrandingSchema,
    },
    put: {
      id: 'saveBranding',
      summary: 'Set the name shown to customers, the colour and the message',
      access: 'admin',
      body: BrandingUpdateSchema,
      response: BrandingSchema,
    },
  },
  '/api/v1/admin/branding/logo': {
    put: {
      id: 'uploadLogo',
      summary: 'Upload the logo (PNG, JPEG or WebP, at most 256 KiB, base64); its bytes must match its type',
      access: 'admin',
      body: LogoUploadSchema,
      response: BrandingSchema,
    },
    delete: { id: 'deleteLogo', summary: 'Remove the logo', access: 'admin', response: BrandingSchema },
  },
  '/api/v1/join/branding': {
    post: {
      id: 'getJoinBranding',
      summary: 'End user: the branding of a request, by code (throttled like a join) or link token',
      body: JoinBodySchema,
      response: BrandingSchema,
      access: 'public',
      errors: {
        404: 'No open request has this code (`invalid_code`), or no request has this link (`not_found`).',
        429: 'Too many wrong codes; wait Retry-After seconds.',
      },
    },
  },
};
