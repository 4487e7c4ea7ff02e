// The ws_cti connection URL (../shared/PROTOCOL.md "Connection" and "Corrections of 2026-12-05"):
// wss://HOST/basix/api/ws_cti?app_name=NAME[&full_events=true][&forced=true&force=true][&user_name=…]

import { CtiClientError } from './errors.ts';

/** The six ways the PBX names one user (`call_user`, and a token connection watching one user). */
export const USER_SELECTOR_KEYS = ['user_id', 'user_name', 'user_label', 'user_extension', 'user_did', 'user_email'] as const;

/** One of {@link USER_SELECTOR_KEYS}. */
export type UserSelectorKey = (typeof USER_SELECTOR_KEYS)[number];

/** Exactly one user selector, e.g. `{ user_name: 'suzuki' }` or `{ user_id: 10001001 }`. */
export type UserSelector = { [K in UserSelectorKey]: { [P in K]: string | number } & { [P in Exclude<UserSelectorKey, K>]?: undefined } }[UserSelectorKey];

/**
 * The one selector of `sel` as `[key, value]`.
 * @throws CtiClientError `BAD_OPTION` when `sel` has none or more than one, or a value that is not a non-empty string or a number
 */
export function selectorEntry(sel: UserSelector, where: string): [UserSelectorKey, string] {
  if (typeof sel !== 'object' || sel === null) throw new CtiClientError('BAD_OPTION', `${where}: a user selector is an object such as { user_name: 'suzuki' }`);
  const found = USER_SELECTOR_KEYS.filter((k) => (sel as Record<string, unknown>)[k] !== undefined);
  if (found.length !== 1) {
    throw new CtiClientError('BAD_OPTION', `${where}: give exactly one of ${USER_SELECTOR_KEYS.join(', ')}; got ${found.length === 0 ? 'none' : found.join(', ')}`);
  }
  const k = found[0];
  const v: unknown = (sel as Record<string, unknown>)[k];
  if (!((typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v)))) {
    throw new CtiClientError('BAD_OPTION', `${where}: ${k} must be a non-empty string or a number`);
  }
  return [k, String(v)];
}

/** What to add to the URL given by the caller. */
export interface CtiUrlOptions {
  /** ask for every call: `full_events=true` (a token, or an admin's session); default false: the URL's own query decides */
  fullEvents?: boolean;
  /** take over: `forced=true` (the API reference's name) and `force=true` (the library README's); default false */
  forced?: boolean;
  /** a token connection watching one user (ignored by the PBX with `full_events=true`); default none */
  user?: UserSelector;
}

/** A connection URL split for the socket: no userinfo in `url`; the userinfo's credentials apart. */
export interface CtiUrl {
  /** `ws:`/`wss:` URL without userinfo, query as given plus the options' flags */
  url: string;
  /** `DOMAIN:TOKEN` from the URL's userinfo (the vendor's Node example), percent-decoded; undefined without */
  userinfo: { user: string; password: string } | undefined;
}

/**
 * Parse and complete a ws_cti URL.
 * @param raw e.g. `wss://test1:TOKEN@pbx.example.jp/basix/api/ws_cti?app_name=tail`
 * The PBX requires `app_name` (its limit of 2 connections counts per user and app_name); a URL
 * without one is passed on as it is, for the PBX to refuse (see {@link hasAppName}).
 * @throws CtiClientError `BAD_OPTION` for a URL that does not parse or is not ws:/wss:
 */
export function ctiUrl(raw: string, opts: CtiUrlOptions = {}): CtiUrl {
  let u: URL;
  try {
    u = new URL(raw);
  } catch (cause) {
    throw new CtiClientError('BAD_OPTION', `url is not a URL: ${JSON.stringify(String(raw))}`, { cause });
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new CtiClientError('BAD_OPTION', `url must start with wss:// (or ws://), got ${u.protocol}`);
  const userinfo = u.username || u.password ? { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : undefined;
  u.username = '';
  u.password = '';
  if (opts.fullEvents) u.searchParams.set('full_events', 'true');
  if (opts.forced) {
    u.searchParams.set('forced', 'true');
    u.searchParams.set('force', 'true');
  }
  if (opts.user !== undefined) {
    const [k, v] = selectorEntry(opts.user, 'user');
    for (const key of USER_SELECTOR_KEYS) u.searchParams.delete(key);
    u.searchParams.set(k, v);
  }
  return { url: u.toString(), userinfo };
}

/** The PBX's HTTP origin for a ws_cti URL: `wss://h/…` → `https://h`, `ws://h:8089/…` → `http://h:8089`. */
export function httpOrigin(wsUrl: string): string {
  const u = new URL(wsUrl);
  return `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}`;
}

/** `Basic base64(user:password)` (UTF-8), without Node's Buffer so that it runs in a browser too. */
export function basicAuth(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return `Basic ${btoa(bin)}`;
}

/** Whether the URL names its application (`app_name`, required by the PBX). */
export function hasAppName(raw: string): boolean {
  try {
    return !!new URL(raw).searchParams.get('app_name');
  } catch {
    return false;
  }
}
