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

// The runtime boundaries (ARCHITECTURE.md, "Runtimes"): each folder may use the
// globals of the runtime it runs in, and only main/ and preload/ touch Electron.
async function hits(filePath: string, code: string, rule: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
}

test('a browser global in Node code is an error', async () => {
  for (const file of [
    'apps/assist-client/src/engine/x.ts',
    'apps/assist-client/src/desktop/x.ts',
    'apps/assist-client/src/main/x.ts',
    'apps/broker/src/x.ts',
    'packages/capture/src/x.ts',
  ]) {
    const found = await hits(file, 'export const title = document.title;\n', 'no-restricted-globals');
    assert.ok(
      found.some((m) => /browser global in Node code/.test(m)),
      `${file}: ${found.join('; ')}`,
    );
  }
  const nodeIsFine = await hits(
    'apps/broker/src/x.ts',
    'export const env = process.env;\n',
    'no-restricted-globals',
  );
  assert.deepEqual(nodeIsFine, []);
});

test('a Node global in a renderer is an error', async () => {
  for (const [file, code] of [
    ['apps/assist-client/src/renderer/x.ts', 'export const env = process.env;\n'],
    ['apps/agent-desktop/src/renderer/console/x.ts', "export const bytes = Buffer.from('x');\n"],
    ['packages/capture/src/browser/x.ts', 'export const here = __dirname;\n'],
  ]) {
    const found = await hits(file as string, code as string, 'no-restricted-globals');
    assert.ok(
      found.some((m) => /Node global in a page/.test(m)),
      `${file}: ${found.join('; ')}`,
    );
  }
  const browserIsFine = await hits(
    'apps/assist-client/src/renderer/x.ts',
    'export const title = document.title;\n',
    'no-restricted-globals',
  );
  assert.deepEqual(browserIsFine, []);
});

test('shared code uses neither runtime’s globals; a preload only a limited process', async () => {
  for (const code of ['export const env = process.env;\n', 'export const title = document.title;\n']) {
    const found = await hits('apps/assist-client/src/shared/x.ts', code, 'no-restricted-globals');
    assert.ok(
      found.some((m) => /Shared code/.test(m)),
      found.join('; '),
    );
  }
  const preload = await hits(
    'apps/agent-desktop/src/preload/x.ts',
    'export const p = process.platform;\nexport const b = Buffer.from("x");\n',
    'no-restricted-globals',
  );
  assert.equal(preload.length, 1);
  assert.match(preload[0] ?? '', /Buffer/);
});

test('electron is imported only in main/, preload/ and the shell package', async () => {
  const code = "import { app } from 'electron';\nexport { app };\n";
  for (const file of [
    'apps/assist-client/src/desktop/x.ts',
    'apps/assist-client/src/engine/x.ts',
    'apps/assist-client/src/renderer/x.ts',
    'apps/agent-desktop/src/renderer/console/x.ts',
    'packages/session/src/x.ts',
  ]) {
    const found = await hits(file, code, 'no-restricted-imports');
    assert.ok(
      found.some((m) => /Only main\/ and preload\//.test(m)),
      `${file}: ${found.join('; ')}`,
    );
  }
  for (const file of [
    'apps/assist-client/src/main/x.ts',
    'apps/agent-desktop/src/preload/x.ts',
    'packages/electron-shell/src/x.ts',
  ]) {
    assert.deepEqual(await hits(file, code, 'no-restricted-imports'), [], file);
  }
});

test('only main/ imports main/', async () => {
  const found = await hits(
    'apps/assist-client/src/desktop/x.ts',
    "import { startAssistApp } from '../main/assist-app.ts';\nexport { startAssistApp };\n",
    'no-restricted-imports',
  );
  assert.ok(
    found.some((m) => /Only main\/ imports main\//.test(m)),
    found.join('; '),
  );
  const mainToDesktop = await hits(
    'apps/assist-client/src/main/x.ts',
    "import { UiController } from '../desktop/ui-controller.ts';\nexport { UiController };\n",
    'no-restricted-imports',
  );
  assert.deepEqual(mainToDesktop, []);
});
