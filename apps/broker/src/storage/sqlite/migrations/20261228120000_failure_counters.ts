import type { Migration } from './migration.ts';

/**
 * Failure counters (storage/failure-counters.ts): sign-in failures per
 * account, per account and address, and per address, each decaying on its
 * own; unknown emails are rows like known ones. The lockout columns on users
 * are no longer read, and a lock they still hold is lifted, since under the
 * old rule anyone could have set it.
 */
export const failureCounters: Migration = {
  id: '20261228120000_failure_counters',
  sql: `
CREATE TABLE failure_counters (
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  value REAL NOT NULL,
  written_at INTEGER NOT NULL,
  alerted_at INTEGER,
  PRIMARY KEY (kind, subject, address)
);
CREATE INDEX failure_counters_written ON failure_counters(written_at);
UPDATE users SET failed_logins = 0, locked_until = NULL;
`,
};
