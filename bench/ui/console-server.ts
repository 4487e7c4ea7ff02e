/**
 * The console served for a browser benchmark (`npm run bench:ui`, `npm run soak`): a fresh
 * production build under `vite preview` (or the dev server), the simulator inside
 * (src/pbx-sim/vite-plugin.ts, asked for with PBX_SIM=1), stopped with its process group when
 * the bench exits or is interrupted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';

/** Options of {@link startConsoleServer}. */
export interface ConsoleServerOptions {
  port: number;
  /** the dev server instead of a production build */
  dev: boolean;
  /** the build's folder */
  out: string;
  /** serve the build already in `out` */
  noBuild: boolean;
  /** build without minifying (readable names in a trace) */
  noMinify: boolean;
  /** simulator settings (`PBX_SIM_*`), besides PBX_SIM=1 */
  env: Record<string, string>;
  /** what the start line says of the simulator */
  describe: string;
  log: (msg: string) => void;
}

/** Resolves true when something accepts TCP connections on 127.0.0.1:`port`. */
export function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/**
 * Waits until `url` answers below 500.
 * @throws Error when the server exits first or does not answer within `timeoutMs`
 */
export async function waitForHttp(url: string, timeoutMs: number, server: ChildProcess): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`server exited with code ${server.exitCode}`);
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not answering at ${url} after ${timeoutMs} ms`);
}

/**
 * Builds (unless `noBuild`/`dev`) and starts the server in its own process group, stopped by the
 * returned `stop` and on the bench's exit, SIGINT and SIGTERM.
 * @throws Error when the port is taken or the build fails
 */
export async function startConsoleServer(o: ConsoleServerOptions): Promise<{ server: ChildProcess; stop: () => void }> {
  if (await portTaken(o.port)) throw new Error(`port ${o.port} is in use: stop what listens there or pass --port N`);
  const listen = ['--port', String(o.port), '--strictPort', '--host', '127.0.0.1'];
  let cmd: string[];
  if (o.dev) cmd = ['vite', ...listen];
  else {
    if (o.noBuild) o.log(`serving the build already in ${o.out} (--no-build)`);
    else {
      o.log(`building the console into ${o.out}`);
      const minify = o.noMinify ? ['--minify', 'false'] : [];
      const b = spawnSync('npx', ['vite', 'build', '--outDir', o.out, '--emptyOutDir', '--logLevel', 'warn', ...minify], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (b.status !== 0) throw new Error(`vite build failed (exit ${b.status})`);
    }
    cmd = ['vite', 'preview', '--outDir', o.out, ...listen];
  }
  o.log(`starting ${o.dev ? 'the dev server' : 'vite preview of the production build'} on http://127.0.0.1:${o.port} (${o.describe})`);
  const child = spawn('npx', cmd, {
    // PBX_SIM=1: `vite preview` runs the simulator only when asked (it never shows simulated calls by surprise)
    env: { ...process.env, ...o.env, PBX_SIM: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // own process group, so stopping it also stops what npx started
  });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[vite] ${d}`));
  const stop = (): void => {
    if (child.pid === undefined || child.exitCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.on('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      stop();
      process.exit(130);
    });
  }
  return { server: child, stop };
}
