// Does this connection show every call, or only one user's? Decided from what the connection
// actually delivered, never from a guess (issue 9 "All calls by default").
//
// PROTOCOL.md "Connection": without full events a session connection only gets the channels
// whose `user_id` is the session user. So a channel with no `user_id` (an outside caller's leg)
// or two channels of different users prove the view is full; channels that all belong to one user
// (at least ONE_USER_EVIDENCE of them) are evidence that the PBX limits the view to that user.

import type { CtiMessage } from '../../stores/cti-types.ts';
import { UNKNOWN_VIEW, type ViewInfo } from '../../stores/console-state.ts';

export { UNKNOWN_VIEW, type ViewInfo, type ViewKind, type ViewReason } from '../../stores/console-state.ts';

/** Distinct channels of one single user seen before the view counts as limited to that user. */
export const ONE_USER_EVIDENCE = 3;

/** Collects the evidence of one connection (one socket). */
export class ViewEvidence {
  private full = false;
  private soleUser: number | null = null;
  private readonly soleUserChannels = new Set<string>();

  /** Looks at one parsed message; returns true when the view it implies changed. */
  observe(m: CtiMessage): boolean {
    if (this.full || !('element' in m) || m.element !== 'channel') return false;
    if (m.type === 'initial_info') {
      let changed = false;
      for (const uuid in m.data) changed = this.record(uuid, m.data[uuid] as { user_id?: unknown }) || changed;
      return changed;
    }
    if (m.type === 'info_event') return this.record(String((m.data as { uuid?: unknown }).uuid ?? ''), m.data as { user_id?: unknown });
    return false;
  }

  private record(uuid: string, ch: { user_id?: unknown }): boolean {
    const before = this.view(false).kind;
    const uid = typeof ch.user_id === 'number' ? ch.user_id : typeof ch.user_id === 'bigint' ? Number(ch.user_id) : null;
    if (uid === null || (this.soleUser !== null && uid !== this.soleUser)) {
      this.full = true;
      this.soleUserChannels.clear();
    } else {
      this.soleUser = uid;
      if (this.soleUserChannels.size < ONE_USER_EVIDENCE) this.soleUserChannels.add(uuid);
    }
    return this.view(false).kind !== before;
  }

  /**
   * The view this evidence shows.
   * @param requestedFull whether the socket asked for `full_events=true`; only such a socket's
   *   one-user channels say "the PBX limited it" (without the flag it is limited by design)
   */
  view(requestedFull: boolean): ViewInfo {
    if (this.full) return { kind: 'full', reason: 'delivered', userId: null };
    if (this.soleUser !== null && this.soleUserChannels.size >= ONE_USER_EVIDENCE) {
      return { kind: 'limited', reason: requestedFull ? 'one_user' : 'not_requested', userId: this.soleUser };
    }
    return UNKNOWN_VIEW;
  }
}
