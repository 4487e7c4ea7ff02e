/**
 * `npm run build && BASIX_PBX_URL=https://pbx.example.jp npm run serve`: serves the built console
 * from `dist/` and proxies `/basix/*` (HTTP + WebSocket) to the PBX, so the console and the PBX's
 * session cookie share one origin. Env: `BASIX_PBX_URL` (required), `PORT` (default 8080),
 * `HOST` (default 127.0.0.1), `BASIX_PBX_INSECURE=1` (skip TLS verification of the PBX; testing only).
 * See docs/pbx-sim.md ("Production") for an nginx alternative.
 */
import { fileURLToPath } from 'node:url';
import { createProdServer } from '../src/pbx-sim/prod-server.ts';

const pbxUrl = process.env.BASIX_PBX_URL?.trim();
if (!pbxUrl) {
  console.error('BASIX_PBX_URL is not set (e.g. BASIX_PBX_URL=https://pbx.example.jp npm run serve).\n' + 'For the simulator, use `npm start` (dev) or `npm run pbx-sim`.');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const distDir = fileURLToPath(new URL('../dist', import.meta.url));
let server;
try {
  server = createProdServer({ distDir, pbxUrl, secure: process.env.BASIX_PBX_INSECURE !== '1', log: (l) => console.error(l) });
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
server.listen(port, host, () => {
  console.log(`Console on http://${host}:${port}/ — /basix/* proxied to ${new URL(pbxUrl).origin}. Log in with your PBX account.`);
});
const stop = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
