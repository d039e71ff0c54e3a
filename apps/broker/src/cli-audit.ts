import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuditHeadSchema, parseWith } from '@beckon/protocol';
import { loadConfig } from './config.ts';
import { describeProblem, verifyChain } from './domain/audit-chain.ts';
import { openStorage } from './storage/open.ts';

export const AUDIT_USAGE = `       beckon-broker audit verify [--head FILE]
                                             check the audit log's chain; with FILE (from 'audit head'),
                                             also that the log still reaches that head (exit 1 when broken)
       beckon-broker audit head              print the chain's head (seq, hash) as JSON, to keep elsewhere`;

/** `audit verify` and `audit head`, on the broker's database (BECKON_DATA_DIR / BECKON_DB_FILE). */
export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: { head: { type: 'string' } } });
  if (sub !== 'verify' && sub !== 'head') {
    console.error(AUDIT_USAGE);
    return 2;
  }
  let expected;
  if (values.head !== undefined) {
    const parsed = parseWith(AuditHeadSchema, safeJson(readFileSync(values.head, 'utf8')));
    if (!parsed.ok) {
      console.error(`${values.head} is not an exported audit head`);
      return 2;
    }
    expected = parsed.value;
  }
  const config = loadConfig();
  const { dbFile } = config;
  // Opening a missing file would make an empty log, and an empty log verifies: say so instead.
  if (!config.databaseUrl && !existsSync(dbFile)) {
    console.error(`no broker database at ${dbFile} (set BECKON_DATA_DIR)`);
    return 2;
  }
  const storage = await openStorage(config);
  try {
    if (sub === 'head') {
      console.log(JSON.stringify(await storage.audit.head()));
      return 0;
    }
    const result = await verifyChain(storage.audit.rows(), expected);
    if (!result.problem) {
      console.log(`audit log intact: ${result.checked} entries, head ${result.head.seq} ${result.head.hash}`);
      return 0;
    }
    console.error(`audit log broken at entry ${result.problem.seq}: ${describeProblem(result.problem)}`);
    console.log(
      JSON.stringify({ ok: false, firstBroken: result.problem.seq, reason: result.problem.reason }),
    );
    return 1;
  } finally {
    await storage.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
