import { useState } from 'react';
import { safeUrl } from '../lib/safe-url.ts';
import { avatarAllowed, useAvatarPolicy } from '../lib/avatar-origin.ts';

/** A neutral person silhouette, inline (CSP allows `data:` images), used when an avatar fails. */
export const FALLBACK_AVATAR =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="#cbd5e1"/><circle cx="16" cy="12" r="6" fill="#64748b"/><path d="M4 30c1-7 6-10 12-10s11 3 12 10z" fill="#64748b"/></svg>',
  );

interface AvatarProps {
  /** Resolved avatar URL (see `resolveAvatarUrl`); unsafe or empty → fallback image. */
  src: string | null | undefined;
  /** Size in rem. Default 2. */
  size?: number;
  /** Alt text; default `''` because the name is always shown next to it. */
  alt?: string;
}

/**
 * An avatar image. Only `http(s):` or relative URLs are used (src/lib/safe-url.ts), and with
 * Settings → Avatars "only from the PBX" (the default) only URLs on the PBX's origin
 * (src/lib/avatar-origin.ts): any other URL, and an image that fails to load, shows the same
 * built-in silhouette — a blocked URL is never requested.
 */
export function Avatar({ src, size = 2, alt = '' }: AvatarProps) {
  const policy = useAvatarPolicy((s) => s.policy);
  const checked = safeUrl(src);
  const safe = checked !== null && avatarAllowed(checked, policy) ? checked : null;
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const use = safe && failedSrc !== safe ? safe : FALLBACK_AVATAR;
  return (
    <img
      src={use}
      alt={alt}
      width={32}
      height={32}
      loading="lazy"
      decoding="async"
      referrerPolicy="no-referrer"
      onError={() => setFailedSrc(safe)}
      style={{ width: `${size}rem`, height: `${size}rem` }}
      className="shrink-0 rounded-full bg-slate-200 object-cover dark:bg-slate-700"
    />
  );
}
