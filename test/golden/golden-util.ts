// Shared by the golden-frame tests: the committed Erlang frames, their expected JSON, and a
// tiny ws_cti server on 127.0.0.1 that replays the frames (PROTOCOL.md "Connection").
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

export const GOLDEN_DIR = dirname(fileURLToPath(import.meta.url));
export const FRAMES_DIR = join(GOLDEN_DIR, 'frames');
export const EXPECTED_DIR = join(GOLDEN_DIR, 'expected');

/** The committed frames in stream order: `[name without .bin, bytes]`. */
export function goldenFrames(): Array<[string, Uint8Array]> {
  return readdirSync(FRAMES_DIR)
    .filter((f) => f.endsWith('.bin'))
    .sort()
    .map((f) => [f.slice(0, -4), new Uint8Array(readFileSync(join(FRAMES_DIR, f)))]);
}

export function goldenFrame(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FRAMES_DIR, `${name}.bin`)));
}

/**
 * Expected JSON → JS: `"$bigint:N"` → `BigInt(N)`, `"$undefined"` → an explicit `undefined`
 * (the key stays present, so toStrictEqual tells absent from undefined).
 */
export function revive(v: unknown): unknown {
  if (typeof v === 'string') {
    if (v === '$undefined') return undefined;
    if (v.startsWith('$bigint:')) return BigInt(v.slice(8));
    return v;
  }
  if (Array.isArray(v)) return v.map(revive);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = revive(x);
    return o;
  }
  return v;
}

export interface Expected {
  messages: unknown[];
  errors: Array<{ name: string; code: string; element?: string; index?: number }>;
}

export function expectedFor(name: string): Expected {
  return revive(JSON.parse(readFileSync(join(EXPECTED_DIR, `${name}.json`), 'utf8'))) as Expected;
}

/**
 * A fake PBX: checks Basic DOMAIN:TOKEN (or a cookie), sends `frames` on connect, then closes 1000.
 * With `sessions`, connection i (0-based) gets `sessions[min(i, last)]` instead: its frames, then a
 * close with `close` (code and reason), or no close at all when `close` is undefined.
 * `autoPong: false` makes it ignore WebSocket pings, like a dead network path.
 */
export async function startFakePbx(opts: {
  frames: Uint8Array[];
  domain?: string;
  token?: string;
  cookie?: string;
  sessions?: Array<{ frames: Uint8Array[]; close?: [number, string] }>;
  autoPong?: boolean;
}): Promise<{ port: number; close: () => Promise<void>; requests: Array<{ url: string; authorization?: string; cookie?: string }> }> {
  const requests: Array<{ url: string; authorization?: string; cookie?: string }> = [];
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    autoPong: opts.autoPong ?? true,
    verifyClient: (info, cb) => {
      const auth = info.req.headers.authorization;
      const cookie = info.req.headers.cookie;
      requests.push({ url: info.req.url ?? '', authorization: auth, cookie });
      const wantAuth = opts.domain !== undefined ? `Basic ${Buffer.from(`${opts.domain}:${opts.token}`).toString('base64')}` : undefined;
      const ok = (wantAuth !== undefined && auth === wantAuth) || (opts.cookie !== undefined && cookie === opts.cookie);
      if (ok) cb(true);
      else cb(false, 401, 'Unauthorized');
    },
  });
  let connections = 0;
  wss.on('connection', (ws) => {
    const sessions = opts.sessions;
    const session = sessions === undefined ? { frames: opts.frames, close: [1000, 'bye'] as [number, string] } : sessions[Math.min(connections, sessions.length - 1)];
    connections++;
    for (const f of session.frames) ws.send(f, { binary: true });
    if (session.close !== undefined) ws.close(session.close[0], session.close[1]);
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as { port: number }).port;
  return {
    port,
    requests,
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  };
}
