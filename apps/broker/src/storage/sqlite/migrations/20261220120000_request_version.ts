import type { Migration } from './migration.ts';

/**
 * A version per request, raised by every change to it. Lists keep each row's
 * JSON while its version stands; `updated_at` cannot tell two changes in one
 * millisecond apart.
 */
export const requestVersion: Migration = {
  id: '20261220120000_request_version',
  sql: `
ALTER TABLE session_requests ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
`,
};
