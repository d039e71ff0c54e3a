import type { PgDb } from './pool.ts';
import { createManyStatement, type NewRequestRows } from './request-statements.ts';

interface Pending extends NewRequestRows {
  resolve(created: boolean): void;
  reject(error: unknown): void;
}

/**
 * Request creates, written together: while `maxInFlight` statements are on
 * their way, the creates that arrive wait and then go as one statement (one
 * round trip, one commit and its WAL flush for all of them): group commit in
 * the broker. A create that finds a statement slot free goes at once, so a
 * quiet broker adds no delay; a busy one writes in batches, as the SQLite
 * backend's write batcher does.
 */
export class CreateBatcher {
  private readonly db: PgDb;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(db: PgDb, maxInFlight: number, maxBatch = 200) {
    this.db = db;
    this.maxInFlight = Math.max(1, maxInFlight);
    this.maxBatch = maxBatch;
  }

  /** Writes the request with its events and mails; false if its code is taken (nothing written). */
  create(rows: NewRequestRows): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...rows, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.write(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      const { statement, values } = createManyStatement(batch);
      const created = new Set((await this.db.rows<{ id: string }>(statement, values)).map((r) => r.id));
      for (const p of batch) p.resolve(created.has(p.record.id));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // One create's error must not fail the others with it: each again, alone.
      await Promise.all(batch.map((p) => this.write([p])));
    }
  }
}
