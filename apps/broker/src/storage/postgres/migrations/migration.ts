/** One PostgreSQL schema change, applied once, in the order of its id. */
export interface PgMigration {
  /** Timestamp-prefixed, so lexical order is the order they were written. */
  id: string;
  sql: string;
}
