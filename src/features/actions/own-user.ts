/**
 * Who the operator is on the PBX: the session's user id when the PBX tells it (our optional
 * session endpoint, docs/ARCHITECTURE.md), else the "My PBX user id" setting (kept per browser).
 * Take call and click-to-call ring this user's phone; without it they are disabled with a reason.
 */
import { useConsoleStore } from '../../stores/console-store.ts';
import type { User } from '../../stores/cti-types.ts';
import { useSettings } from '../settings/settings-store.ts';

/** A usable PBX user id (a positive safe integer), else null. */
export function asUserId(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : null;
}

/** The operator's PBX user id (session first, then the setting), or null when unknown. */
export function useOwnUserId(): number | null {
  const fromSession = useConsoleStore((s) => asUserId(s.session?.userId));
  // Read defensively: an older stored settings object may lack the field.
  const fromSetting = useSettings((s) => asUserId((s as { myUserId?: unknown }).myUserId));
  return fromSession ?? fromSetting;
}

/** The operator's own user record, when the id is known and the PBX sent that user. */
export function useOwnUser(): { id: number | null; user: User | undefined } {
  const id = useOwnUserId();
  const user = useConsoleStore((s) => (id === null ? undefined : s.user.get(String(id))));
  return { id, user };
}
