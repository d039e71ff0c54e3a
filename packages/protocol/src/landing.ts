import { z } from 'zod';
import type { SessionCode } from './codes.ts';
import { SessionStatusSchema } from './state-machine.ts';

/**
 * The customer landing page (`/j/<token>`, SR6): the assist client download
 * named after the session code, and the live status pushed to the page.
 */

export const AssistPlatformSchema = z.enum(['windows', 'mac', 'linux']);
export type AssistPlatform = z.infer<typeof AssistPlatformSchema>;
export const ASSIST_PLATFORMS = AssistPlatformSchema.options;

/** How each platform's installer ends; the artifacts folder holds `BeckonAssist<ext>`. */
export const ASSIST_EXTENSIONS: Readonly<Record<AssistPlatform, string>> = {
  windows: '.exe',
  mac: '.dmg',
  linux: '.AppImage',
};

/** The file name of an installer stored in the artifacts folder. */
export function assistArtifactName(platform: AssistPlatform): string {
  return `BeckonAssist${ASSIST_EXTENSIONS[platform]}`;
}

/**
 * The name a download gets: `BeckonAssist-s12345678.exe`. The assist client
 * reads the code back from its own file name (`sessionCodeFromFileName`), so
 * running the download joins the request without typing anything.
 */
export function assistDownloadName(code: SessionCode, platform: AssistPlatform): string {
  return `BeckonAssist-${code}${ASSIST_EXTENSIONS[platform]}`;
}

/**
 * The self-contained Linux assist bundle (SR6: a download that works without
 * installing anything): a `.tar.gz` of the Node runtime, the host engine and its
 * native addons, built by the project itself and served by every broker. Its
 * download is `BeckonAssist-s12345678.tar.gz`, and it unpacks to
 * `BeckonAssist/`, where the launcher `BeckonAssist-s12345678` (named by the
 * broker for this download) joins the request by the code in its name.
 */
export const ASSIST_BUNDLE_DIR = 'BeckonAssist';
export const ASSIST_BUNDLE_EXTENSION = '.tar.gz';
/** The download route's last segment for the bundle (`/j/<token>/download/linux-bundle`). */
export const ASSIST_BUNDLE_ROUTE = 'linux-bundle';

export function assistBundleName(code: SessionCode): string {
  return `BeckonAssist-${code}${ASSIST_BUNDLE_EXTENSION}`;
}

/** The launcher inside the bundle that joins `code`: the code is its own file name. */
export function assistLauncherName(code: SessionCode): string {
  return `BeckonAssist-${code}`;
}

/** One server-sent event on `/j/<token>/events`: the request's status now. */
export const LandingStatusEventSchema = z.strictObject({ status: SessionStatusSchema });
export type LandingStatusEvent = z.infer<typeof LandingStatusEventSchema>;
