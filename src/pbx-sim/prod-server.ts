/**
 * Production server for the built console (`npm run build` → `dist/`): static files with `sirv`
 * and the PBX paths (`/basix`, `/static`, `BASIX_PBX_PATHS`; HTTP and WebSocket) proxied to the
 * real PBX by pbx-proxy.ts, the same proxy as the dev server's — cross-site requests refused
 * before forwarding, Origin/Host rewritten, redirects and cookies fixed up (see there).
 * Session cookies require one origin for the console and `/basix`: this server provides it.
 *
 * Static side: SPA fallback to index.html only for extension-less paths (an asset-looking path
 * that does not exist is a 404, never the console's page); the page carries a real
 * Content-Security-Policy header with `frame-ancestors 'none'` and `X-Frame-Options: DENY`.
 * Plain http, or https with `tls` (a certificate and key, e.g. from serve-tls.ts).
 */
import http from 'node:http';
import https from 'node:https';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sirv from 'sirv';
import { consoleCspHeader } from '../app/csp.ts';
import { WS_CTI_PATH } from '../cti/protocol.ts';
import { createPbxProxy, type PbxProxyOptions } from './pbx-proxy.ts';
import { consoleOrigin, looksLikeAsset, type ClientContext } from './proxy-rules.ts';
import { refuseUpgrade } from './upgrade.ts';

/** Options of {@link createProdServer}: the proxy's ({@link PbxProxyOptions}, whose `tls` is set from {@link ProdServerOptions.tls}) and: */
export interface ProdServerOptions extends Omit<PbxProxyOptions, 'tls'> {
  /** Directory of the built console (with index.html). */
  distDir: string;
  /** Serve over https with this PEM certificate (chain) and key; default plain http. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** The headers of every static answer; the CSP names the origin the browser used. */
function setSecurityHeaders(res: http.ServerResponse, req: http.IncomingMessage, ctx: ClientContext): void {
  res.setHeader('Content-Security-Policy', consoleCspHeader(consoleOrigin(req, ctx)));
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/**
 * An HTTP(S) server (not yet listening) serving `distDir` and proxying the PBX paths to `pbxUrl`.
 * @throws Error when `distDir/index.html` is missing; TypeError when `pbxUrl` is not http(s).
 */
export function createProdServer(o: ProdServerOptions): http.Server {
  if (!existsSync(join(o.distDir, 'index.html'))) throw new Error(`${o.distDir}/index.html not found: run \`npm run build\` first`);
  const ctx: ClientContext = { tls: !!o.tls, trustProxy: o.trustProxy };
  const proxy = createPbxProxy({ ...o, tls: !!o.tls });
  const files = sirv(o.distDir, {
    etag: true,
    gzip: true,
    brotli: true,
    setHeaders: (res, pathname) => {
      res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const page = sirv(o.distDir, { etag: true, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') });
  const notFound = (res: http.ServerResponse): void => {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (proxy.handles(req.url)) return proxy.web(req, res);
    setSecurityHeaders(res, req, ctx);
    files(req, res, () => {
      // SPA fallback: the console's page for an app route, never for a missing asset (issue 9)
      if (looksLikeAsset(req.url) || (req.method !== 'GET' && req.method !== 'HEAD')) return notFound(res);
      req.url = '/index.html';
      page(req, res, () => notFound(res));
    });
  };
  const server = o.tls ? https.createServer({ cert: o.tls.cert, key: o.tls.key }, handler) : http.createServer(handler);
  server.on('upgrade', (req, socket, head) => {
    if (proxy.handles(req.url)) proxy.upgrade(req, socket, head);
    else refuseUpgrade(socket, 404, `no WebSocket here; the CTI socket is ${WS_CTI_PATH}`);
  });
  server.on('close', () => proxy.close());
  return server as http.Server;
}
