/**
 * How a call is described on screen: caller number/name, CRM data and what it called.
 * Field meanings: ../shared/PROTOCOL.md "Field translations" and the vendor README "channel".
 */
import type { Channel, EndUser, Group, User } from '../stores/cti-types.ts';
import { RINGING_PARK_PREFIX } from '../cti/parser/classify.ts';
import { formatPhone } from '../lib/phone.ts';
import { cleanText } from './text.tsx';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? cleanText(v) || undefined : typeof v === 'number' ? String(v) : undefined);

/** The caller's raw number: `calling_number`, legacy `peer_number`, or `other_info.address`. */
export function rawCallerNumber(ch: Channel): string {
  return str(ch.calling_number) ?? str(ch.peer_number) ?? str(ch.other_info?.address) ?? '';
}

/** The caller's number, formatted (03-1234-5678), or `''`. */
export function callerNumber(ch: Channel): string {
  return formatPhone(rawCallerNumber(ch));
}

/**
 * The caller's display name when it says more than the number (PBXes often repeat the number
 * as the name), else `''`.
 */
export function callerName(ch: Channel): string {
  const name = cleanText(ch.calling_name).trim();
  if (!name) return '';
  const digits = (s: string) => s.replace(/[^0-9+]/g, '');
  const num = rawCallerNumber(ch);
  return digits(name) !== '' && digits(name) === digits(num) && !/[^0-9+\-\s()]/.test(name) ? '' : name;
}

/** CRM data of the call (from the channel or its `other_info`), or `null`. */
export function endUserOf(ch: Channel): EndUser | null {
  const eu = ch.end_user ?? ch.other_info?.end_user ?? null;
  return eu && Array.isArray(eu.items) ? eu : null;
}

/** The best single line naming the caller: CRM name, caller name, number, or `fallback`. */
export function callerTitle(ch: Channel, fallback: string): string {
  const eu = endUserOf(ch);
  const crm = eu && eu.count === 1 ? eu.items[0]?.name : undefined;
  return cleanText(crm) || callerName(ch) || callerNumber(ch) || fallback;
}

/** Display label of a user: `label`, else `name`, else `#id`. */
export function userLabel(u: User | undefined, id?: number): string {
  if (!u) return id === undefined ? '' : `#${id}`;
  return cleanText(u.label) || cleanText(u.name) || `#${u.id}`;
}

/** Display label of a group: `label`, else `name`, else `#id`. */
export function groupLabel(g: Group | undefined, id?: number): string {
  if (!g) return id === undefined ? '' : `#${id}`;
  return cleanText(g.label) || cleanText(g.name) || `#${g.id}`;
}

export interface CallTarget {
  kind: 'group' | 'user' | 'other';
  id: number | null;
  /** display text: group/user label, else name/address/number */
  label: string;
}

/**
 * What the call is calling: from `state.data` while `calling` (target_type `group`/`user`/
 * `pstn`…), else from `target` `{type,id,name,address}`, else the called number — except the
 * PBX's `RINGING_PARK…` marker of a parked call ringing back, which is no number to show (see
 * `parkRingBackOf` in src/cti/parser/classify.ts for the slot and the user it rings).
 */
export function callTarget(ch: Channel, users: Map<string, User>, groups: Map<string, Group>): CallTarget | null {
  const d = ch.state?.name === 'calling' ? ch.state.data : undefined;
  if (d?.target_type === 'group' && d.group_id !== undefined) {
    const id = Number(d.group_id);
    return { kind: 'group', id, label: groupLabel(groups.get(String(id)), id) };
  }
  if (d?.target_type === 'user' && d.user_id !== undefined) {
    const id = Number(d.user_id);
    return { kind: 'user', id, label: userLabel(users.get(String(id)), id) };
  }
  const t = ch.target;
  if (t && (t.type === 'group' || t.type === 'user') && t.id !== undefined) {
    const id = Number(t.id);
    const label =
      t.type === 'group'
        ? groups.has(String(id)) ? groupLabel(groups.get(String(id)), id) : cleanText(t.name) || `#${id}`
        : users.has(String(id)) ? userLabel(users.get(String(id)), id) : cleanText(t.name) || `#${id}`;
    return { kind: t.type, id, label };
  }
  if (d?.address) return { kind: 'other', id: null, label: formatPhone(d.address) };
  if (t?.name || t?.address) return { kind: 'other', id: null, label: cleanText(t.name) || formatPhone(t.address) };
  if (ch.called_number && !String(ch.called_number).startsWith(RINGING_PARK_PREFIX)) return { kind: 'other', id: null, label: formatPhone(ch.called_number) };
  return null;
}
