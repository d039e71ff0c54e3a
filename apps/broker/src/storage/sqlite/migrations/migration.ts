/** One schema change, applied once, in the order of its id. */
export interface Migration {
  /** Timestamp-prefixed, so lexical order is the order they were written. */
  id: string;
  sql: string;
  /**
   * Rebuilds a table others refer to: foreign keys are turned off around it
   * (SQLite ignores that pragma inside a transaction) and checked before commit.
   */
  foreignKeysOff?: boolean;
}
