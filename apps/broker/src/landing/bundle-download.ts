import { ASSIST_BUNDLE_DIR, assistLauncherName, type SessionCode } from '@beckon/protocol';
import { gzipSync } from 'node:zlib';

/**
 * The Linux assist bundle is built once (apps/assist-client/src/bundle/build.ts)
 * as a gzipped tar without its end. Each download gets a second gzip member
 * appended, made here, so the same bytes on disk serve every request:
 *
 *   BeckonAssist/beckon-assist.json      {"brokerUrl": this broker's public URL}
 *   BeckonAssist/BeckonAssist-s12345678  a link to the launcher: the code is its name
 *   two zero blocks                      the archive's end
 *
 * gunzip reads concatenated members as one stream, so `tar xzf` sees one archive.
 */
export function bundleTail(code: SessionCode, brokerUrl: string, mtime: Date): Buffer {
  const config = Buffer.from(`${JSON.stringify({ brokerUrl })}\n`);
  const seconds = Math.floor(mtime.getTime() / 1000);
  const blocks = [
    ustarHeader({
      name: `${ASSIST_BUNDLE_DIR}/beckon-assist.json`,
      mode: 0o644,
      size: config.length,
      mtime: seconds,
    }),
    padded(config),
    ustarHeader({
      name: `${ASSIST_BUNDLE_DIR}/${assistLauncherName(code)}`,
      mode: 0o777,
      size: 0,
      mtime: seconds,
      link: 'beckon-assist',
    }),
    Buffer.alloc(1024),
  ];
  return gzipSync(Buffer.concat(blocks));
}

function padded(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

/** One ustar header block: a regular file, or a symbolic link when `link` is given. */
export function ustarHeader(e: {
  name: string;
  mode: number;
  size: number;
  mtime: number;
  link?: string;
}): Buffer {
  const h = Buffer.alloc(512);
  const put = (at: number, len: number, value: string) => {
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length > len) throw new Error(`tar field too long: ${value}`);
    bytes.copy(h, at);
  };
  const octal = (at: number, len: number, n: number) =>
    put(at, len, `${n.toString(8).padStart(len - 1, '0')}\0`);
  put(0, 100, e.name);
  octal(100, 8, e.mode);
  octal(108, 8, 0); // uid
  octal(116, 8, 0); // gid
  octal(124, 12, e.size);
  octal(136, 12, e.mtime);
  h.write('        ', 148, 'latin1'); // the checksum counts its own field as spaces
  put(156, 1, e.link === undefined ? '0' : '2');
  if (e.link !== undefined) put(157, 100, e.link);
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  let sum = 0;
  for (const b of h) sum += b;
  put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}
