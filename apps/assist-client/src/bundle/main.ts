import { loadClientConfig } from '../desktop/client-config.ts';
import { runCli } from '../headless/cli.ts';
import { findDialogTool, type DialogTool } from '../headless/dialog-ui.ts';

/**
 * The Linux assist bundle's entry (built into one file by
 * scripts/build-linux-bundle.ts; the launcher `beckon-assist` runs it with the
 * bundle's own Node). The broker that served the download put its address in
 * `beckon-assist.json` beside the launcher, and a link named
 * `BeckonAssist-s12345678` that carries the session code: the engine reads the
 * code from the launcher's name, as the Electron client reads it from the
 * installer's. Arguments given by hand come after, so they win.
 */
export async function runBundle(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const home = env['BECKON_ASSIST_HOME'] ?? '';
  const launcher = env['BECKON_ASSIST_LAUNCHER'] ?? '';
  const config = loadClientConfig(env, home);
  const broker = config.ok ? ['--broker', config.config.brokerUrl] : [];
  const given = (flag: string) => argv.some((a) => a === flag || a.startsWith(`${flag}=`));
  if (!config.ok && !given('--broker') && !given('--link') && !given('--help') && !given('-h')) {
    process.stderr.write(`beckon-assist: ${config.message}\n`);
  }
  return runCli([...broker, ...argv], undefined, launcher, { dialog: chooseDialog(env) });
}

/**
 * Asked in a window when the bundle was started from the desktop (no terminal
 * on standard input, a display, a dialog tool); in the terminal otherwise.
 * `BECKON_ASSIST_UI=terminal` or `=dialog` decides instead.
 */
export function chooseDialog(
  env: Record<string, string | undefined>,
  stdinIsTty = process.stdin.isTTY === true,
): DialogTool | undefined {
  const wanted = env['BECKON_ASSIST_UI'];
  if (wanted === 'terminal') return undefined;
  if (wanted !== 'dialog' && (stdinIsTty || !env['DISPLAY'])) return undefined;
  return findDialogTool(env) ?? undefined;
}
