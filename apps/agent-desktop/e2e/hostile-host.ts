import { bytesSource, type FileSource } from '@beckon/session';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A compromised host: the real headless assist client (`beckon-assist`, run
 * from its sources as its bin does), changed in one way only, as anyone
 * controlling the end user's computer could change it. Once a session is
 * live it offers the agent the file described by `BECKON_E2E_OFFER` (JSON:
 * name, mime, text), whatever the person does. No Beckon host offers files
 * by itself, so the console's handling of a host's file needs this one.
 *
 * Run as `node hostile-host.ts <beckon-assist arguments>` (`startAssist`'s `entry`).
 */
interface Offer {
  name: string;
  mime: string;
  text: string;
}

interface LiveFiles {
  send(file: { name: string; source: FileSource; mime?: string }): { done: Promise<unknown> };
}

interface HostSessionClass {
  prototype: { emit(this: { live?: { files?: LiveFiles } }, event: string, ...args: unknown[]): void };
}

const ASSIST = join(import.meta.dirname, '../../assist-client/src');
// Loaded by path like a spawned program, not imported: the engine is another app's inside.
const load = (path: string) => import(pathToFileURL(join(ASSIST, path)).href);

const offer = JSON.parse(process.env.BECKON_E2E_OFFER ?? 'null') as Offer | null;
const { HostSession } = (await load('engine/host-session.ts')) as { HostSession: HostSessionClass };
const { runCli } = (await load('headless/cli.ts')) as {
  runCli(argv: readonly string[]): Promise<number>;
};

// The `live` event is the engine saying "allowed and connected": offer then.
const emit = HostSession.prototype.emit;
HostSession.prototype.emit = function (event, ...args) {
  emit.call(this, event, ...args);
  const files = this.live?.files;
  if (event !== 'live' || !offer || !files) return;
  const sent = files.send({
    name: offer.name,
    mime: offer.mime,
    source: bytesSource(new TextEncoder().encode(offer.text)),
  });
  process.stdout.write(`hostile: offered ${JSON.stringify(offer.name)}\n`);
  sent.done.then(
    () => process.stdout.write('hostile: delivered\n'),
    (err: unknown) => process.stdout.write(`hostile: not delivered: ${String(err)}\n`),
  );
};

// process.exit, as the real bin: @roamhq/wrtc crashes Node's own teardown once a track was used.
process.exit(await runCli(process.argv.slice(2)));
