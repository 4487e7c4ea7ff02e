// The WebSocket the client drives: the WHATWG `WebSocket` subset that browsers and the `ws` package
// both implement, so the client runs on either and a test can hand it a fake.

/** What the client needs of a WebSocket (browser `WebSocket` and `ws`'s both fit). */
export interface CtiSocket {
  /** set to `'arraybuffer'` by the client before any message */
  binaryType: string;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  /** `ws` passes an event whose `message`/`error.message` carries e.g. `Unexpected server response: 401` */
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** How a socket is opened: the URL (no userinfo) and the HTTP headers to send (`Authorization` for token or ticket auth). */
export type SocketFactory = (url: string, init: { headers: Record<string, string> }) => CtiSocket;

type WebSocketCtor = new (url: string) => CtiSocket;

/**
 * The global `WebSocket` (browsers, Web Workers, Node 22+), or undefined. It cannot send headers:
 * it serves session (cookie) auth only.
 */
export function globalSocketFactory(): SocketFactory | undefined {
  const WS = (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
  if (typeof WS !== 'function') return undefined;
  return (url) => new WS(url);
}

/** The HTTP status of a refused handshake when the socket tells it (`ws`: "Unexpected server response: 401"); browsers never do. */
export function refusedStatus(ev: unknown): number | undefined {
  const e = ev as { message?: unknown; error?: { message?: unknown } } | null;
  const text = typeof e?.message === 'string' ? e.message : typeof e?.error?.message === 'string' ? e.error.message : '';
  const m = /Unexpected server response: (\d{3})/.exec(text);
  return m ? Number(m[1]) : undefined;
}
