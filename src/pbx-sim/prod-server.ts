/**
 * Production server for the built console (`npm run build` → `dist/`): static files with `sirv`
 * (SPA fallback to index.html) and `/basix/*`, `/static/icons/*` (HTTP and WebSocket) proxied
 * to the real PBX with `http-proxy-3` — the same rules as the dev proxy (vite-plugin.ts): Host
 * and Origin rewritten to the PBX, cookie Domain dropped, PBX redirects rewritten.
 * Session cookies require one origin for the console and `/basix`: this server provides it.
 */
import http from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createProxyServer } from 'http-proxy-3';
import sirv from 'sirv';
import { PBX_PATHS } from './paths.ts';
import { WS_CTI_PATH } from '../cti/protocol.ts';
import { refuseUpgrade } from './upgrade.ts';

/** Options of {@link createProdServer}. */
export interface ProdServerOptions {
  /** Directory of the built console (with index.html). */
  distDir: string;
  /** The PBX, e.g. `https://pbx.example.jp` (only its origin is used). */
  pbxUrl: string;
  /** Verify the PBX's TLS certificate (default true). */
  secure?: boolean;
  log?: (line: string) => void;
}

const isPbxPath = (url: string | undefined): boolean => {
  const p = (url ?? '/').split('?')[0];
  return PBX_PATHS.some((x) => p === x || p.startsWith(`${x}/`));
};

/**
 * An HTTP server (not yet listening) serving `distDir` and proxying the PBX paths to `pbxUrl`.
 * @throws Error when `distDir/index.html` is missing; TypeError when `pbxUrl` is not http(s).
 */
export function createProdServer(o: ProdServerOptions): http.Server {
  if (!existsSync(join(o.distDir, 'index.html'))) throw new Error(`${o.distDir}/index.html not found: run \`npm run build\` first`);
  const target = new URL(o.pbxUrl);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new TypeError(`BASIX_PBX_URL must be http(s)://…, got ${o.pbxUrl}`);
  const origin = target.origin;
  const proxy = createProxyServer({
    target: origin,
    changeOrigin: true,
    ws: true,
    secure: o.secure ?? true,
    autoRewrite: true,
    cookieDomainRewrite: '',
    xfwd: true,
  });
  proxy.on('proxyReq', (proxyReq, req) => {
    if (req.headers.origin) proxyReq.setHeader('Origin', origin);
  });
  proxy.on('proxyReqWs', (proxyReq) => proxyReq.setHeader('Origin', origin));
  proxy.on('error', (err, _req, res) => {
    o.log?.(`proxy error: ${err.message}`);
    if (res && 'writeHead' in res && !res.headersSent) {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end('PBX unreachable');
    } else if (res && 'destroy' in res) res.destroy();
  });
  const files = sirv(o.distDir, {
    single: true,
    etag: true,
    gzip: true,
    brotli: true,
    setHeaders: (res, pathname) => {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'same-origin');
      res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const server = http.createServer((req, res) => {
    if (isPbxPath(req.url)) proxy.web(req, res);
    else files(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    if (isPbxPath(req.url)) proxy.ws(req, socket, head);
    else refuseUpgrade(socket, 404, `no WebSocket here; the CTI socket is ${WS_CTI_PATH}`);
  });
  server.on('close', () => proxy.close());
  return server;
}
