/**
 * URLs that came from the PBX or the CRM (avatars) are untrusted: only `http:`, `https:` and
 * relative URLs may reach an `<img src>`. `javascript:`, `data:`, `vbscript:`, `file:` and
 * anything unparsable are refused.
 */

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/**
 * Return `url` if it is safe to use as an image source, else `null`.
 *
 * Safe: absolute `http:`/`https:` URLs, protocol-relative `//host/x` is refused (it would
 * follow the page's scheme to any host, which CSP allows but we don't need), path-relative
 * (`avatars/1.png`, `./x`, `../x`) and root-relative (`/basix/…`) URLs.
 * Control characters and whitespace inside the scheme are stripped first, as browsers do,
 * so `java\tscript:` is recognised as `javascript:` and refused.
 *
 * @param url the candidate (anything; non-strings → `null`).
 */
export function safeUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  // Browsers ignore leading/trailing C0 controls and spaces, and tabs/newlines anywhere.
  // eslint-disable-next-line no-control-regex
  const cleaned = url.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  if (cleaned === '') return null;
  if (cleaned.startsWith('//') || cleaned.startsWith('\\\\') || cleaned.startsWith('/\\')) return null;
  const m = SCHEME.exec(cleaned);
  if (m) {
    const scheme = m[1].toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') return null;
    try {
      const parsed = new URL(cleaned);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? cleaned : null;
    } catch {
      return null;
    }
  }
  // No scheme: relative. A ':' before the first '/' would make it a scheme in some parsers.
  const firstSlash = cleaned.indexOf('/');
  const colon = cleaned.indexOf(':');
  if (colon !== -1 && (firstSlash === -1 || colon < firstSlash)) return null;
  return cleaned;
}

/**
 * Resolve an avatar value against `baseUrl` the way PROTOCOL.md ("user and group") says, then
 * pass it through {@link safeUrl}.
 *
 * @param avatar the raw `avatar` value (user or end_user item); may already be resolved.
 * @param baseUrl the configured base URL, ending with `/` (e.g. `https://pbx.example.jp/`).
 * @param kind `users` or `end_users` (which avatar folder and fallback icon).
 * @returns a safe URL or `null` (show the fallback image).
 */
export function resolveAvatarUrl(
  avatar: string | null | undefined,
  baseUrl: string,
  kind: 'users' | 'end_users',
): string | null {
  const base = baseUrl === '' || baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  if (avatar === null || avatar === undefined || avatar === '') {
    return safeUrl(`${base}static/icons/${kind === 'users' ? 'user' : 'end_user'}.png`);
  }
  if (/^https?:/i.test(avatar) || avatar.startsWith('/')) return safeUrl(avatar);
  return safeUrl(`${base}basix/avatars/${kind}/${avatar}`);
}
