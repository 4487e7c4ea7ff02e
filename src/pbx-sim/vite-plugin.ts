/**
 * Vite plugin: `npm start` runs the console against the simulated Basix PBX on the same origin,
 * or — with `BASIX_PBX_URL` set — against a real PBX through Vite's proxy.
 *
 * Simulator mode: the simulator's HTTP handler is a middleware for `/basix/*`, `/static/icons/*`
 * and `/__sim/*`; its WebSocket is an `upgrade` listener on Vite's own HTTP server that only
 * takes `/basix/api/ws_cti` (Vite's HMR socket is left alone), so the session cookie and the
 * same-origin WebSocket work as on a real PBX.
 *
 * Environment (all optional): `PBX_SIM_SEED`, `PBX_SIM_SPEED`, `PBX_SIM_RATE`, `PBX_SIM_USERS`,
 * `PBX_SIM_LEGACY=1`, `PBX_SIM_SCENARIO=FILE`, `PBX_SIM_QUIET=1` (no random traffic),
 * `PBX_SIM_CONTROL=1` (`/__sim/*` endpoints), `PBX_SIM_LOAD=1` (load mode).
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Plugin, ProxyOptions, ViteDevServer, PreviewServer } from 'vite';
import { DEMO_ACCOUNTS } from './auth.ts';
import { parseScenario } from './scenario.ts';
import { PbxSim, type PbxSimOptions } from './server.ts';

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
    scenario: env.PBX_SIM_SCENARIO ? parseScenario(readFileSync(env.PBX_SIM_SCENARIO, 'utf8')) : undefined,
  };
}

/**
 * Proxy options that forward the PBX paths (HTTP and WebSocket) to a real PBX at `target`.
 * `changeOrigin` sets Host; the `Origin` header of WebSocket upgrades and POSTs is rewritten to
 * the PBX's own origin so its same-origin check passes; cookies lose their `Domain` so the
 * browser keeps them for the dev server's origin; redirects to the PBX host are rewritten.
 * @throws TypeError when `target` is not an absolute http(s) URL.
 */
export function pbxProxyOptions(target: string): Record<string, ProxyOptions> {
  const u = new URL(target);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`BASIX_PBX_URL must be http(s)://…, got ${target}`);
  const origin = u.origin;
  const opts: ProxyOptions = {
    target: origin,
    changeOrigin: true,
    ws: true,
    secure: true,
    autoRewrite: true,
    cookieDomainRewrite: '',
    configure: (proxy) => {
      proxy.on('proxyReqWs', (proxyReq) => proxyReq.setHeader('Origin', origin));
      proxy.on('proxyReq', (proxyReq, req: IncomingMessage) => {
        if (req.headers.origin) proxyReq.setHeader('Origin', origin);
      });
    },
  };
  return Object.fromEntries(PBX_PATHS.map((p) => [p, { ...opts }]));
}

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
    const mode = opts.load ? 'load mode' : opts.quiet ? 'quiet (scenario/control only)' : `seed ${opts.seed}, ${opts.rate ?? 4} calls/min`;
    server.config.logger.info(
      `\n  Simulated Basix PBX on this server (${mode}${preview ? ', preview' : ''}).\n` +
        `  Open http://${host}:${port}/ and log in (the console sends you to /basix/login):\n` +
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
 * The plugin. With `BASIX_PBX_URL` it only adds the proxy; otherwise it mounts the simulator on
 * the dev server (and on `vite preview`).
 * @param env where to read `BASIX_PBX_URL` and `PBX_SIM_*` (default `process.env`).
 */
export function basixPbx(env: NodeJS.ProcessEnv = process.env): BasixPbxPlugin {
  let sim: PbxSim | undefined;
  const target = env.BASIX_PBX_URL?.trim();
  return {
    name: 'basix-pbx',
    get sim() {
      return sim;
    },
    config() {
      if (!target) return;
      const proxy = pbxProxyOptions(target);
      return { server: { proxy }, preview: { proxy } };
    },
    configureServer(server) {
      if (target) {
        server.httpServer?.once('listening', () =>
          server.config.logger.info(`\n  /basix/* (HTTP and WebSocket) is proxied to ${target}; log in with your PBX account.\n`),
        );
        return;
      }
      sim = mount(server, false, env);
    },
    configurePreviewServer(server) {
      if (!target) sim = mount(server, true, env);
    },
  };
}

export default basixPbx;
