import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedTarget } from './url-guard.ts';

export interface PostLimits {
  timeoutMs: number;
  /** Bytes of the answer read at most; the rest is cut off (only the status matters). */
  maxResponseBytes: number;
}

/**
 * POSTs a body to a checked target. The socket connects to `target.address`
 * (the DNS lookup is answered with it), while the Host header and TLS name
 * stay the URL's host, so certificates are verified as usual. Redirects are
 * never followed: a 3xx is just a status. One connection per delivery.
 */
export function postPinned(
  target: ResolvedTarget,
  headers: Record<string, string>,
  body: string,
  limits: PostLimits,
): Promise<{ status: number }> {
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const req = send(
      target.url,
      {
        method: 'POST',
        agent: false,
        lookup: pinned,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxResponseBytes) res.destroy();
        });
        res.on('end', () => finish(() => resolve({ status })));
        res.on('close', () => finish(() => resolve({ status })));
        res.on('error', () => finish(() => resolve({ status })));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${limits.timeoutMs} ms`));
    }, limits.timeoutMs);
    req.on('error', (err) => finish(() => reject(err)));
    req.end(body);
  });
}
