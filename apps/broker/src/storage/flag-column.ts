/**
 * A yes/no column as a backend reads it: SQLite has no BOOLEAN and stores 0 or
 * 1, PostgreSQL's BOOLEAN arrives as a boolean. The shared row types (the
 * `*-rows.ts` files) declare their flags with it, so one mapping serves both.
 */
export type FlagColumn = 0 | 1 | boolean;

/** The one reading of a flag column: set when 1 (SQLite) or true (PostgreSQL). */
export const isSet = (flag: FlagColumn): boolean => flag === true || flag === 1;
