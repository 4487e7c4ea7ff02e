// The client on Node with the `ws` package (an optional peer dependency of basix-cti: install it
// next to basix-cti to use this entry). Token and ticket auth need it: Node's global WebSocket,
// like a browser's, cannot send an Authorization header.

import WebSocket from 'ws';
import { createCtiClient, type CtiClient, type CtiClientOptions } from './client.ts';
import type { CtiSocket, SocketFactory } from './socket.ts';

/** Options of {@link wsSocketFactory}. */
export interface WsSocketOptions {
  /** accept a self-signed TLS certificate; default false */
  insecure?: boolean;
}

/**
 * Open sockets with `ws`: the headers (Authorization) sent, permessage-deflate off (as in the
 * vendor's Node example), a 401/403 reported by `ws` as "Unexpected server response: 401".
 */
export function wsSocketFactory(opts: WsSocketOptions = {}): SocketFactory {
  return (url, init) =>
    new WebSocket(url, { headers: init.headers, perMessageDeflate: false, rejectUnauthorized: !opts.insecure }) as unknown as CtiSocket;
}

/**
 * {@link createCtiClient} with `ws` sockets unless `createSocket` is given: token auth from the URL's
 * userinfo or `auth`, ticket auth, session cookie via `headers`.
 * @throws as createCtiClient
 */
export function createNodeCtiClient(opts: CtiClientOptions & WsSocketOptions): CtiClient {
  return createCtiClient({ ...opts, createSocket: opts.createSocket ?? wsSocketFactory(opts) });
}
