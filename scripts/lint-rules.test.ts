import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

// The architecture's two import rules, checked against the real ESLint config.
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function ruleHits(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test("importing another project's src/ is an error everywhere", async () => {
  for (const [file, spec] of [
    ['apps/broker/src/x.ts', '@beckon/protocol/src/codes.ts'],
    ['apps/broker/src/x.ts', '../../../packages/protocol/src/codes.ts'],
    ['packages/capture/src/x.ts', '../../protocol/src/codes.ts'],
  ]) {
    const hits = await ruleHits(file as string, `import { x } from '${spec}';\nexport { x };\n`);
    assert.ok(
      hits.some((m) => /package name/.test(m)),
      `${file} importing ${spec}: ${hits.join('; ')}`,
    );
  }
});

test('packages never import apps; apps may import packages by name', async () => {
  const fromPackage = await ruleHits(
    'packages/capture/src/x.ts',
    "import { x } from '@beckon/broker';\nexport { x };\n",
  );
  assert.ok(
    fromPackage.some((m) => /never import apps/.test(m)),
    fromPackage.join('; '),
  );
  const fromApp = await ruleHits(
    'apps/broker/src/x.ts',
    "import { x } from '@beckon/protocol';\nexport { x };\n",
  );
  assert.deepEqual(fromApp, []);
});
