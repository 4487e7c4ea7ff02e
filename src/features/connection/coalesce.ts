// The worker's pending batch, coalesced (docs/console-data.md "Backpressure"). While the UI
// thread has not acknowledged the previous batch, messages keep arriving; only the latest state
// of each record matters to the store, so an `info_event` replaces the pending one for the same
// element + key in place. Under overload a batch thus grows with the number of records that
// changed, not with the number of events, and updates get coarser instead of later.
//
// Rules (each keeps what applyBatch in src/stores/apply-batch.ts would end up with):
// - `info_event` for element E, key K replaces the pending `info_event` for (E, K): the last one
//   wins, so added→removed = removed and removed→added = added (`updated` = set);
// - a channel-like record whose `last_event` is `CHANNEL_HANGUP` is never merged away and never
//   replaced: it is what detects a missed call (against the record known before it) and it
//   deletes the uuid from all four channel-like maps, so events for that uuid after it start new
//   entries (after it);
// - `initial_info` of E drops the pending `info_event`s of E (except hang-ups) and an earlier
//   pending `initial_info` of E: the snapshot replaces the whole map anyway;
// - everything else (`field_spec`, `system_msg`, `msg`, unknown kinds, records without a key) is
//   kept as is, in order.
//
// What replacing in place loses is a state that came and went within one held batch. The store
// only needs such states for one thing, confirming commands (a call parked and picked up again
// before the UI thread saw the park), so the worker checks every record for the effect of the
// commands it sent before coalescing ({@link ActionWatcher}). Missed calls need nothing more:
// hang-ups are never merged, and the record before a hang-up is the last one, as without
// coalescing.

import { CHANNEL_LIKE_KINDS } from '../../stores/console-state.ts';
import type { Channel, CtiMessage } from '../../stores/cti-types.ts';
import { recordShowsEffect, type ActionExpectation } from '../../stores/pending-actions.ts';

const CHANNEL_LIKE: ReadonlySet<string> = new Set(CHANNEL_LIKE_KINDS);

function recordKey(element: string, data: unknown): string | null {
  if (data === null || typeof data !== 'object') return null;
  const r = data as Record<string, unknown>;
  const k = CHANNEL_LIKE.has(element) ? r.uuid : r.id;
  if (k === undefined || k === null || k === '') return null;
  return String(k);
}

const isHangup = (m: CtiMessage): boolean =>
  m.type === 'info_event' && CHANNEL_LIKE.has(m.element) && (m.data as { last_event?: unknown } | null)?.last_event === 'CHANNEL_HANGUP';

/** The messages received since the last post, with superseded ones dropped. */
export class PendingMessages {
  private items: Array<CtiMessage | null> = [];
  /** `element \0 key` → index in `items` of the pending mergeable info_event */
  private index = new Map<string, number>();
  /** messages dropped as superseded since creation (diagnostics, tests) */
  coalesced = 0;

  /** Number of slots used (including dropped ones until {@link take}). */
  get size(): number {
    return this.items.length;
  }

  push(m: CtiMessage): void {
    if (m.type === 'info_event') {
      const key = recordKey(m.element, m.data);
      if (key === null) {
        this.items.push(m);
        return;
      }
      if (isHangup(m)) {
        // Later events for this uuid, of any channel-like kind, must come after the hang-up.
        for (const k of CHANNEL_LIKE_KINDS) this.index.delete(`${k}\0${key}`);
        this.items.push(m);
        return;
      }
      const ik = `${m.element}\0${key}`;
      const at = this.index.get(ik);
      if (at !== undefined) {
        this.items[at] = m;
        this.coalesced++;
        return;
      }
      this.index.set(ik, this.items.length);
      this.items.push(m);
      return;
    }
    if (m.type === 'initial_info') {
      for (let i = 0; i < this.items.length; i++) {
        const old = this.items[i];
        if (old === null || !('element' in old) || old.element !== m.element) continue;
        if (old.type === 'initial_info' || (old.type === 'info_event' && !isHangup(old))) {
          this.items[i] = null;
          this.coalesced++;
        }
      }
      const prefix = `${m.element}\0`;
      for (const k of [...this.index.keys()]) if (k.startsWith(prefix)) this.index.delete(k);
    }
    this.items.push(m);
  }

  /** The pending messages in order, and empties the queue. */
  take(): CtiMessage[] {
    const out: CtiMessage[] = [];
    for (const m of this.items) if (m !== null) out.push(m);
    this.items = [];
    this.index.clear();
    return out;
  }
}

/**
 * What coalescing must not lose: the effect of a command. A pending action is judged from the
 * events that follow it (src/stores/pending-actions.ts), but a state that comes and goes while
 * the UI thread holds a batch (a call parked and picked up, a transfer that rings and is
 * answered by someone else) is replaced in place by {@link PendingMessages} and never reaches the
 * store. So the worker watches, from the moment it sends a command, every record it receives —
 * before coalescing — for the expected effect ({@link recordShowsEffect}), and names the
 * actions whose effect it saw in the next batch (`BatchMessage.witnessed`).
 */
export class ActionWatcher {
  private watches = new Map<string, { expect: ActionExpectation; untilMs: number }>();

  /** Watch for action `id`'s effect until browser ms `untilMs`. */
  add(id: string, expect: ActionExpectation, untilMs: number): void {
    this.watches.set(id, { expect, untilMs });
  }

  /** Stop watching `id` (the command could not be sent). */
  remove(id: string): void {
    this.watches.delete(id);
  }

  /** Actions watched now. */
  get size(): number {
    return this.watches.size;
  }

  /**
   * The ids of the watched actions whose effect this message shows; they are no longer watched.
   * Watches past their time are dropped.
   */
  observe(m: CtiMessage, nowMs: number): string[] {
    if (this.watches.size === 0 || m.type !== 'info_event' || !CHANNEL_LIKE.has(m.element)) return [];
    const out: string[] = [];
    for (const [id, w] of this.watches) {
      if (nowMs > w.untilMs) this.watches.delete(id);
      else if (recordShowsEffect(w.expect, m.element, m.data as Channel, String(m.event))) {
        this.watches.delete(id);
        out.push(id);
      }
    }
    return out;
  }

  /** Forget every watch (the socket closed: its actions fail as not connected). */
  clear(): void {
    this.watches.clear();
  }
}
