// Refusing an HTTP upgrade the way an HTTP server does, shared by the simulator and the production server.
import type { Duplex } from 'node:stream';
import http from 'node:http';

/**
 * Answer a WebSocket upgrade request with a plain HTTP error (`status`, `text` as its body) and
 * close the socket, as an HTTP server does for an upgrade it will not take: a client then sees the
 * status (e.g. ws's "Unexpected server response: 404") instead of a bare "socket hang up".
 */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.on('error', () => {});
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  socket.destroy();
}
