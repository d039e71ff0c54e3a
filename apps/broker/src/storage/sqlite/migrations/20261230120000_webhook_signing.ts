import type { Migration } from './migration.ts';

/**
 * Which signatures an endpoint gets: `both` (Stripe-style `Beckon-Signature`
 * and Standard Webhooks `webhook-signature`, the default and what every
 * existing endpoint keeps) or `standard` (Standard Webhooks only).
 */
export const webhookSigning: Migration = {
  id: '20261230120000_webhook_signing',
  sql: `
ALTER TABLE webhooks ADD COLUMN signing TEXT NOT NULL DEFAULT 'both' CHECK (signing IN ('both', 'standard'));
`,
};
