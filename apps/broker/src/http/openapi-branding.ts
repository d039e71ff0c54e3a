import { BrandingSchema, BrandingUpdateSchema, JoinBodySchema, LogoUploadSchema } from '@beckon/protocol';
import type { Op } from './openapi.ts';

const ADMIN = 'Administrators only (signed in).';

/** Branding (SC9, issue 7). The landing pages (`/j/<token>`, `/join`) are HTML, not API, and are not listed. */
export const BRANDING_OPERATIONS: Record<string, Record<string, Op>> = {
  '/api/v1/admin/branding': {
    get: { summary: 'The organisation’s branding', description: ADMIN, response: BrandingSchema },
    put: {
      summary: 'Set the name shown to customers, the colour and the message',
      description: ADMIN,
      body: BrandingUpdateSchema,
      response: BrandingSchema,
    },
  },
  '/api/v1/admin/branding/logo': {
    put: {
      summary: 'Upload the logo (PNG, JPEG or WebP, at most 256 KiB, base64); its bytes must match its type',
      description: ADMIN,
      body: LogoUploadSchema,
      response: BrandingSchema,
    },
    delete: { summary: 'Remove the logo', description: ADMIN, response: BrandingSchema },
  },
  '/api/v1/join/branding': {
    post: {
      summary: 'End user: the branding of a request, by code (throttled like a join) or link token',
      body: JoinBodySchema,
      response: BrandingSchema,
      auth: false,
    },
  },
};
