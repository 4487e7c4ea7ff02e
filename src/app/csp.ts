/**
 * Content-Security-Policy for the console page, added as a `<meta http-equiv>` by a Vite plugin
 * (`transformIndexHtml`) so that dev and build can differ in one place:
 *
 * - build: strict — `script-src 'self'` (no inline script at all).
 * - dev (`vite` / `npm start`): `@vitejs/plugin-react` injects an inline `<script type="module">`
 *   (the React Refresh preamble), which a strict `script-src` would block; dev adds
 *   `'unsafe-inline'` to `script-src` only. Everything else is the same as the build.
 *
 * Node-only (imported by vite.config.ts); no DOM.
 */
import type { Plugin } from 'vite';

/**
 * The directives (issue 4 "Safety"); `dev` relaxes script-src for the Refresh preamble and lets
 * Vite's HMR socket connect anywhere (`ws: wss:`). In build, `connect-src 'self'` (CSP Level 3:
 * `'self'` also matches `ws:`/`wss:` to the same host, which the CTI socket uses) and
 * `worker-src 'self'` (the CTI worker is its own file in `assets/`). `img-src` allows http: as
 * well as https: images: a PBX may send absolute avatar URLs on its own plain-http origin
 * (PROTOCOL.md "user and group": an `http://` avatar is kept), and no other site sees more than
 * https: already lets it.
 */
export function consoleCsp(dev: boolean): string {
  return [
    "default-src 'self'",
    "img-src 'self' http: https: data: blob:",
    dev ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    dev ? "worker-src 'self' blob:" : "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * The `Content-Security-Policy` HTTP header `npm run serve` sends with the built console (issue
 * 12): the build policy plus what a meta tag cannot carry, `frame-ancestors 'none'` (no framing,
 * clickjacking), and the console's own WebSocket origin spelled out in `connect-src` for browsers
 * whose `'self'` does not cover `ws:`/`wss:`.
 * @param ownOrigin the console's origin as the browser reached it (`https://host:port`), if known.
 */
export function consoleCspHeader(ownOrigin?: string): string {
  const ws = ownOrigin && /^https?:\/\/[A-Za-z0-9.\-:[\]]+$/.test(ownOrigin) ? ` ${ownOrigin.replace(/^http/, 'ws')}` : '';
  return consoleCsp(false).replace("connect-src 'self'", `connect-src 'self'${ws}`) + "; frame-ancestors 'none'";
}

/** Vite plugin adding the CSP meta tag first in `<head>` (strict in build, see file comment). */
export function cspPlugin(): Plugin {
  let dev = false;
  return {
    name: 'basix-console-csp',
    configResolved(config) {
      dev = config.command === 'serve';
    },
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: consoleCsp(dev) }, injectTo: 'head-prepend' },
      ],
    },
  };
}
