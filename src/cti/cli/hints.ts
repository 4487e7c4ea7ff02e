// cti:tail's explanation of a failed connection, for the integrator reading stderr.
import { WS_CTI_PATH } from '../protocol.ts';

/**
 * What to print for a WebSocket `error` event.
 *
 * A server that closes the TCP connection during the opening handshake, without answering the
 * upgrade request with any HTTP status, surfaces in `ws` as `socket hang up` (code `ECONNRESET`);
 * that is what a server does with an upgrade it will not serve (the simulator at a wrong path,
 * many proxies), so the path is named, and the usual one.
 *
 * @param err the error `ws` emitted
 * @param opened whether the WebSocket had opened (the handshake completed) before the error
 * @param url the URL connected to (its path is quoted in the hint)
 * @returns one line, without the `cti-tail: ` prefix
 */
export function connectionErrorText(err: Error & { code?: string }, opened: boolean, url: URL): string {
  const hungUp = err.code === 'ECONNRESET' || /socket hang up/i.test(err.message);
  if (!opened && hungUp) {
    const path = url.pathname;
    const pathHint =
      path === WS_CTI_PATH
        ? `the path is the usual ${WS_CTI_PATH}: check the host, the port and a proxy in between`
        : `check the path ${path} — a Basix PBX serves the CTI WebSocket at ${WS_CTI_PATH}`;
    return `connection error: the server closed the connection during the WebSocket handshake, without an HTTP answer (${err.message}); ${pathHint}`;
  }
  return `connection error: ${err.message}`;
}
