import { BAKED_LOGO_FILES, pngSize, type BakedLogoType } from '../desktop/logo-file.ts';
import { appId, artifactNames, orgSlug, productName } from './org-names.ts';

export const PLATFORMS = ['linux', 'win', 'mac'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** The smallest square PNG electron-builder turns into each platform's icon (it converts PNG to .ico / .icns). */
const ICON_MIN: Record<Platform, number> = { linux: 256, win: 256, mac: 512 };

export interface IconPlan {
  /** The platforms whose icon is the logo; the others keep the base config's icon. */
  readonly platforms: readonly Platform[];
  readonly notes: readonly string[];
}

const ICON_HELP =
  'for an icon, upload a square PNG logo of at least 512x512, or put icon.png (512x512), icon.ico and ' +
  'icon.icns in build/resources/assist-client';

/** Whether the logo can be the app icon, and on which platforms. */
export function iconPlan(logo: { type: BakedLogoType; bytes: Uint8Array } | null): IconPlan {
  if (!logo) return { platforms: [], notes: [`no logo: the app keeps the default icon (${ICON_HELP})`] };
  if (logo.type !== 'image/png')
    return {
      platforms: [],
      notes: [`the logo is a JPEG: the windows show it, the app icon stays the default (${ICON_HELP})`],
    };
  const size = pngSize(logo.bytes);
  if (!size)
    return { platforms: [], notes: [`the logo's PNG header is unreadable: default icon (${ICON_HELP})`] };
  const { width, height } = size;
  if (width !== height)
    return {
      platforms: [],
      notes: [`the logo is ${width}x${height}, not square: default icon (${ICON_HELP})`],
    };
  const platforms = PLATFORMS.filter((p) => width >= ICON_MIN[p]);
  const missing = PLATFORMS.filter((p) => width < ICON_MIN[p]);
  const notes = missing.length
    ? [
        `the logo is ${width}x${height}: too small for the ${missing.join(' and ')} icon, which stays the default (${ICON_HELP})`,
      ]
    : [];
  return { platforms, notes };
}

export interface BuilderConfigInput {
  /** Absolute path of build/assist-client.electron-builder.yml. */
  readonly baseConfig: string;
  readonly orgName: string;
  /** Absolute: the folder holding beckon-assist.json and the logo, copied into the app's resources. */
  readonly resourcesDir: string;
  /** Absolute: where electron-builder puts the installers. */
  readonly outputDir: string;
  readonly logo: { type: BakedLogoType; bytes: Uint8Array } | null;
  readonly resourceFiles: readonly string[];
}

export interface OrgBuild {
  readonly slug: string;
  readonly appId: string;
  readonly productName: string;
  readonly artifactName: string;
  readonly portableArtifactName: string;
  readonly icon: IconPlan;
  /** The generated electron-builder configuration (JSON, which electron-builder reads like YAML). */
  readonly config: Record<string, unknown>;
}

/**
 * The organisation's electron-builder configuration: the base file (targets,
 * protocol, signing hooks, hardened runtime) plus only what makes the build
 * this organisation's. electron-builder merges objects key by key, so e.g.
 * `linux.icon` adds to the base's `linux.target`.
 */
export function orgBuilderConfig(input: BuilderConfigInput): OrgBuild {
  const slug = orgSlug(input.orgName);
  const product = productName(input.orgName);
  const names = artifactNames(slug);
  const icon = iconPlan(input.logo);
  const iconFile = `${input.resourcesDir}/${BAKED_LOGO_FILES['image/png']}`;
  const config: Record<string, unknown> = {
    // `file:` makes electron-builder read exactly this file, never resolve a module of that name.
    extends: `file:${input.baseConfig}`,
    appId: appId(slug),
    productName: product,
    // Electron's app name (and so the user-data folder) comes from the packaged package.json.
    extraMetadata: { productName: product },
    artifactName: names.installer,
    portable: { artifactName: names.portable },
    directories: { output: input.outputDir },
    extraResources: [{ from: input.resourcesDir, to: '.', filter: [...input.resourceFiles] }],
  };
  for (const platform of icon.platforms) config[platform] = { icon: iconFile };
  return {
    slug,
    appId: appId(slug),
    productName: product,
    artifactName: names.installer,
    portableArtifactName: names.portable,
    icon,
    config,
  };
}
