// Desktop notifications of new ringing calls while the console's tab is in the background
// (Notifications API, https://notifications.spec.whatwg.org/; Page Visibility). Opt-in: the
// permission is asked only from the user's click in Settings (browsers block or ignore a request
// that is not inside a user gesture). No DOM or React here beyond the injected environment.

/** What the console needs of the browser's `Notification` (a fake in tests). */
export interface NotificationLike {
  onclick: ((this: NotificationLike, ev: Event) => unknown) | null;
  close(): void;
}
export interface NotificationCtorLike {
  new (title: string, options?: { body?: string; tag?: string; lang?: string }): NotificationLike;
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
}

export interface NotificationEnv {
  /** the browser's `Notification`, or undefined where there is none (or no secure context) */
  Notification: NotificationCtorLike | undefined;
  /** true while the console's tab is not visible (`document.visibilityState === 'hidden'`) */
  isHidden(): boolean;
  /** brings the console's window to the front */
  focusWindow(): void;
}

/** The page's environment (no Notification outside a browser). */
export function browserNotificationEnv(): NotificationEnv {
  const w = typeof window === 'undefined' ? undefined : window;
  return {
    Notification: w && 'Notification' in w ? (w.Notification as unknown as NotificationCtorLike) : undefined,
    isHidden: () => typeof document !== 'undefined' && document.visibilityState === 'hidden',
    focusWindow: () => w?.focus(),
  };
}

/** `unsupported`, or the browser's permission for this origin (`default` = not asked yet). */
export type NotificationState = 'unsupported' | NotificationPermission;

/** Whether notifications can be shown here, and the permission so far. */
export function notificationState(env: NotificationEnv = browserNotificationEnv()): NotificationState {
  if (!env.Notification) return 'unsupported';
  try {
    return env.Notification.permission;
  } catch {
    return 'unsupported';
  }
}

/**
 * Asks the browser for permission to notify. Call it only from a click / key handler (a user
 * gesture); a browser that already has an answer returns it without asking again.
 * @returns the permission after asking (`unsupported` where there is no Notification)
 */
export async function requestNotificationPermission(env: NotificationEnv = browserNotificationEnv()): Promise<NotificationState> {
  const N = env.Notification;
  if (!N) return 'unsupported';
  if (N.permission !== 'default') return N.permission;
  try {
    return await N.requestPermission();
  } catch {
    return 'denied';
  }
}

/** The text of one call's notification (plain text: the browser shows it as is). */
export interface CallNote {
  title: string;
  body: string;
  /** language of the text (BCP 47), e.g. `ja` */
  lang?: string;
}

/** uuids remembered as already notified / already ringing (oldest forgotten first). */
const MAX_SEEN = 5_000;

/**
 * Decides which ringing calls get a desktop notification: one per call, only for a call that
 * starts ringing while the console is live on the same snapshot and the tab is hidden, and only
 * when enabled and permitted. The calls in a new snapshot (page load, every reconnect) were
 * already ringing: they are taken as seen, never notified. A notification closes when its call
 * stops ringing; clicking it focuses the console.
 */
export class RingNotifier {
  private readonly seen = new Set<string>();
  private readonly open = new Map<string, NotificationLike>();
  private snapshot: number | null = null;

  constructor(private readonly env: NotificationEnv = browserNotificationEnv()) {}

  /**
   * Call with every new list of ringing calls.
   * @param uuids the calls ringing now
   * @param snapshot id of the live snapshot the list comes from (the store's
   *   `connection.snapshotConnectionId` while live), or null while not live (nothing is decided then)
   * @param enabled the user's setting
   * @param describe the notification text of a call (asked only for calls that are notified)
   * @returns the uuids notified now
   */
  update(uuids: readonly string[], snapshot: number | null, enabled: boolean, describe: (uuid: string) => CallNote): string[] {
    const ringing = new Set(uuids);
    for (const [uuid, n] of this.open) {
      if (!ringing.has(uuid)) {
        this.open.delete(uuid);
        safeClose(n);
      }
    }
    if (snapshot === null) return [];
    if (snapshot !== this.snapshot) {
      // A fresh snapshot: everything in it was ringing before we could tell.
      this.snapshot = snapshot;
      for (const u of uuids) this.remember(u);
      return [];
    }
    const fresh = uuids.filter((u) => !this.seen.has(u));
    for (const u of fresh) this.remember(u);
    const N = this.env.Notification;
    if (fresh.length === 0 || !enabled || !N || N.permission !== 'granted' || !this.env.isHidden()) return [];
    const shown: string[] = [];
    for (const uuid of fresh) {
      const note = describe(uuid);
      try {
        const n = new N(note.title, { body: note.body, tag: `basix-call-${uuid}`, lang: note.lang });
        n.onclick = () => {
          this.env.focusWindow();
          safeClose(n);
        };
        this.open.set(uuid, n);
        shown.push(uuid);
      } catch {
        // e.g. Chrome on Android throws for `new Notification` (service worker only): stay quiet.
      }
    }
    return shown;
  }

  /** Closes every open notification (e.g. when the console goes away). */
  closeAll(): void {
    for (const n of this.open.values()) safeClose(n);
    this.open.clear();
  }

  private remember(uuid: string): void {
    this.seen.delete(uuid);
    this.seen.add(uuid);
    if (this.seen.size > MAX_SEEN) this.seen.delete(this.seen.values().next().value as string);
  }
}

function safeClose(n: NotificationLike): void {
  try {
    n.close();
  } catch {
    /* already closed */
  }
}
