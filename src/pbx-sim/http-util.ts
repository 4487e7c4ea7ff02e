/** HTTP helpers of the simulator's front (server.ts): origins, bodies, answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body read (64 KiB). */
export const MAX_BODY = 64 * 1024;

/** The first value of a maybe repeated, maybe comma-joined `X-Forwarded-*` header (the client's end). */
function firstForwarded(v: string | string[] | undefined): string | undefined {
  return (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim() || undefined;
}

/**
 * The HTTP origin a client used to reach us (`http(s)://Host`), for absolute avatar URLs. Behind
 * a proxy (`npm run serve`, nginx) the client's host and scheme are in `X-Forwarded-Host` /
 * `X-Forwarded-Proto`; a WebSocket upgrade forwards its scheme as `ws`/`wss`, which map to
 * `http`/`https` (an avatar is fetched over HTTP).
 */
export function originOf(req: IncomingMessage): string {
  const fwdProto = firstForwarded(req.headers['x-forwarded-proto'])?.toLowerCase();
  const proto =
    fwdProto === 'https' || fwdProto === 'wss'
      ? 'https'
      : fwdProto === 'http' || fwdProto === 'ws'
        ? 'http'
        : (req.socket as { encrypted?: boolean }).encrypted
          ? 'https'
          : 'http';
  const host = firstForwarded(req.headers['x-forwarded-host']) ?? req.headers.host ?? 'localhost';
  return `${proto}://${host}`;
}

/** No `Origin` header (non-browser clients) or one whose host is ours. */
export function sameOrigin(req: IncomingMessage): boolean {
  const o = req.headers.origin;
  if (o === undefined) return true;
  try {
    const u = new URL(o);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * The request body as UTF-8 text.
 * @throws Error (rejects) past {@link MAX_BODY} bytes (the request is destroyed) or on a stream error.
 */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (b: Buffer) => {
      n += b.length;
      if (n > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(b);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Form fields of a urlencoded body, or the string fields of a JSON object body (`{}` for bad JSON). */
export function parseForm(req: IncomingMessage, body: string): Record<string, string | undefined> {
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      const v = JSON.parse(body) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : undefined]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
}

/** Answer JSON (no-store). Returns true, for `return json(...)` in request handlers. */
export function json(res: ServerResponse, status: number, body: unknown): true {
  const s = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(s);
  return true;
}

/** Answer HTML (no-store, not framable). */
export function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY' });
  res.end(body);
}
