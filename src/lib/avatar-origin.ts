/**
 * Where avatars may be loaded from (issue 12). An avatar is an `<img>` request: whatever host
 * serves it learns the operator's address and, from its timing, when calls ring. Avatar URLs come
 * from the PBX and its CRM integration (absolute `http(s)` URLs are kept as they are, PROTOCOL.md
 * "user and group"), so a CRM record could point at any host. With the `pbx` policy only the
 * PBX's origin is asked; any other URL shows the fallback silhouette without a request.
 *
 * Ours (not the PBX's): the policy, its default and what counts as "the PBX's origin".
 */
import { create } from 'zustand';

/** `any`: avatars from any http(s) host; `pbx`: only from the PBX's origin (see {@link pbxOrigins}). */
export type AvatarSource = 'any' | 'pbx';

/** What {@link avatarAllowed} checks against. `origins` are `URL.origin` strings (`https://pbx.example.jp`). */
export type AvatarPolicy = { readonly mode: 'any' } | { readonly mode: 'pbx'; readonly origins: readonly string[] };

/** The policy before the settings say anything: only relative URLs (the page's own origin). */
export const PBX_ONLY_NO_ORIGINS: AvatarPolicy = Object.freeze({ mode: 'pbx', origins: Object.freeze([]) as readonly string[] });

function originOf(url: string, base?: string): string | null {
  try {
    const u = new URL(url, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * The origins that count as the PBX's: the console's own origin (the console is served behind the
 * PBX or behind our proxy to it — its CTI socket always opens on its own origin, so that origin
 * is the PBX as far as the browser can tell), and the origin of the `base_url` setting when it is
 * an absolute http(s) URL (the operator named the PBX there, e.g. when only `/basix` is proxied
 * and avatars are fetched from the PBX directly).
 *
 * @param baseUrl the avatar base URL setting (`https://pbx.example.jp/` or `/path/`)
 * @param pageOrigin `location.origin`; `null`, `''` or `'null'` (file:, sandboxed, Node) → none
 * @returns distinct origins, the page's first; may be empty
 */
export function pbxOrigins(baseUrl: string, pageOrigin: string | null | undefined): string[] {
  const page = pageOrigin && pageOrigin !== 'null' ? originOf(pageOrigin) : null;
  const base = originOf(baseUrl, page ?? undefined);
  const out: string[] = [];
  for (const o of [page, base]) if (o && !out.includes(o)) out.push(o);
  return out;
}

/**
 * The policy for a setting.
 * @param source the Settings value
 * @param baseUrl the avatar base URL setting
 * @param pageOrigin `location.origin` (see {@link pbxOrigins})
 */
export function avatarPolicy(source: AvatarSource, baseUrl: string, pageOrigin: string | null | undefined): AvatarPolicy {
  return source === 'any' ? { mode: 'any' } : { mode: 'pbx', origins: pbxOrigins(baseUrl, pageOrigin) };
}

/**
 * Whether an avatar URL may be requested under `policy`. Expects a URL that already passed
 * `safeUrl` (src/lib/safe-url.ts), which refuses protocol-relative `//host/x`: a URL without a
 * scheme is then the page's own origin and always allowed.
 *
 * @param url a safe avatar URL (absolute http(s) or relative)
 * @param policy from {@link avatarPolicy}
 * @returns false for an absolute URL on another origin under `pbx`, or one that cannot be parsed
 */
export function avatarAllowed(url: string, policy: AvatarPolicy): boolean {
  if (policy.mode === 'any') return true;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return !url.startsWith('//') && !url.startsWith('\\');
  const o = originOf(url);
  return o !== null && policy.origins.includes(o);
}

interface AvatarPolicyState {
  policy: AvatarPolicy;
}

/**
 * The current avatar policy, for the shared `Avatar` component (src/components cannot read the
 * settings feature). The settings store keeps it up to date ({@link setAvatarPolicy}); until then
 * only same-origin avatars load.
 */
export const useAvatarPolicy = create<AvatarPolicyState>()(() => ({ policy: PBX_ONLY_NO_ORIGINS }));

/** Replace the current avatar policy (called by the settings store on load and on every change). */
export function setAvatarPolicy(policy: AvatarPolicy): void {
  const cur = useAvatarPolicy.getState().policy;
  if (cur.mode === policy.mode && (cur.mode === 'any' || (policy.mode === 'pbx' && cur.origins.join(' ') === policy.origins.join(' ')))) return;
  useAvatarPolicy.setState({ policy });
}
