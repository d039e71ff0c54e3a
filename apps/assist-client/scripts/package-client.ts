// `scripts/beckon package-assist`: builds the assist client for one
// organisation (SR8). Fetches the organisation's branding from its broker,
// writes the packaging inputs (beckon-assist.json + logo for the app's
// resources, an electron-builder config extending the base one), then runs
// electron-vite and electron-builder, or, where they cannot run, says which
// commands would and why they did not (exit 3): it never stops silently.
import { assistArtifactName, type AssistPlatform } from '@beckon/protocol';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { type Platform } from '../src/packaging/builder-config.ts';
import { fetchOrgBranding, PackagingError } from '../src/packaging/org-branding.ts';
import { expandArtifactName, orgSlug } from '../src/packaging/org-names.ts';
import { parsePackageArgs, USAGE } from '../src/packaging/package-args.ts';
import {
  crossBuildNotes,
  findToolchain,
  packagingCommands,
  shellLine,
  signingPlan,
} from '../src/packaging/toolchain.ts';
import { writePackagingInputs } from '../src/packaging/write-inputs.ts';

const PROJECT_DIR = resolve(import.meta.dirname, '..');
const REPO_ROOT = resolve(PROJECT_DIR, '../..');
const BASE_CONFIG = join(REPO_ROOT, 'build/assist-client.electron-builder.yml');

/** The installers each platform's targets make (see the base config), and the landing page's name for one. */
const OUTPUTS: Record<Platform, { exts: string[]; landing: AssistPlatform; portable: boolean }> = {
  linux: { exts: ['AppImage'], landing: 'linux', portable: false },
  win: { exts: ['exe'], landing: 'windows', portable: true },
  mac: { exts: ['dmg'], landing: 'mac', portable: false },
};

const log = (line = '') => console.log(line);

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parsePackageArgs(argv, env);
  if (parsed.kind === 'help') return (log(USAGE), 0);
  if (parsed.kind === 'error') {
    console.error(`package-assist: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const args = parsed.args;
  const version = z
    .object({ version: z.string().regex(/^\d+\.\d+\.\d+/) })
    .parse(JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8'))).version;
  const broker = new URL(args.brokerUrl);
  if (broker.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(broker.hostname))
    log(`warning: ${args.brokerUrl} is plain http: the client would talk to it unencrypted`);

  const org = await fetchOrgBranding(args.brokerUrl, args.token);
  const outDir = args.out ?? join(PROJECT_DIR, 'dist', orgSlug(org.branding.orgName));
  const inputs = writePackagingInputs({ outDir, brokerUrl: args.brokerUrl, org, baseConfig: BASE_CONFIG });
  const { build, clientConfig } = inputs;
  const outputs = OUTPUTS[args.platform];
  const artifacts = outputs.exts.flatMap((ext) => [
    expandArtifactName(build.artifactName, version, ext),
    ...(outputs.portable ? [expandArtifactName(build.portableArtifactName, version, ext)] : []),
  ]);

  log(`assist client for ${JSON.stringify(clientConfig.branding?.orgName)} (${args.platform})`);
  log(`  broker        ${clientConfig.brokerUrl}`);
  log(`  product name  ${build.productName}`);
  log(`  app id        ${build.appId}`);
  log(`  colour        ${clientConfig.branding?.color}`);
  log(
    `  message       ${clientConfig.branding?.message === null ? '(none)' : JSON.stringify(clientConfig.branding?.message)}`,
  );
  log(`  logo          ${org.logo ? `${org.logo.type}, ${org.logo.bytes.length} bytes` : '(none)'}`);
  log(
    `  icon          ${build.icon.platforms.length ? `the logo, for ${build.icon.platforms.join(', ')}` : 'the default'}`,
  );
  log(`  installers    ${artifacts.join(', ')} in ${inputs.installersDir}`);
  log('wrote');
  for (const file of [inputs.clientConfigFile, inputs.logoFile, inputs.builderConfigFile])
    if (file) log(`  ${file}`);
  log('signing');
  for (const line of signingPlan(args.platform, env).lines) log(`  ${line}`);
  const notes = [...build.icon.notes, ...crossBuildNotes(args.platform, process.platform)];
  if (notes.length) log('notes');
  for (const note of notes) log(`  ${note}`);

  const tools = findToolchain(PROJECT_DIR, REPO_ROOT, env);
  const commands = packagingCommands(tools, PROJECT_DIR, inputs.builderConfigFile, args.platform);
  const wouldRun = () => {
    log(`would run, in ${PROJECT_DIR}:`);
    for (const c of commands) log(`  ${shellLine(c.argv)}`);
  };
  if (args.inputsOnly) {
    log('inputs only (--inputs-only): no installer built');
    wouldRun();
    return 0;
  }
  if (tools.missing.length) {
    log('NOT PACKAGED: installers cannot be built on this machine');
    for (const reason of tools.missing) log(`  - ${reason}`);
    wouldRun();
    return 3;
  }

  for (const c of commands) {
    log(`$ ${shellLine(c.argv)}`);
    const run = spawnSync(c.argv[0]!, c.argv.slice(1), { cwd: c.cwd, stdio: 'inherit', env });
    if (run.status !== 0)
      throw new PackagingError(
        `${c.argv[0]} failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`})`,
      );
  }
  const made = existsSync(inputs.installersDir) ? readdirSync(inputs.installersDir) : [];
  const missing = artifacts.filter((a) => !made.includes(a));
  if (missing.length)
    throw new PackagingError(`electron-builder finished, but ${missing.join(', ')} is missing`);
  log(`built ${artifacts.map((a) => join(inputs.installersDir, a)).join(', ')}`);
  // The landing page offers `BeckonAssist.<ext>` from BECKON_ARTIFACTS_DIR, renamed per session
  // code; on Windows only the portable build can read that code back from its file name.
  const served = outputs.portable ? artifacts[1]! : artifacts[0]!;
  log(
    `to offer it on the landing page: copy ${served} to $BECKON_ARTIFACTS_DIR/${assistArtifactName(outputs.landing)}`,
  );
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2), process.env);
} catch (err) {
  // A PackagingError says what to do; anything else is a bug, and its stack helps.
  console.error(`package-assist: ${err instanceof PackagingError ? err.message : (err as Error).stack}`);
  process.exitCode = 1;
}
