import pg from 'pg';

/**
 * The PostgreSQL connection pool and the two ways the repositories talk to
 * it: `Sql` for one statement on any connection, `tx` for a transaction on one
 * connection (BEGIN … COMMIT, ROLLBACK on any error).
 */

/** BIGINT columns (identity sequences, counts, epoch milliseconds) stay below 2^53: numbers, not strings. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * A statement's text, or a named one: a name makes `pg` prepare it once per
 * connection and afterwards send only the name and the values, so the server
 * skips parsing and planning. Only for hot statements of a fixed shape: every
 * name stays prepared on every pooled connection.
 */
export type Statement = string | { readonly name: string; readonly text: string };

export interface Sql {
  /** The rows of one statement. */
  rows<T>(statement: Statement, params?: readonly unknown[]): Promise<T[]>;
  /** The first row, if any. */
  one<T>(statement: Statement, params?: readonly unknown[]): Promise<T | undefined>;
  /** How many rows the statement changed. */
  run(statement: Statement, params?: readonly unknown[]): Promise<number>;
}

/** A `Sql` that runs inside a transaction: what must commit with its cause (audit entries, webhooks, mails) takes this. */
export interface Tx extends Sql {
  readonly inTransaction: true;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

function sqlOf(q: Queryable): Sql {
  const query = (statement: Statement, params: readonly unknown[]) =>
    typeof statement === 'string'
      ? q.query(statement, params as unknown[])
      : q.query({ name: statement.name, text: statement.text, values: params as unknown[] });
  return {
    async rows<T>(statement: Statement, params: readonly unknown[] = []) {
      return (await query(statement, params)).rows as T[];
    },
    async one<T>(statement: Statement, params: readonly unknown[] = []) {
      return (await query(statement, params)).rows[0] as T | undefined;
    },
    async run(statement: Statement, params: readonly unknown[] = []) {
      return (await query(statement, params)).rowCount ?? 0;
    },
  };
}

/** Deadlocks and serialization failures: PostgreSQL rolled the transaction back, and running it again is safe. */
const RETRYABLE = new Set(['40P01', '40001']);

export interface PgDb extends Sql {
  pool: pg.Pool;
  tx<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function openPool(url: string, max = Number(process.env.BECKON_DATABASE_POOL ?? 10)): PgDb {
  const pool = new pg.Pool({ connectionString: url, max, types, application_name: 'beckon-broker' });
  // An idle client's error (the server restarted) must not crash the broker; the pool drops that client.
  pool.on('error', () => {});
  const direct = sqlOf(pool);
  return {
    ...direct,
    pool,
    async tx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken: unknown = undefined;
        try {
          await client.query('BEGIN');
          const result = await work({ ...sqlOf(client), inTransaction: true });
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((e: unknown) => (broken = e));
          if (attempt < 5 && RETRYABLE.has((error as { code?: string }).code ?? '')) continue;
          throw error;
        } finally {
          client.release(broken as Error | undefined);
        }
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** A unique violation (SQLSTATE 23505): the refusals SQLite reports as SQLITE_CONSTRAINT_UNIQUE. */
export const isUniqueViolation = (error: unknown): boolean =>
  (error as { code?: string } | null)?.code === '23505';

/** `$1, $2, …` from `from` on, for a list of `n` values. */
export const placeholders = (n: number, from = 1): string =>
  Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');
