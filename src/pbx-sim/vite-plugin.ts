/**
 * Vite plugin: `npm start` runs the console against the simulated Basix PBX on the same origin,
 * or — with `BASIX_PBX_URL` set — against a real PBX through the same proxy as `npm run serve`
 * (pbx-proxy.ts: foreign Origins refused with 403 before the Origin is rewritten, redirects and
 * cookies fixed up, no X-Forwarded-*; env `BASIX_PBX_PATHS`, `BASIX_ALLOWED_ORIGINS`,
 * `BASIX_TRUST_PROXY`, `BASIX_PBX_XFWD`, `BASIX_PBX_INSECURE` as documented in scripts/serve.ts).
 *
 * `vite preview` serves the production build: with `BASIX_PBX_URL` through that proxy; the
 * simulator only when asked with `PBX_SIM=1` (demo, benchmarks); with neither it refuses to
 * start, saying so, rather than quietly showing simulated calls as if they were the PBX's.
 *
 * Simulator mode: the simulator's HTTP handler is a middleware for `/basix/*`, `/static/icons/*`
 * and `/__sim/*`; its WebSocket is an `upgrade` listener on Vite's own HTTP server that only
 * takes `/basix/api/ws_cti` (Vite's HMR socket is left alone), so the session cookie and the
 * same-origin WebSocket work as on a real PBX.
 *
 * Environment (all optional): `PBX_SIM_SEED`, `PBX_SIM_SPEED`, `PBX_SIM_RATE`, `PBX_SIM_USERS`,
 * `PBX_SIM_LEGACY=1`, `PBX_SIM_SCENARIO=FILE`, `PBX_SIM_QUIET=1` (no random traffic),
 * `PBX_SIM_CONTROL=1` (`/__sim/*` endpoints), `PBX_SIM_LOAD=1` (load mode), `PBX_SIM_STRICT=1`
 * (strict profile: the documented PBX surface only), `PBX_SIM_LEGACY_FORCE=1` (honour `force=true`
 * too), `PBX_SIM_LIMIT=N` (connections per user and app_name, default 2).
 */
import { readFileSync } from 'node:fs';
import type { Plugin, ViteDevServer, PreviewServer } from 'vite';
import { DEMO_ACCOUNTS } from './auth.ts';
import { parseScenario } from './scenario.ts';
import { PbxSim, type PbxSimOptions } from './server.ts';
import { createPbxProxy, pbxProxyOptionsFromEnv, type PbxProxy } from './pbx-proxy.ts';

import { PBX_PATHS } from './paths.ts';

export { PBX_PATHS };

const flag = (v: string | undefined): boolean => v === '1' || v === 'true';
const num = (v: string | undefined): number | undefined => {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`expected a number, got "${v}"`);
  return n;
};

/**
 * Simulator options from `PBX_SIM_*` environment variables.
 * @throws Error on a non-numeric number variable or an unreadable/invalid scenario file.
 */
export function simOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PbxSimOptions {
  return {
    seed: num(env.PBX_SIM_SEED) ?? 1,
    speed: num(env.PBX_SIM_SPEED),
    rate: num(env.PBX_SIM_RATE),
    users: num(env.PBX_SIM_USERS),
    legacy: flag(env.PBX_SIM_LEGACY),
    quiet: flag(env.PBX_SIM_QUIET),
    control: flag(env.PBX_SIM_CONTROL),
    load: flag(env.PBX_SIM_LOAD),
    strict: flag(env.PBX_SIM_STRICT),
    legacyForce: flag(env.PBX_SIM_LEGACY_FORCE),
    connectionLimit: num(env.PBX_SIM_LIMIT),
    scenario: env.PBX_SIM_SCENARIO ? parseScenario(readFileSync(env.PBX_SIM_SCENARIO, 'utf8')) : undefined,
  };
}

/**
 * Mount the PBX proxy (pbx-proxy.ts, options from `env`) on a dev or preview server: a middleware
 * ahead of Vite's own for the PBX paths, and an `upgrade` listener that takes only PBX paths
 * (Vite's HMR socket is left alone).
 * @throws TypeError on an invalid `BASIX_PBX_URL`, `BASIX_PBX_PATHS` or `BASIX_ALLOWED_ORIGINS`.
 */
function mountProxy(server: ViteDevServer | PreviewServer, preview: boolean, env: NodeJS.ProcessEnv): PbxProxy {
  const tls = !!(preview ? server.config.preview.https : server.config.server.https);
  const logger = server.config.logger;
  const proxy = createPbxProxy({ ...pbxProxyOptionsFromEnv(env, tls), log: (l) => logger.warn(`[basix proxy] ${l}`, { timestamp: true }) });
  server.middlewares.use((req, res, next) => (proxy.handles(req.url) ? proxy.web(req, res) : next()));
  server.httpServer?.on('upgrade', (req, socket, head) => {
    if (proxy.handles(req.url)) proxy.upgrade(req, socket, head);
  });
  server.httpServer?.on('close', () => proxy.close());
  server.httpServer?.once('listening', () =>
    logger.info(`\n  ${proxy.paths.join(', ')} (HTTP and WebSocket) proxied to ${proxy.pbxOrigin}; log in with your PBX account.\n`),
  );
  return proxy;
}

/** Why `vite preview` will not start without saying which PBX (see the file comment). */
export const PREVIEW_NEEDS_PBX =
  'vite preview serves the built console, and no PBX is set: BASIX_PBX_URL=https://pbx.example.jp to proxy /basix to a real PBX, ' +
  'or PBX_SIM=1 to run the simulated PBX in it (demo calls, benchmarks).';

function mount(server: ViteDevServer | PreviewServer, preview: boolean, env: NodeJS.ProcessEnv): PbxSim {
  const opts = simOptionsFromEnv(env);
  const log = (l: string): void => server.config.logger.info(`[pbx-sim] ${l}`, { timestamp: true });
  const sim = new PbxSim({ ...opts, log: opts.load ? undefined : log });
  server.middlewares.use((req, res, next) => {
    if (!sim.handleRequest(req, res)) next();
  });
  server.httpServer?.on('upgrade', (req, socket, head) => {
    sim.handleUpgrade(req, socket, head); // returns false (untouched) for anything but /basix/api/ws_cti
  });
  server.httpServer?.on('close', () => sim.close());
  server.httpServer?.once('listening', () => {
    const addr = server.httpServer?.address();
    const port = typeof addr === 'object' && addr ? addr.port : '?';
    const ip = typeof addr === 'object' && addr ? addr.address : '';
    const host = ip === '' || ip === '::' || ip === '0.0.0.0' || ip === '::1' ? 'localhost' : ip.includes(':') ? `[${ip}]` : ip;
    const mode =
      (opts.load ? 'load mode' : opts.quiet ? 'quiet (scenario/control only)' : `seed ${opts.seed}, ${opts.rate ?? 4} calls/min`) +
      (opts.strict ? ', strict profile: documented PBX surface only' : '');
    server.config.logger.info(
      `\n  Simulated Basix PBX on this server (${mode}${preview ? ', preview' : ''}).\n` +
        `  Open http://${host}:${port}/ and use "Log in to the PBX" (or open /basix/login first):\n` +
        DEMO_ACCOUNTS.map((a) => `    ${a.username} / ${a.password}  — ${a.role}`).join('\n') +
        (opts.control ? '\n  Test control: /__sim/scenario /__sim/reset /__sim/restart /__sim/logout /__sim/state' : '') +
        '\n  Use a real PBX instead: BASIX_PBX_URL=https://pbx.example.jp npm start\n',
    );
  });
  return sim;
}

/** The plugin, plus the simulator it mounted (for tests; undefined in proxy mode or before start). */
export type BasixPbxPlugin = Plugin & { readonly sim?: PbxSim };

/**
 * The plugin. With `BASIX_PBX_URL` it mounts the PBX proxy on the dev server and `vite preview`;
 * otherwise it mounts the simulator on the dev server, and on `vite preview` only with `PBX_SIM=1`.
 * @param env where to read `BASIX_PBX_URL`, `PBX_SIM`, `PBX_SIM_*` and the proxy's variables (default `process.env`).
 * @throws Error from `vite preview` with neither `BASIX_PBX_URL` nor `PBX_SIM=1` ({@link PREVIEW_NEEDS_PBX}).
 */
export function basixPbx(env: NodeJS.ProcessEnv = process.env): BasixPbxPlugin {
  let sim: PbxSim | undefined;
  const target = env.BASIX_PBX_URL?.trim();
  return {
    name: 'basix-pbx',
    get sim() {
      return sim;
    },
    configureServer(server) {
      if (target) mountProxy(server, false, env);
      else sim = mount(server, false, env);
    },
    configurePreviewServer(server) {
      if (target) mountProxy(server, true, env);
      else if (flag(env.PBX_SIM)) sim = mount(server, true, env);
      else throw new Error(PREVIEW_NEEDS_PBX);
    },
  };
}

export default basixPbx;
