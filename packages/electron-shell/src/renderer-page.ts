import { join } from 'node:path';

/** Where one window's page is loaded from. */
export type PageSource = { readonly url: string } | { readonly file: string };

/**
 * A window's page: electron-vite's dev server (`ELECTRON_RENDERER_URL`) in an
 * unpackaged app, else the built file `out/renderer/<page>/index.html` (the
 * page `''` is `out/renderer/index.html`). A packaged app never loads from a
 * dev server, whatever its environment says.
 */
export function rendererPage(options: {
  readonly packaged: boolean;
  readonly devServer: string | undefined;
  /** The built app's `out/` folder. */
  readonly outDir: string;
  readonly page: string;
}): PageSource {
  const { packaged, devServer, outDir, page } = options;
  if (!packaged && devServer) return { url: page ? `${devServer}/${page}/index.html` : devServer };
  return { file: join(outDir, 'renderer', page, 'index.html') };
}
