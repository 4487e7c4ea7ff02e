/**
 * The six ways to name a user in the PBX's API (PROTOCOL.md Corrections): `user_id`, `user_name`,
 * `user_label`, `user_extension`, `user_did`, `user_email`. Used by `call_user` and by a token
 * connection watching one user.
 */
import type { PbxModel } from './model.ts';
import type { SimUser } from './types.ts';

/** Selector names, in the order they are tried when several are given. */
export const USER_SELECTORS = ['user_id', 'user_name', 'user_label', 'user_extension', 'user_did', 'user_email'] as const;

/** Result: `none` (no selector given), `found`, or `not_found` (given, but no such user). */
export type UserSelection = { kind: 'none' } | { kind: 'found'; user: SimUser } | { kind: 'not_found'; selector: string };

/**
 * Find the user named by the first selector present in `get` (a query string's or a JSON body's
 * values; numbers are compared as text).
 */
export function selectUser(model: PbxModel, get: (name: string) => unknown): UserSelection {
  for (const sel of USER_SELECTORS) {
    const raw = get(sel);
    if (raw === undefined || raw === null || raw === '') continue;
    const v = typeof raw === 'number' || typeof raw === 'string' ? String(raw) : undefined;
    const match = (u: SimUser): boolean => {
      switch (sel) {
        case 'user_id':
          return String(u.id) === v;
        case 'user_name':
          return u.name === v;
        case 'user_label':
          return u.label === v;
        case 'user_extension':
          return u.mainExtension === v;
        case 'user_did':
          return model.didOf(u.mainExtension) === v;
        case 'user_email':
          return u.email.toLowerCase() === v?.toLowerCase();
      }
    };
    for (const u of model.users.values()) if (v !== undefined && match(u)) return { kind: 'found', user: u };
    return { kind: 'not_found', selector: sel };
  }
  return { kind: 'none' };
}
