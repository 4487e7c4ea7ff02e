/**
 * A second CTI connection from Node (the `ws` package), acting as "the console opened somewhere
 * else": it logs in with the browser context's session cookie and the app's Origin.
 */
import type { BrowserContext } from '@playwright/test';
import WebSocket from 'ws';
import { decodeEtfPlain } from '../../src/cti/etf/decode';

export interface CtiSocket {
  ws: WebSocket;
  /** The server accepted it (its first frame was a `field_spec`, not a `system_msg`). */
  accepted: boolean;
  /** `system_msg` texts received so far (e.g. `connection_replaced`). */
  systemMsgs: string[];
  /** Resolves with the close code and reason when the server closes it. */
  closed: Promise<{ code: number; reason: string }>;
}

/**
 * Open `ws(s)://host/basix/api/ws_cti?app_name=…[&forced=true]` with the session cookie of
 * `context`. Resolves once the server has sent its first frame (the socket is accepted) or closed
 * it, whichever comes first.
 * @param opts.appName default `operator-console`, the console's own: the PBX's limit of 2 counts
 *   per user and app_name (PROTOCOL.md Corrections)
 * @param opts.force take over with `forced=true` only (the API reference's name: a server that
 *   knows only `forced` must be enough for the console's Take over)
 */
export async function openCtiSocket(context: BrowserContext, baseURL: string, opts: { force?: boolean; appName?: string } = {}): Promise<CtiSocket> {
  const cookies = await context.cookies(baseURL);
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const url = new URL('/basix/api/ws_cti', baseURL);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('app_name', opts.appName ?? 'operator-console');
  if (opts.force) url.searchParams.set('forced', 'true');
  const ws = new WebSocket(url, { headers: { Cookie: cookie, Origin: new URL(baseURL).origin }, perMessageDeflate: false });
  const systemMsgs: string[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  ws.on('message', (data: Buffer) => {
    const term = decodeEtfPlain(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (Array.isArray(term) && term[0] === 'system_msg') systemMsgs.push(String(term[1]));
  });
  const accepted = await new Promise<boolean>((resolve, reject) => {
    ws.once('message', (data: Buffer) => {
      const term = decodeEtfPlain(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      resolve(Array.isArray(term) && term[0] !== 'system_msg');
    });
    ws.once('close', () => resolve(false));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`CTI handshake refused: HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return { ws, accepted, systemMsgs, closed };
}

/**
 * Open plain CTI sockets for the same user until the server refuses one with
 * `connection_limit_reached` (so the limit is full, whatever it is); returns the accepted ones.
 * @throws Error if the limit is not reached within `max` sockets.
 */
export async function fillConnectionLimit(context: BrowserContext, baseURL: string, max = 10): Promise<CtiSocket[]> {
  const open: CtiSocket[] = [];
  for (let i = 0; i < max; i++) {
    const s = await openCtiSocket(context, baseURL);
    if (s.accepted) {
      open.push(s);
      continue;
    }
    if (s.systemMsgs.includes('connection_limit_reached')) return open;
    throw new Error(`a plain CTI socket was refused: ${s.systemMsgs.join(', ') || `closed ${(await s.closed).code}`}`);
  }
  throw new Error(`no connection limit reached after ${max} sockets`);
}
