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

/** The directives (issue 4 "Safety"); `dev` relaxes script-src for the Refresh preamble. */
export function consoleCsp(dev: boolean): string {
  return [
    "default-src 'self'",
    "img-src 'self' https: data: blob:",
    "connect-src 'self' ws: wss:",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
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
