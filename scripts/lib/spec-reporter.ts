// The unit suite's reporter: Node's own `spec`, without the per-file coverage
// table it would print at the end (hundreds of lines). The figures go to the
// lcov reporter instead, and coverage-summary.ts prints one line per project.
import { spec } from 'node:test/reporters';

export default async function* specWithoutCoverage(
  source: AsyncIterable<{ type: string }>,
): AsyncGenerator<string | Buffer> {
  const reporter = new spec();
  const feed = (async () => {
    for await (const event of source) if (event.type !== 'test:coverage') reporter.write(event);
    reporter.end();
  })();
  for await (const chunk of reporter) yield chunk as string | Buffer;
  await feed;
}
