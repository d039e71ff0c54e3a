import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import {
  CLIENT_CONFIG_FILE,
  ClientConfigFileSchema,
  type ClientConfigFile,
} from '../desktop/client-config.ts';
import { BAKED_LOGO_FILES } from '../desktop/logo-file.ts';
import { orgBuilderConfig, type OrgBuild } from './builder-config.ts';
import { PackagingError, type OrgBranding } from './org-branding.ts';

export const BUILDER_CONFIG_FILE = 'electron-builder.json';

export interface PackagingInputs {
  readonly outDir: string;
  /** Copied into the app's resources: beckon-assist.json and the logo. */
  readonly resourcesDir: string;
  readonly clientConfigFile: string;
  readonly logoFile: string | null;
  readonly builderConfigFile: string;
  readonly installersDir: string;
  readonly clientConfig: ClientConfigFile;
  readonly build: OrgBuild;
}

/**
 * Writes what electron-builder needs to build one organisation's client:
 * `resources/beckon-assist.json` (checked with the very schema the client
 * reads it with, so a file the client would refuse is never written), the
 * logo beside it, and `electron-builder.json` extending the base config.
 * Files of an earlier run that this one does not write are removed, so an
 * old logo is never packaged by mistake.
 */
export function writePackagingInputs(opts: {
  outDir: string;
  brokerUrl: string;
  org: OrgBranding;
  baseConfig: string;
}): PackagingInputs {
  const outDir = resolve(opts.outDir);
  const resourcesDir = join(outDir, 'resources');
  const installersDir = join(outDir, 'installers');
  const { branding, logo } = opts.org;
  const logoName = logo ? BAKED_LOGO_FILES[logo.type] : null;
  const parsed = ClientConfigFileSchema.safeParse({
    brokerUrl: opts.brokerUrl.replace(/\/+$/, ''),
    branding: { orgName: branding.orgName, color: branding.color, message: branding.message, logo: logoName },
  });
  if (!parsed.success)
    throw new PackagingError(`the organisation's branding cannot be baked: ${z.prettifyError(parsed.error)}`);

  writing(resourcesDir, () => mkdirSync(resourcesDir, { recursive: true }));
  for (const name of [CLIENT_CONFIG_FILE, ...Object.values(BAKED_LOGO_FILES)])
    writing(resourcesDir, () => rmSync(join(resourcesDir, name), { force: true }));
  const clientConfigFile = join(resourcesDir, CLIENT_CONFIG_FILE);
  writing(clientConfigFile, () =>
    writeFileSync(clientConfigFile, `${JSON.stringify(parsed.data, null, 2)}\n`),
  );
  const logoFile = logo && logoName ? join(resourcesDir, logoName) : null;
  if (logo && logoFile) writing(logoFile, () => writeFileSync(logoFile, logo.bytes));

  const build = orgBuilderConfig({
    baseConfig: resolve(opts.baseConfig),
    orgName: branding.orgName,
    resourcesDir,
    outputDir: installersDir,
    logo,
    resourceFiles: logoName ? [CLIENT_CONFIG_FILE, logoName] : [CLIENT_CONFIG_FILE],
  });
  const builderConfigFile = join(outDir, BUILDER_CONFIG_FILE);
  writing(builderConfigFile, () =>
    writeFileSync(builderConfigFile, `${JSON.stringify(build.config, null, 2)}\n`),
  );
  return {
    outDir,
    resourcesDir,
    clientConfigFile,
    logoFile,
    builderConfigFile,
    installersDir,
    clientConfig: parsed.data,
    build,
  };
}

/** A file system failure (a read-only --out, a full disk) as a message naming the path. */
function writing(path: string, write: () => void): void {
  try {
    write();
  } catch (err) {
    throw new PackagingError(
      `cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}
