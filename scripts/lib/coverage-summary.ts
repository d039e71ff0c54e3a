// Line and branch coverage per project, from the unit suite's lcov file: what
// scripts/lib/test.sh prints in its summary. Information, not a gate.
import { readFileSync } from 'node:fs';

interface Totals {
  lines: number;
  linesHit: number;
  branches: number;
  branchesHit: number;
}

/** apps/<name> and packages/<name> are projects, and bench and scripts; files at the root (configs) are none. */
export function projectOf(file: string): string | null {
  const [top = '', name = ''] = file.split('/');
  if (top === 'apps' || top === 'packages') return `${top}/${name}`;
  return top === 'bench' || top === 'scripts' ? top : null;
}

export function summarise(lcov: string): Map<string, Totals> {
  const projects = new Map<string, Totals>();
  let current: Totals | undefined;
  for (const line of lcov.split('\n')) {
    const [key = '', value = ''] = line.split(':', 2);
    if (key === 'SF') {
      const project = projectOf(value);
      current = project === null ? undefined : projects.get(project);
      if (project !== null && !current) {
        current = { lines: 0, linesHit: 0, branches: 0, branchesHit: 0 };
        projects.set(project, current);
      }
    } else if (current) {
      const n = Number(value);
      if (key === 'LF') current.lines += n;
      else if (key === 'LH') current.linesHit += n;
      else if (key === 'BRF') current.branches += n;
      else if (key === 'BRH') current.branchesHit += n;
    }
  }
  return projects;
}

const percent = (hit: number, all: number) => (all ? `${((100 * hit) / all).toFixed(1)} %` : '–');

export function format(projects: Map<string, Totals>): string[] {
  return [...projects.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([name, t]) =>
        `${name.padEnd(22)} lines ${percent(t.linesHit, t.lines).padStart(7)}  branches ${percent(t.branchesHit, t.branches).padStart(7)}`,
    );
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: coverage-summary.ts <lcov.info>');
  for (const line of format(summarise(readFileSync(file, 'utf8')))) console.log(line);
}
