/**
 * URL path prefixes that belong to the PBX: proxied to `BASIX_PBX_URL` (`npm run serve`, and
 * `npm start`/`vite preview` with it), or served by the simulator. `/basix` is the web app, the
 * login page and the CTI socket; `/static` holds `/static/icons` (PROTOCOL.md, avatars) and the
 * CSS/JS the PBX's own login page loads. `BASIX_PBX_PATHS` adds more (proxy-rules.ts).
 */
export const PBX_PATHS = ['/basix', '/static'] as const;
