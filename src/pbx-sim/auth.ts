/**
 * Accounts and sessions of the simulated PBX web app, like the real one: a login form at
 * `/basix/login` sets an HttpOnly, SameSite=Strict session cookie; `/basix/logout` ends it.
 * Node clients use API-token basic credentials `DOMAIN:TOKEN` instead (PROTOCOL.md "Auth").
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { PbxModel } from './model.ts';

/** Session cookie name. */
export const SESSION_COOKIE = 'basix_session';

/** A logged-in session. */
export interface Session {
  id: string;
  username: string;
  userId: number;
  /** PBX admin role (role 100): may use `full_events=true`. */
  isAdmin: boolean;
  createdMs: number;
}

/**
 * Demo accounts: `admin`/`admin` and `operator`/`operator` (PBX admin role) and every `userN`
 * with password `userN` (plain users, e.g. `user1`/`user1`).
 */
export const DEMO_ACCOUNTS = [
  { username: 'admin', password: 'admin', role: 'PBX admin' },
  { username: 'operator', password: 'operator', role: 'receptionist, PBX admin role (full_events allowed)' },
  { username: 'user1', password: 'user1', role: 'plain user (own channels only); user2… likewise' },
] as const;

const safeEq = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** In-memory session store. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  /**
   * Check a username/password against the model's users (password = username for demo users).
   * @returns the new session, or undefined for wrong credentials.
   */
  login(model: PbxModel, username: string, password: string, nowMs: number): Session | undefined {
    const u = [...model.users.values()].find((x) => x.name === username);
    if (!u || !safeEq(password, u.name)) return undefined;
    const s: Session = { id: randomBytes(24).toString('base64url'), username: u.name, userId: u.id, isAdmin: u.role === 100, createdMs: nowMs };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The session of a `Cookie` header, if valid. */
  fromCookie(cookieHeader: string | undefined): Session | undefined {
    const sid = parseCookies(cookieHeader)[SESSION_COOKIE];
    return sid ? this.sessions.get(sid) : undefined;
  }

  /** End one session. */
  destroy(id: string): Session | undefined {
    const s = this.sessions.get(id);
    this.sessions.delete(id);
    return s;
  }

  /** End all sessions of a user; returns the ended sessions' ids. */
  destroyUser(username: string): string[] {
    const ids = [...this.sessions.values()].filter((s) => s.username === username).map((s) => s.id);
    for (const id of ids) this.sessions.delete(id);
    return ids;
  }

  /** Forget everything. */
  clear(): void {
    this.sessions.clear();
  }
}

/** Parse a `Cookie` header into name → value (first occurrence wins). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (k && !(k in out)) {
      try {
        out[k] = decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        out[k] = part.slice(i + 1).trim();
      }
    }
  }
  return out;
}

/**
 * API-token credentials from an `Authorization: Basic base64(DOMAIN:TOKEN)` header.
 * @returns the domain if `DOMAIN:TOKEN` matches, `null` if credentials are present but wrong, undefined if absent.
 */
export function checkToken(authHeader: string | undefined, domain: string, token: string): string | null | undefined {
  if (!authHeader) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authHeader.trim());
  if (!m) return null;
  const [d, ...rest] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
  return d === domain && safeEq(rest.join(':'), token) ? d : null;
}

/**
 * A same-origin redirect target from a `next` parameter: must be a path starting with a single
 * `/` (no `//host`, no `/\`, no scheme, no control characters); anything else → `/`.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(next)) return '/';
  if (/[\ud800-\udfff]/.test(next.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) return '/'; // lone surrogate: not encodable
  return next;
}

/**
 * A path from {@link safeNext} as a `Location` header value: every character outside printable
 * ASCII (and space) percent-encoded as UTF-8, existing `%XX` escapes kept. Node refuses header
 * values with characters past Latin-1, and a browser reads Latin-1 bytes of a header as Latin-1,
 * so `/受付` must go out as `/%E5%8F%97%E4%BB%98` (issue 12: it gave a 400 after the cookie was set).
 */
export function locationHeader(path: string): string {
  return path.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}
