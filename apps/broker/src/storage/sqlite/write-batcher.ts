import type { Db } from './database.ts';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. With synchronous=FULL every COMMIT waits for the disk, and
 * that wait, not SQL, bounds how many writes a second the broker takes. Writes
 * that arrive within one turn of the event loop share one transaction (one
 * disk flush); one that fails rolls back alone and the others still commit.
 * A caller's promise settles only after the shared COMMIT, so nothing is
 * acknowledged before it is durable.
 *
 * Writes almost never fail, so a batch first runs without a savepoint per
 * write: a savepoint costs two statements and a copy of every page the write
 * touches (its undo journal). Only if a write throws is that attempt rolled
 * back and the batch run again with one savepoint each. Works are pure
 * database code, so running one twice is safe.
 */
export class WriteBatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly db: Db;
  private readonly maxBatch: number;
  constructor(db: Db, maxBatch = 256) {
    this.db = db;
    this.maxBatch = maxBatch;
  }

  /** `work` must only touch the database: it may run twice (see above). */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    let outcomes: Outcome[];
    try {
      outcomes = this.together(batch) ?? this.eachInSavepoint(batch);
    } catch (error) {
      // The COMMIT itself failed: nothing in the batch is durable.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome?.error);
    });
  }

  /** Every work in one transaction, no savepoints; null (all rolled back) if a work threw. */
  private together(batch: Pending[]): Outcome[] | null {
    const outcomes: Outcome[] = [];
    try {
      this.db
        .transaction(() => {
          for (const item of batch) outcomes.push({ ok: true, value: item.work() });
        })
        .immediate();
    } catch (error) {
      // Every work ran: the COMMIT failed.
      if (outcomes.length === batch.length) throw error;
      // A work threw and the attempt was rolled back; alone, that is its answer.
      return batch.length === 1 ? [{ ok: false, error }] : null;
    }
    return outcomes;
  }

  /** Every work in its own savepoint: one that fails rolls back alone. */
  private eachInSavepoint(batch: Pending[]): Outcome[] {
    const outcomes: Outcome[] = [];
    this.db
      .transaction(() => {
        for (const item of batch) {
          try {
            // A nested better-sqlite3 transaction is a savepoint.
            outcomes.push({ ok: true, value: this.db.transaction(item.work)() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })
      .immediate();
    return outcomes;
  }
}
