import { HostRecordEntrySchema, parseWith, type HostRecordEntry } from '@beckon/protocol';
import { appendFileSync, chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The host's own record of what was asked and allowed on this computer:
 * every consent question, its answer, and every session's start and end,
 * one JSON line each, in a file only its owner can read (0600, its
 * directory 0700). The person at the computer can read it without the
 * broker (`beckon-assist --history`): the broker's audit log is the
 * organisation's, this one is theirs.
 */
export interface HostRecordSink {
  append(entry: HostRecordEntry): void;
}

export const HOST_RECORD_FILE = 'host-record.jsonl';

/** The user's data directory for Beckon, by the platform's convention. */
export function userDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Beckon');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Beckon');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'beckon');
}

export class HostRecord implements HostRecordSink {
  readonly file: string;
  private readonly log: (line: string) => void;
  constructor(file: string, log: (line: string) => void = () => {}) {
    this.file = file;
    this.log = log;
  }

  /** Appends one line. A record that cannot be written is logged, never a reason to stop helping. */
  append(entry: HostRecordEntry): void {
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
      // An existing file made by something else keeps its mode on append: tighten it.
      chmodSync(this.file, 0o600);
    } catch (err) {
      this.log(`could not write the local record ${this.file}: ${(err as Error).message}`);
    }
  }
}

/** Every readable entry of a record, oldest first; lines that are not entries are counted, not shown. */
export function readHostRecord(file: string): { entries: HostRecordEntry[]; unreadable: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], unreadable: 0 };
    throw err;
  }
  const entries: HostRecordEntry[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      unreadable++;
      continue;
    }
    const parsed = parseWith(HostRecordEntrySchema, json);
    if (parsed.ok) entries.push(parsed.value);
    else unreadable++;
  }
  return { entries, unreadable };
}

const WHAT: Record<HostRecordEntry['kind'], string> = {
  consent_asked: 'asked',
  consent_answered: 'answered',
  session_started: 'session started',
  session_ended: 'session ended',
};

/** One line per entry, for a terminal. Names come from the broker: control characters are shown escaped. */
export function formatHostRecord(entries: readonly HostRecordEntry[]): string[] {
  const safe = (s: string | null) => (s === null ? '' : JSON.stringify(s).slice(1, -1));
  return entries.map((e) =>
    [
      e.at,
      e.code ?? '-',
      WHAT[e.kind],
      e.agentName === null ? '' : `by ${safe(e.agentName)}`,
      e.organisation === null ? '' : `(${safe(e.organisation)})`,
      e.permissions.length ? `[${e.permissions.join(', ')}]` : '',
      e.answer ?? '',
      e.reason === null ? '' : safe(e.reason),
    ]
      .filter(Boolean)
      .join('  '),
  );
}
