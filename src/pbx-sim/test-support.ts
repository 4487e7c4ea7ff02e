/**
 * Helpers for the simulator's tests (and anyone scripting it from Node): a CTI client that
 * records every raw frame and every parsed message (decoded with our own `src/cti` parser).
 */
import WebSocket from 'ws';
import { createMessageParser } from '../cti/parser/message-parser.ts';
import type { CtiElement } from '../cti/parser/types.ts';
import { WS_PATH } from './server.ts';

/** A parsed message as the console sees it. */
export type Received =
  | { type: 'field_spec'; element: string; fields: string[] }
  | { type: 'initial_info'; element: string; data: Record<string, CtiElement> }
  | { type: 'info_event'; element: string; data: CtiElement; event: string }
  | { type: 'system_msg'; msg: string }
  | { type: 'msg'; msg: string };

/** A connected test client. */
export interface CtiClient {
  ws: WebSocket;
  /** Every binary frame, in order. */
  frames: Uint8Array[];
  /** Every parsed message, in order. */
  messages: Received[];
  /** Parse errors (should stay empty). */
  errors: Error[];
  /** Resolves with the first message (already received or future) matching `pred`; rejects after `timeoutMs`. */
  waitFor(pred: (m: Received) => boolean, timeoutMs?: number): Promise<Received>;
  /** Resolves when the socket has closed, with its close code. */
  closed: Promise<number>;
  /** Send a JSON command (text frame). */
  command(cmd: unknown): void;
  close(): void;
}

/** Options of {@link connectCti}. */
export interface ConnectOptions {
  cookie?: string;
  origin?: string;
  /** `DOMAIN:TOKEN` basic credentials. */
  token?: string;
  /** Extra query parameters (`full_events`, `force`, `app_name` defaults to `test`). */
  query?: Record<string, string>;
}

/** A refused upgrade: `status` is the HTTP status. */
export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused: ${status}`);
  }
}

/**
 * Connect to `baseUrl` (`http://host:port`) and resolve once the socket is open.
 * @throws UpgradeRefused when the server answers the upgrade with an HTTP status.
 */
export function connectCti(baseUrl: string, o: ConnectOptions = {}): Promise<CtiClient> {
  const q = new URLSearchParams({ app_name: 'test', ...o.query });
  const headers: Record<string, string> = {};
  if (o.cookie) headers.Cookie = o.cookie;
  if (o.token) headers.Authorization = `Basic ${Buffer.from(o.token).toString('base64')}`;
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${WS_PATH}?${q}`, { headers, origin: o.origin, perMessageDeflate: false });
  const frames: Uint8Array[] = [];
  const messages: Received[] = [];
  const errors: Error[] = [];
  const waiters: Array<{ pred: (m: Received) => boolean; resolve: (m: Received) => void }> = [];
  const push = (m: Received): void => {
    messages.push(m);
    for (const w of [...waiters])
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
  };
  const parser = createMessageParser({
    on_field_spec: (element, fields) => push({ type: 'field_spec', element, fields }),
    on_initial_info: (element, data) => push({ type: 'initial_info', element, data }),
    on_info_event: (element, data, event) => push({ type: 'info_event', element, data, event }),
    on_system_msg: (msg) => push({ type: 'system_msg', msg }),
    on_msg: (msg) => push({ type: 'msg', msg }),
    on_error: (e) => errors.push(e),
  });
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      errors.push(new Error('text frame from server'));
      return;
    }
    const bytes = new Uint8Array(data);
    frames.push(bytes);
    parser.handle_message(bytes);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      reject(new UpgradeRefused(res.statusCode ?? 0));
      ws.terminate();
    });
    ws.on('error', (e) => reject(e));
    ws.on('open', () =>
      resolve({
        ws,
        frames,
        messages,
        errors,
        closed,
        waitFor(pred, timeoutMs = 5000) {
          const found = messages.find(pred);
          if (found) return Promise.resolve(found);
          return new Promise((res, rej) => {
            const w = { pred, resolve: (m: Received) => (clearTimeout(t), res(m)) };
            const t = setTimeout(() => {
              waiters.splice(waiters.indexOf(w), 1);
              rej(new Error('timed out waiting for a message'));
            }, timeoutMs);
            waiters.push(w);
          });
        },
        command: (cmd) => ws.send(typeof cmd === 'string' ? cmd : JSON.stringify(cmd)),
        close: () => ws.close(),
      }),
    );
  });
}

/**
 * Log in through the form and return the `Cookie` header value to send.
 * @throws Error when the login is refused.
 */
export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/basix/login`, {
    method: 'POST',
    body: new URLSearchParams({ username, password }),
    redirect: 'manual',
  });
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  const set = res.headers.get('set-cookie') ?? '';
  return set.split(';')[0];
}

/**
 * Try a WebSocket upgrade to `path` on `baseUrl` (`http://host:port`): resolves with the HTTP
 * status and body the server answered with, `'open'` if it accepted, or the socket error's message.
 */
export function upgradeStatus(baseUrl: string, path: string): Promise<{ status: number; body: string } | string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`, { perMessageDeflate: false });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('error', (e) => resolve(e.message));
    ws.on('open', () => {
      ws.terminate();
      resolve('open');
    });
  });
}
