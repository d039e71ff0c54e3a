import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from 'ws';
import { HOST_ADDR } from './net.ts';

// The receiving side's web server: the two receiver pages (bundled here for
// the browser) and the WebSocket-to-TCP bridge noVNC needs to reach x11vnc
// (what websockify does in a noVNC deployment: ws://…/vnc?port=N carries the
// RFB stream both ways, binary frames, no compression, Nagle off).

const here = import.meta.dirname;
const root = join(here, '../..');

interface Rolldown {
  build(options: {
    input: string;
    cwd: string;
    platform: 'browser';
    write: false;
    logLevel: 'warn';
    output: { format: 'esm' };
  }): Promise<{ output: [{ code: string }] }>;
}

/** Bundles a page entry as an app would (rolldown, @beckon/session's devDependency, what Vite 8 bundles with). */
async function bundle(entry: string): Promise<string> {
  const require = createRequire(join(root, 'packages/session/package.json'));
  const rolldown = (await import(pathToFileURL(require.resolve('rolldown')).href)) as Rolldown;
  const out = await rolldown.build({
    input: join(here, entry),
    cwd: here,
    platform: 'browser',
    write: false,
    logLevel: 'warn',
    output: { format: 'esm' },
  });
  return out.output[0].code;
}

const page = (title: string, body: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title>` +
  '<style>html,body{margin:0;background:#222;overflow:hidden}</style>' +
  `${body}<script type="module" src="/${title}.js"></script>`;

const PAGES: Record<string, { entry: string; html: string }> = {
  // Like RemoteView's <video>: autoplay, inline, muted; here at its natural size.
  agent: {
    entry: 'agent-page.ts',
    html: page('agent', '<video autoplay playsinline muted style="display:block;width:1280px;height:720px">'),
  },
  novnc: {
    entry: 'novnc-page.ts',
    html: page('novnc', '<div id="screen" style="width:1280px;height:720px">'),
  },
};

export interface Pages {
  /** http://127.0.0.1:port, the origin the broker must allow. */
  origin: string;
  /** The bridge's URL to a TCP port of the host side (loopback, or across the emulated link). */
  vncUrl(host: string, port: number): string;
  close(): Promise<void>;
}

export async function servePages(): Promise<Pages> {
  const code: Record<string, string> = {};
  for (const [name, p] of Object.entries(PAGES)) code[name] = await bundle(p.entry);
  const server: Server = createServer((req, res) => {
    const name = /^\/(\w+)(\.js)?$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const p = name ? PAGES[name[1]!] : undefined;
    if (!name || !p) return void res.writeHead(404).end();
    if (name[2]) res.writeHead(200, { 'content-type': 'text/javascript' }).end(code[name[1]!]);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(p.html);
  });
  const wss = new WebSocketServer({ server, path: '/vnc', perMessageDeflate: false });
  wss.on('connection', (ws, req) => {
    const q = new URL(req.url ?? '', 'http://x').searchParams;
    // Only the host side's two addresses: loopback, or the emulated link's far end.
    const host = q.get('host') === HOST_ADDR ? HOST_ADDR : '127.0.0.1';
    const tcp = connect({ host, port: Number(q.get('port')), noDelay: true });
    ws.on('message', (data: Buffer) => tcp.write(data));
    tcp.on('data', (data) => ws.send(data));
    ws.on('close', () => tcp.destroy());
    tcp.on('close', () => ws.close());
    tcp.on('error', () => ws.close());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    vncUrl: (h, p) => `ws://127.0.0.1:${port}/vnc?host=${h}&port=${p}`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise((r) => server.close(r));
    },
  };
}
