/**
 * `npm run build && BASIX_PBX_URL=https://pbx.example.jp npm run serve`: serves the built console
 * from `dist/` and proxies the PBX paths (HTTP + WebSocket) to the PBX, so the console and the
 * PBX's session cookie share one origin (src/pbx-sim/prod-server.ts, src/pbx-sim/pbx-proxy.ts).
 *
 * Environment (docs/pbx-sim.md "Production"):
 * - `BASIX_PBX_URL` — the PBX, `https://pbx.example.jp` (required).
 * - `PORT` — port to listen on (default 8080). `HOST` — address to listen on (default 127.0.0.1;
 *   `0.0.0.0` for reception PCs on the LAN, which then needs TLS, see below).
 * - `TLS_CERT`, `TLS_KEY` — PEM certificate (chain) and key files: serve https (default http).
 * - `BASIX_SERVE_TLS=self-signed` — serve https with a certificate made at start for localhost,
 *   127.0.0.1, this host name and `HOST` (default off; ignored when TLS_CERT/TLS_KEY are set).
 * - `BASIX_TRUST_PROXY` — `1`: believe `X-Forwarded-Proto`/`X-Forwarded-Host` from any peer (a
 *   TLS-terminating proxy in front); or comma-separated peer IPs to believe (default: none).
 * - `BASIX_ALLOWED_ORIGINS` — comma-separated other origins whose pages may use the proxy
 *   (default: none; the console's own origin is always allowed, every other is refused with 403).
 * - `BASIX_PBX_PATHS` — comma-separated path prefixes proxied to the PBX besides `/basix` and
 *   `/static` (e.g. `/css,/js` for a login page that loads them; default none).
 * - `BASIX_PBX_XFWD=1` — send `X-Forwarded-For/Proto/Host/Port` to the PBX (default off: some
 *   PBX web servers redirect to the forwarded scheme/host in a loop).
 * - `BASIX_PBX_INSECURE=1` — do not verify the PBX's TLS certificate (testing only; default off).
 * - `BASIX_DIST_DIR` — the built console to serve (default `dist/`).
 */
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { pbxProxyOptionsFromEnv } from '../src/pbx-sim/pbx-proxy.ts';
import { createProdServer } from '../src/pbx-sim/prod-server.ts';
import { isLoopbackHost } from '../src/pbx-sim/proxy-rules.ts';
import { tlsFromEnv, type TlsPair } from '../src/pbx-sim/serve-tls.ts';

const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

if (!process.env.BASIX_PBX_URL?.trim())
  fail('BASIX_PBX_URL is not set (e.g. BASIX_PBX_URL=https://pbx.example.jp npm run serve).\nFor the simulator, use `npm start` (dev) or `npm run pbx-sim`.');
const port = Number(process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, got "${process.env.PORT}"`);
const host = process.env.HOST ?? '127.0.0.1';
// BASIX_DIST_DIR: another build to serve (the e2e tests build their own, so a concurrent `npm run build` cannot swap files under them).
const distDir = process.env.BASIX_DIST_DIR?.trim() || fileURLToPath(new URL('../dist', import.meta.url));

let server: ReturnType<typeof createProdServer>;
let tls: TlsPair | undefined;
try {
  tls = await tlsFromEnv(process.env);
  const proxy = pbxProxyOptionsFromEnv(process.env, !!tls);
  server = createProdServer({ ...proxy, tls, distDir, log: (l) => console.error(l) });
} catch (e) {
  fail((e as Error).message);
}
const scheme = tls ? 'https' : 'http';
const wildcard = host === '0.0.0.0' || host === '::' || host === '';
// 0.0.0.0 is not an address a browser can open: show this machine's name instead
const shown = wildcard ? hostname() : host.includes(':') ? `[${host}]` : host;
const loopback = !wildcard && isLoopbackHost(`http://${shown}`);
server!.on('error', (e) => fail(`cannot listen on ${host}:${port}: ${e.message}`));
server!.listen(port, host, () => {
  console.log(`Console on ${scheme}://${shown}:${port}/ — ${new URL(process.env.BASIX_PBX_URL!).origin} proxied. Log in with your PBX account.`);
  if (!tls && !loopback && !process.env.BASIX_TRUST_PROXY)
    console.warn(
      'Plain http on a network address: a PBX session cookie marked Secure cannot work there (the browser drops it); such a login is refused ' +
        'with a page saying so. Set TLS_CERT/TLS_KEY or BASIX_SERVE_TLS=self-signed, or put a TLS-terminating proxy in front with BASIX_TRUST_PROXY=1.',
    );
});
const stop = (): void => {
  server!.close(() => process.exit(0));
  server!.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
