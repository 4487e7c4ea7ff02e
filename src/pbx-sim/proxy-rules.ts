/**
 * The rules of the `/basix` proxy in front of a real PBX, written once for the production server
 * (prod-server.ts) and the Vite dev/preview proxy (vite-plugin.ts with `BASIX_PBX_URL`). Pure
 * functions of headers, no I/O; pbx-proxy.ts wires them into `http-proxy-3`.
 *
 * None of this is PBX behaviour (PROTOCOL.md says nothing about proxies): it is what a same-origin
 * reverse proxy must do so the PBX's own cross-site check, redirects and session cookie keep
 * working when the browser talks to the console's origin instead of the PBX's (issues 9 and 12).
 */
import type { IncomingMessage } from 'node:http';

/** How the browser reached the console: decides the console's own origin and cookie handling. */
export interface ClientContext {
  /** The console is served over TLS by this process (`npm run serve` with a certificate, Vite `server.https`). */
  tls: boolean;
  /**
   * Believe `X-Forwarded-Proto`/`X-Forwarded-Host` from the peer (`BASIX_TRUST_PROXY`): `true`
   * for any peer, or the peer addresses to believe (a TLS-terminating proxy in front). Default false.
   */
  trustProxy?: boolean | readonly string[];
}

/** Thrown-free result of {@link checkOrigin}: `ok`, or the reason to answer 403. */
export type OriginVerdict = { ok: true } | { ok: false; reason: string };

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const first = (v: string | string[] | undefined): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  const f = s?.split(',')[0]?.trim();
  return f ? f : undefined;
};

const peerAddress = (req: IncomingMessage): string => (req.socket?.remoteAddress ?? '').replace(/^::ffff:/, '');

/** Whether the forwarded headers of `req` come from a hop `ctx.trustProxy` trusts. */
export function trustsForwarded(req: IncomingMessage, ctx: ClientContext): boolean {
  const t = ctx.trustProxy;
  if (t === true) return true;
  if (!t) return false;
  return t.includes(peerAddress(req));
}

/**
 * Normalise an origin (`scheme://host[:port]`, default port dropped, lower case), or undefined
 * when `value` is not an absolute http(s)/ws(s) URL (the literal `null` Origin included).
 */
export function normalizeOrigin(value: string | undefined): string | undefined {
  if (!value || value === 'null') return undefined;
  try {
    const u = new URL(value);
    if (!/^(https?|wss?):$/.test(u.protocol) || !u.host) return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

/**
 * The console's own origin as the browser reached it: `https` when served over TLS (or a trusted
 * hop says `X-Forwarded-Proto: https`), the `Host` header (or a trusted `X-Forwarded-Host`).
 * Undefined when the request has no usable Host.
 */
export function consoleOrigin(req: IncomingMessage, ctx: ClientContext): string | undefined {
  const trusted = trustsForwarded(req, ctx);
  const fwdProto = trusted ? first(req.headers['x-forwarded-proto'])?.toLowerCase() : undefined;
  const scheme = fwdProto === 'https' || fwdProto === 'http' ? fwdProto : ctx.tls ? 'https' : 'http';
  const host = (trusted ? first(req.headers['x-forwarded-host']) : undefined) ?? first(req.headers[':authority'] as string | undefined) ?? req.headers.host;
  if (!host || !/^[A-Za-z0-9.\-_~:[\]]+$/.test(host)) return undefined;
  return normalizeOrigin(`${scheme}://${host}`);
}

/**
 * The cross-site check the proxy makes BEFORE forwarding (issue 12: the PBX's own check is
 * defeated once the proxy rewrites Origin to the PBX's). Same origin = {@link consoleOrigin}, or
 * one of `allowed` (`BASIX_ALLOWED_ORIGINS`). A present `Origin` must be one of those (`null`
 * only with `Sec-Fetch-Site: same-origin`: a same-origin page whose referrer policy is
 * `no-referrer`); without `Origin`, a POST/PUT/PATCH/DELETE must not say `Sec-Fetch-Site:
 * cross-site`/`same-site` and, with a `Referer`, must come from one of those; a request with
 * neither (curl, a Node client, a plain GET) passes. Applies to WebSocket upgrades too (browsers
 * always send Origin there).
 * @param allowed extra origins, already normalised ({@link parseOriginList}).
 */
export function checkOrigin(req: IncomingMessage, ctx: ClientContext, allowed: readonly string[] = []): OriginVerdict {
  const own = consoleOrigin(req, ctx);
  const same = (o: string | undefined): boolean => o !== undefined && (o === own || allowed.includes(o));
  const origin = first(req.headers.origin);
  const fetchSite = first(req.headers['sec-fetch-site'])?.toLowerCase();
  if (origin !== undefined) {
    if (same(normalizeOrigin(origin))) return { ok: true };
    // A page with `Referrer-Policy: no-referrer` (a PBX login page may have it) posts its own form
    // with `Origin: null`; the browser's Sec-Fetch-Site (not settable by scripts) still says
    // same-origin. A sandboxed or no-referrer page elsewhere says same-site/cross-site: refused.
    if (origin === 'null' && fetchSite === 'same-origin') return { ok: true };
    return { ok: false, reason: `Origin ${origin} is not this console's origin (${own ?? 'unknown Host'})` };
  }
  const unsafe = UNSAFE_METHODS.has((req.method ?? 'GET').toUpperCase());
  if (unsafe && (fetchSite === 'cross-site' || fetchSite === 'same-site'))
    return { ok: false, reason: `${req.method} from a ${fetchSite} page (Sec-Fetch-Site), not this console's origin (${own ?? 'unknown Host'})` };
  const referer = req.headers.referer;
  if (referer && unsafe) {
    if (same(normalizeOrigin(referer))) return { ok: true };
    return { ok: false, reason: `${req.method} from ${normalizeOrigin(referer) ?? 'an unreadable Referer'}, not this console's origin (${own ?? 'unknown Host'})` };
  }
  return { ok: true };
}

/**
 * Parse a comma/space-separated origin list (`BASIX_ALLOWED_ORIGINS`).
 * @throws TypeError naming the entry that is not an http(s) origin.
 */
export function parseOriginList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((v) => {
      const o = normalizeOrigin(v);
      if (!o || !/^https?:/.test(o)) throw new TypeError(`BASIX_ALLOWED_ORIGINS: "${v}" is not an origin like https://console.example.jp`);
      return o;
    });
}

/**
 * Parse the extra proxied path prefixes (`BASIX_PBX_PATHS`, comma-separated) onto `defaults`.
 * @throws TypeError for an entry that does not start with `/` or is only `/` (that would proxy the console itself).
 */
export function parsePathList(value: string | undefined, defaults: readonly string[]): string[] {
  const out = [...defaults];
  for (const raw of (value ?? '').split(',')) {
    const p = raw.trim().replace(/\/+$/, '');
    if (!raw.trim()) continue;
    if (!p.startsWith('/') || p === '') throw new TypeError(`BASIX_PBX_PATHS: "${raw.trim()}" must be a path prefix like /css (not /)`);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** The path of a request URL (no query), `/` when missing. */
export const pathOf = (url: string | undefined): string => (url ?? '/').split(/[?#]/)[0] || '/';

/** Whether `url`'s path is one of `prefixes` or below one (`/basix` matches `/basix/x`, not `/basixx`). */
export function isUnderPrefix(url: string | undefined, prefixes: readonly string[]): boolean {
  const p = pathOf(url);
  return prefixes.some((x) => p === x || p.startsWith(`${x}/`));
}

/** Whether the path's last segment has a file extension (`/x/app.css`): an asset, never the SPA page. */
export function looksLikeAsset(url: string | undefined): boolean {
  return /\.[A-Za-z0-9]{1,8}$/.test(pathOf(url).split('/').pop() ?? '');
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const effectivePort = (u: URL): string => u.port || (u.protocol === 'https:' ? '443' : '80');

/**
 * The `Location` to send the browser for a PBX answer `status`: a redirect (301/302/303/307/308)
 * to the PBX's own host — absolute with http or https, or protocol-relative `//host/…` — points
 * at the console's origin instead, same path/query/fragment; anything else (relative, another
 * host, not a redirect) is returned unchanged. "The PBX's host" = `pbxOrigin`'s host name on its
 * own port, or without a port (the default of http or https).
 */
export function rewriteLocation(location: string, status: number, pbxOrigin: string, ownOrigin: string): string {
  if (!REDIRECTS.has(status) || !/^([a-z][a-z0-9+.-]*:)?\/\//i.test(location.trim())) return location;
  let u: URL;
  const pbx = new URL(pbxOrigin);
  try {
    u = new URL(location.trim(), pbx);
  } catch {
    return location;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return location;
  if (u.hostname.toLowerCase() !== pbx.hostname.toLowerCase()) return location;
  // an explicit port must be the PBX's; http://host and https://host (default ports) both count
  if (u.port && u.port !== effectivePort(pbx)) return location;
  return `${ownOrigin}${u.pathname}${u.search}${u.hash}`;
}

/** Whether a host name is loopback: Chromium keeps `Secure` cookies on plain http there (measured: localhost, 127.0.0.1). */
export function isLoopbackHost(origin: string | undefined): boolean {
  if (!origin) return false;
  const h = new URL(origin).hostname.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '[::1]';
}

/** How session cookies can reach the browser on this connection. */
export type CookieContext = 'https' | 'loopback-http' | 'lan-http';

/** Result of {@link rewriteSetCookies}: the headers to send, or why they cannot be sent. */
export type CookieVerdict = { ok: true; cookies: string[] } | { ok: false; cookie: string };

/**
 * Rewrite the PBX's `Set-Cookie` headers for the console's origin: `Domain` dropped (the browser
 * keeps the cookie for the console's host); over https `Secure` added to every cookie; on
 * loopback http kept as is (Chromium accepts `Secure` there), with `Secure` added to a
 * `SameSite=None` one (else dropped by the browser); on LAN http `SameSite=None` becomes `Lax`
 * (the console and `/basix` are one origin), and a `Secure` cookie cannot work: the verdict
 * names it so the caller refuses the response instead of "login works, then nothing".
 */
export function rewriteSetCookies(cookies: readonly string[], ctx: CookieContext): CookieVerdict {
  const out: string[] = [];
  for (const c of cookies) {
    const [pair, ...rest] = c.split(';');
    let attrs = rest.map((a) => a.trim()).filter((a) => a && !/^domain\s*=/i.test(a));
    const secure = attrs.some((a) => /^secure$/i.test(a));
    const sameSiteNone = attrs.some((a) => /^samesite\s*=\s*none$/i.test(a));
    if (ctx === 'lan-http') {
      if (secure) return { ok: false, cookie: pair.split('=')[0].trim() };
      if (sameSiteNone) attrs = attrs.map((a) => (/^samesite\s*=/i.test(a) ? 'SameSite=Lax' : a));
    } else if (!secure && (ctx === 'https' || sameSiteNone)) attrs.push('Secure');
    out.push([pair.trim(), ...attrs].join('; '));
  }
  return { ok: true, cookies: out };
}

/** The {@link CookieContext} of a request. */
export function cookieContext(req: IncomingMessage, ctx: ClientContext): CookieContext {
  const own = consoleOrigin(req, ctx);
  if (own ? own.startsWith('https:') : ctx.tls) return 'https';
  return isLoopbackHost(own) ? 'loopback-http' : 'lan-http';
}
