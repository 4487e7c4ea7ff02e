// Helpers the console needs on top of parsed elements: the MWI counters of users/groups and
// the hangup disposition of a channel (../shared/PROTOCOL.md "user and group", `mwi`;
// "Field translations", `last_event_data`).

/** Voicemail counters of a box: counts of messages, never negative. */
export interface MwiCounts {
  new: number;
  saved: number;
  urgentNew: number;
  urgentSaved: number;
  /**
   * false when the value was present and non-empty but not a well-formed counter value — a
   * string not of the shape `N/M` or `N/M (U/V)` (`:` also accepted as the separator, spaces
   * anywhere), a negative or non-integer part, a count beyond 2^53, or a value that is not a
   * string at all (number, object…: all zeros): the counts are then only what could be read (bad
   * parts 0). `''`/absent is valid (no box / nothing).
   */
  valid: boolean;
}

const MWI_KEYS = ['new', 'saved', 'urgentNew', 'urgentSaved'] as const;
/**
 * Parts of a mwi string — runs of characters that could belong to a number (signs, dots, letters
 * too) — and the separators that give them their positions: `/` or `:` between two numbers, `(`
 * before the urgent pair.
 */
const MWI_TOKENS = /[0-9A-Za-z+\-.]+|[/:(]/g;
const UNSIGNED = /^\d+$/;
/** The well-formed string: `NEW/SAVED` or `NEW/SAVED (URGENT_NEW/URGENT_SAVED)`, spaces anywhere, `:` as well as `/`. */
const MWI_SHAPE = /^\s*\d+\s*[/:]\s*\d+\s*(?:\(\s*\d+\s*[/:]\s*\d+\s*\)\s*)?$/;

/**
 * Parse a `mwi` value (PROTOCOL.md "user and group": a string `NEW/SAVED`, optionally followed by
 * ` (URGENT_NEW/URGENT_SAVED)`), e.g. `'2/5 (1/0)'` → `{new: 2, saved: 5, urgentNew: 1, urgentSaved: 0, valid: true}`.
 * Tolerant in what it reads, strict in what it calls valid: up to four parts of a string are read in
 * that order whatever separates them, but only `N/M` and `N/M (U/V)` (spaces anywhere, `:` for `/`)
 * are `valid` — `'1/2/3'`, `'2/5 (1/0'`, `'5'` are read (1, 2, 3 / 2, 5, 1, 0 / 5) and flagged.
 * Parts keep their positions: a `/` (or `:`) with no number before it, at the start or after `(`,
 * is a missing number (0) — `'/5'` → saved 5, `'2/5 (/1)'` → urgentSaved 1 — all flagged invalid.
 * A part that is not an unsigned integer (`-1`, `1.5`, `x`) or is beyond 2^53 counts 0 — never
 * negative, never a rounded huge number — and makes `valid` false, as do more than four parts and a
 * string with no number. `''`, `undefined`, `null` → all zeros, valid (no box / nothing). Any other
 * value — a number, a bigint, an object, an array, a boolean — is not a mwi string: all zeros,
 * `valid: false`. Never throws.
 */
export function parseMwi(value: unknown): MwiCounts {
  const out: MwiCounts = { new: 0, saved: 0, urgentNew: 0, urgentSaved: 0, valid: true };
  if (value === undefined || value === null) return out;
  if (typeof value !== 'string') {
    out.valid = false;
    return out;
  }
  if (value.trim() === '') return out;
  if (!MWI_SHAPE.test(value)) out.valid = false;
  // Positional: a `/` or `:` with no number before it (since the start or a `(`) stands for a
  // missing number, which counts 0, so '/5' is saved 5, not new 5.
  const parts: string[] = [];
  let afterSep = true;
  for (const t of value.match(MWI_TOKENS) ?? []) {
    if (t === '(') afterSep = true;
    else if (t === '/' || t === ':') {
      if (afterSep) parts.push('');
      afterSep = true;
    } else {
      parts.push(t);
      afterSep = false;
    }
  }
  for (let i = 0; i < Math.min(parts.length, MWI_KEYS.length); i++) {
    const n = UNSIGNED.test(parts[i]) ? Number(parts[i]) : NaN;
    if (Number.isSafeInteger(n)) out[MWI_KEYS[i]] = n;
    else out.valid = false;
  }
  return out;
}

/** The SIP-level side of a hangup: who sent/received BYE, CANCEL or a refusal. */
export type HangupSide = 'recv_bye' | 'send_bye' | 'recv_cancel' | 'send_cancel' | 'recv_refuse' | 'send_refuse';

/** A parsed `last_event_data` of a `CHANNEL_HANGUP`. */
export interface HangupDisposition {
  /** one of {@link HangupSide}, or what the server sent */
  side: HangupSide | string;
  /** FreeSWITCH hangup cause, e.g. `NORMAL_CLEARING`, `ORIGINATOR_CANCEL`, `NO_ANSWER`; `''` if none */
  cause: string;
  /** `remote` when the channel's peer ended it (`recv_*`), `local` when the PBX did (`send_*`) */
  initiator: 'remote' | 'local' | undefined;
  /** true for `*_bye` (the call was up), false for `*_cancel`/`*_refuse` (never answered), undefined otherwise */
  answered: boolean | undefined;
  /** `recv_cancel,ORIGINATOR_CANCEL`: the caller hung up while it was ringing (an abandoned call) */
  callerCancelled: boolean;
}

/**
 * Parse `last_event_data` of a channel whose `last_event` is `CHANNEL_HANGUP`: `SIDE,CAUSE`
 * (PROTOCOL.md "Field translations", `last_event_data`), e.g. `'recv_cancel,ORIGINATOR_CANCEL'` →
 * `{side: 'recv_cancel', cause: 'ORIGINATOR_CANCEL', initiator: 'remote', answered: false, callerCancelled: true}`.
 * Whitespace around the parts is ignored; text without a comma is a side with cause `''`.
 * @returns `null` for `undefined`, `''` or a non-string. Never throws.
 */
export function parseHangupDisposition(lastEventData: unknown): HangupDisposition | null {
  if (typeof lastEventData !== 'string') return null;
  const s = lastEventData.trim();
  if (s === '') return null;
  const comma = s.indexOf(',');
  const side = (comma < 0 ? s : s.slice(0, comma)).trim();
  const cause = comma < 0 ? '' : s.slice(comma + 1).trim();
  const initiator = side.startsWith('recv_') ? 'remote' : side.startsWith('send_') ? 'local' : undefined;
  const kind = initiator === undefined ? '' : side.slice(5);
  const answered = kind === 'bye' ? true : kind === 'cancel' || kind === 'refuse' ? false : undefined;
  return {
    side,
    cause,
    initiator,
    answered,
    callerCancelled: side === 'recv_cancel' && cause === 'ORIGINATOR_CANCEL',
  };
}
