/**
 * A scriptable stand-in for a PBX's web side, for the proxy tests (prod-server.test.ts,
 * vite-plugin.test.ts, pbx-proxy.test.ts): records every request it gets (method, path,
 * headers) and answers a few fixed paths. http, or https with a self-signed certificate.
 *
 * - `GET /basix/echo` → 200 JSON `{method, url, headers}`.
 * - `GET /basix/redirect?status=N&to=URL` → status N with `Location: URL`.
 * - `GET /basix/cookie?set=VALUE` (repeatable) → 200 with one `Set-Cookie: VALUE` per `set`.
 * - `POST /basix/login` → 303 to `/basix/app/` with `Set-Cookie: sid=s1; Path=/; HttpOnly`.
 * - `GET /static/login.css`, `/css/login.css` → 200 CSS.
 * - WebSocket upgrade `/basix/api/ws_cti` → accepted when Origin is absent or the PBX's own (as
 *   a real PBX's cross-site check), else 403; an accepted socket is sent the text `hello`.
 */
import http from 'node:http';
import https from 'node:https';
import { generate } from 'selfsigned';
import { WebSocketServer } from 'ws';

/** One request the fake PBX received. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  upgrade: boolean;
}

/** A running fake PBX. */
export interface FakePbx {
  /** `http(s)://127.0.0.1:PORT`. */
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 and localhost (PEM strings). */
export async function selfSignedPair(): Promise<{ cert: string; key: string }> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Start the fake PBX on 127.0.0.1 (random port); `tls` for https/wss with a self-signed cert. */
export async function startFakePbx(o: { tls?: boolean } = {}): Promise<FakePbx> {
  const seen: SeenRequest[] = [];
  let url = '';
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, upgrade: false });
    const u = new URL(req.url ?? '/', 'http://x');
    req.resume();
    if (u.pathname === '/basix/echo') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
    } else if (u.pathname === '/basix/redirect') {
      res.writeHead(Number(u.searchParams.get('status') ?? 302), { Location: u.searchParams.get('to') ?? '/' });
      res.end();
    } else if (u.pathname === '/basix/cookie') {
      res.writeHead(200, { 'Set-Cookie': u.searchParams.getAll('set'), 'Content-Type': 'text/plain' });
      res.end('cookie set');
    } else if (u.pathname === '/basix/login' && req.method === 'POST') {
      res.writeHead(303, { Location: `${url}/basix/app/`, 'Set-Cookie': 'sid=s1; Path=/; HttpOnly' });
      res.end();
    } else if (u.pathname === '/static/login.css' || u.pathname === '/css/login.css') {
      res.writeHead(200, { 'Content-Type': 'text/css' });
      res.end('body{color:#123}');
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('PBX: not found');
    }
  };
  const server = o.tls ? https.createServer(await selfSignedPair(), handler) : http.createServer(handler);
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, upgrade: true });
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== url) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => ws.send('hello'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `${o.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    seen,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
