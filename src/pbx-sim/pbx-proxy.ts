/**
 * The `/basix` (and `/static`, `BASIX_PBX_PATHS`) proxy to a real PBX, one implementation for
 * `npm run serve` (prod-server.ts) and the Vite dev/preview server with `BASIX_PBX_URL`
 * (vite-plugin.ts). `http-proxy-3` does the forwarding; the rules are in proxy-rules.ts:
 *
 * 1. a foreign `Origin` (or, on a POST/PUT/PATCH/DELETE without one, a foreign `Referer`) is
 *    refused with 403 before anything reaches the PBX — HTTP and WebSocket upgrades (issue 12);
 * 2. only then `Origin` (and a same-origin `Referer`) is rewritten to the PBX's, so the PBX's own
 *    same-origin check accepts the console; `Host` is the PBX's (`changeOrigin`);
 * 3. no `X-Forwarded-*`/`Forwarded` reaches the PBX unless `forwardedHeaders` (they can make a PBX
 *    redirect to itself in a loop; issue 9);
 * 4. 301/302/303/307/308 `Location`s to the PBX's host point at the console's origin;
 * 5. `Set-Cookie`: `Domain` dropped, `Secure` handled per {@link rewriteSetCookies}; a `Secure`
 *    cookie on a plain-http LAN page is refused with a page saying to serve over TLS.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import { PBX_PATHS } from './paths.ts';
import {
  checkOrigin,
  consoleOrigin,
  cookieContext,
  isUnderPrefix,
  normalizeOrigin,
  parseOriginList,
  parsePathList,
  rewriteLocation,
  rewriteSetCookies,
  type ClientContext,
} from './proxy-rules.ts';
import { refuseUpgrade } from './upgrade.ts';

/** Options of {@link createPbxProxy}. */
export interface PbxProxyOptions extends ClientContext {
  /** The PBX, e.g. `https://pbx.example.jp` (only its origin is used). */
  pbxUrl: string;
  /** Proxied path prefixes (default {@link PBX_PATHS}: `/basix`, `/static`). */
  paths?: readonly string[];
  /** Other origins whose pages may use the proxy (normalised, e.g. `https://console.example.jp`); default none. */
  allowedOrigins?: readonly string[];
  /** Send `X-Forwarded-For/Proto/Host/Port` to the PBX (`BASIX_PBX_XFWD=1`); default false. */
  forwardedHeaders?: boolean;
  /** Verify the PBX's TLS certificate (default true; `BASIX_PBX_INSECURE=1` turns it off). */
  verifyTls?: boolean;
  /** Where refusals and PBX errors are logged, one line each (default: nowhere). */
  log?: (line: string) => void;
}

/** A running proxy: call {@link PbxProxy.web}/{@link PbxProxy.upgrade} for requests it {@link PbxProxy.handles}. */
export interface PbxProxy {
  /** The PBX's origin, e.g. `https://pbx.example.jp`. */
  readonly pbxOrigin: string;
  /** The proxied path prefixes. */
  readonly paths: readonly string[];
  /** Whether `url` (a request URL) is under one of {@link PbxProxy.paths}. */
  handles(url: string | undefined): boolean;
  /** Check and forward an HTTP request. */
  web(req: http.IncomingMessage, res: http.ServerResponse): void;
  /** Check and forward a WebSocket upgrade. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

/**
 * {@link PbxProxyOptions} from the environment: `BASIX_PBX_URL` (required), `BASIX_PBX_PATHS`,
 * `BASIX_ALLOWED_ORIGINS`, `BASIX_TRUST_PROXY` (`1` = any peer, or comma-separated peer IPs),
 * `BASIX_PBX_XFWD=1`, `BASIX_PBX_INSECURE=1`. `tls` is the caller's (how it serves).
 * @throws TypeError on a missing/invalid `BASIX_PBX_URL`, a bad path or origin entry.
 */
export function pbxProxyOptionsFromEnv(env: NodeJS.ProcessEnv, tls: boolean): PbxProxyOptions {
  const pbxUrl = env.BASIX_PBX_URL?.trim();
  if (!pbxUrl) throw new TypeError('BASIX_PBX_URL is not set (e.g. BASIX_PBX_URL=https://pbx.example.jp)');
  const trust = env.BASIX_TRUST_PROXY?.trim() ?? '';
  return {
    pbxUrl,
    tls,
    paths: parsePathList(env.BASIX_PBX_PATHS, PBX_PATHS),
    allowedOrigins: parseOriginList(env.BASIX_ALLOWED_ORIGINS),
    trustProxy: trust === '1' || trust === 'true' ? true : trust === '' || trust === '0' || trust === 'false' ? false : trust.split(/[\s,]+/).filter(Boolean),
    forwardedHeaders: env.BASIX_PBX_XFWD === '1' || env.BASIX_PBX_XFWD === 'true',
    verifyTls: env.BASIX_PBX_INSECURE !== '1',
  };
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page sent instead of a session cookie the browser would drop. */
function insecureCookiePage(req: http.IncomingMessage, res: http.ServerResponse, cookie: string): void {
  const text =
    `The PBX set its session cookie "${cookie}" with the Secure attribute, and this console page is plain http on a network address: ` +
    'the browser would drop the cookie (you would log in, then nothing would work). Serve the console over HTTPS: ' +
    '`npm run serve` with TLS_CERT and TLS_KEY (or BASIX_SERVE_TLS=self-signed), or behind a TLS-terminating proxy with BASIX_TRUST_PROXY=1; ' +
    'or open it as http://localhost on the PC that runs it.';
  const json = /application\/json/.test(req.headers.accept ?? '') && !/text\/html/.test(req.headers.accept ?? '');
  res.writeHead(502, { 'Content-Type': json ? 'application/json' : 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(
    json
      ? JSON.stringify({ error: 'insecure_cookie', cookie, message: text })
      : `<!doctype html><meta charset="utf-8"><title>Serve the console over HTTPS</title><h1>Serve the console over HTTPS</h1><p>${escapeHtml(text)}</p>`,
  );
}

/**
 * Create the proxy (no server of its own).
 * @throws TypeError when `pbxUrl` is not an absolute http(s) URL.
 */
export function createPbxProxy(o: PbxProxyOptions): PbxProxy {
  let target: URL;
  try {
    target = new URL(o.pbxUrl);
  } catch {
    throw new TypeError(`BASIX_PBX_URL must be http(s)://…, got ${o.pbxUrl}`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new TypeError(`BASIX_PBX_URL must be http(s)://…, got ${o.pbxUrl}`);
  const pbxOrigin = target.origin;
  const paths = o.paths ?? PBX_PATHS;
  const allowed = o.allowedOrigins ?? [];
  const log = o.log ?? (() => {});
  const proxy = createProxyServer({ target: pbxOrigin, changeOrigin: true, ws: true, secure: o.verifyTls ?? true, xfwd: o.forwardedHeaders ?? false });

  const outgoing = (proxyReq: http.ClientRequest, req: http.IncomingMessage): void => {
    if (!o.forwardedHeaders) for (const h of proxyReq.getHeaderNames()) if (h.startsWith('x-forwarded-') || h === 'forwarded') proxyReq.removeHeader(h);
    if (req.headers.origin) proxyReq.setHeader('Origin', pbxOrigin);
    // a Referer from the console's own pages names the PBX too (a PBX may check it like Origin)
    const referer = req.headers.referer;
    const refOrigin = normalizeOrigin(referer);
    if (referer && refOrigin && (refOrigin === consoleOrigin(req, o) || allowed.includes(refOrigin))) {
      const r = new URL(referer);
      proxyReq.setHeader('Referer', `${pbxOrigin}${r.pathname}${r.search}`);
    }
  };
  proxy.on('proxyReq', (proxyReq, req) => outgoing(proxyReq, req));
  proxy.on('proxyReqWs', (proxyReq, req) => outgoing(proxyReq, req));
  proxy.on('proxyRes', (proxyRes, req, res) => {
    const own = consoleOrigin(req, o);
    const loc = proxyRes.headers.location;
    if (loc && own) proxyRes.headers.location = rewriteLocation(loc, proxyRes.statusCode ?? 0, pbxOrigin, own);
    const set = proxyRes.headers['set-cookie'];
    if (!set?.length) return;
    const verdict = rewriteSetCookies(set, cookieContext(req, o));
    if (verdict.ok) {
      proxyRes.headers['set-cookie'] = verdict.cookies;
      return;
    }
    log(`refused ${req.method} ${req.url}: the PBX set a Secure cookie "${verdict.cookie}" but the browser reached the console over plain http at ${own}; serve over TLS`);
    proxyRes.resume();
    insecureCookiePage(req, res as http.ServerResponse, verdict.cookie);
  });
  proxy.on('error', (err, _req, res) => {
    log(`PBX proxy error: ${err.message}`);
    if (res && 'writeHead' in res && !res.headersSent) {
      res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`PBX unreachable (${pbxOrigin})`);
    } else if (res && 'destroy' in res) res.destroy();
  });

  const refusal = (req: http.IncomingMessage): string | undefined => {
    const v = checkOrigin(req, o, allowed);
    if (v.ok) return undefined;
    log(`refused cross-origin ${req.headers.upgrade ? 'WebSocket upgrade' : req.method} ${req.url}: ${v.reason}`);
    return `Cross-origin request refused by the console's proxy: ${v.reason}. Add the page's origin to BASIX_ALLOWED_ORIGINS if it should use this console.`;
  };
  return {
    pbxOrigin,
    paths,
    handles: (url) => isUnderPrefix(url, paths),
    web(req, res) {
      const why = refusal(req);
      if (why === undefined) return void proxy.web(req, res);
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(why);
    },
    upgrade(req, socket, head) {
      const why = refusal(req);
      if (why === undefined) return void proxy.ws(req, socket, head);
      refuseUpgrade(socket, 403, why);
    },
    close: () => proxy.close(),
  };
}
