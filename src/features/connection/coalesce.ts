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

import { CHANNEL_LIKE_KINDS } from '../../stores/console-state.ts';
import type { CtiMessage } from '../../stores/cti-types.ts';

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
