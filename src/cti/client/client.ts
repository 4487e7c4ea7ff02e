// A reconnecting ws_cti client for Node and browsers (../shared/PROTOCOL.md "Connection",
// "Messages", "Commands", "Corrections of 2026-12-05"): connection life with backoff and jitter, a
// fresh parser and snapshot per connection, an element store with a stale flag, stop messages,
// typed events and the four commands. Uses nothing beyond PROTOCOL.md: no ping, no command replies.
//
// The connection life itself (attempts, backoff, forced, stop messages, never-opened vs dropped)
// is life.ts, shared with the console's worker; this file adds the auth, the parser per connection,
// the element store with its stale flag and snapshot settling, the events and the commands.
//
// States: idle → connecting → open → (closed) backoff → connecting … ; any → stopped (final).

import { createMessageParser, type MessageParser } from '../parser/message-parser.ts';
import type { CtiElement, MessageParserOptions } from '../parser/types.ts';
import type { BackoffOptions } from './backoff.ts';
import { CtiApiError, CtiClientError } from './errors.ts';
import { genWsTicket, type FetchLike, type TokenCredentials } from './http.ts';
import { globalSocketFactory, refusedStatus, type CtiSocket, type SocketFactory } from './socket.ts';
import { createConnectionLife, type AttemptPlan, type ConnectionLife } from './life.ts';
import { createElementStore, type ElementStore } from './store.ts';
import { basicAuth, ctiUrl, httpOrigin, selectorEntry, type UserSelector } from './url.ts';

/** Where the client is: one at a time. `stopped` is final (see {@link CtiClient.stopReason}). */
export type ClientState = 'idle' | 'connecting' | 'open' | 'backoff' | 'stopped';

/**
 * Why the client stopped for good:
 * - `connection_replaced`, `connection_limit_reached`, `logout`: the PBX's system_msg (reconnecting
 *   would fight the other client, or the session is gone);
 * - `refused`: the PBX refused the credentials (HTTP 401/403 seen by `ws`, or a ticket refused);
 * - `closed`: the connection ended and `reconnect` is false;
 * - `stopped`: {@link CtiClient.stop} was called.
 */
export type StopReason = 'connection_replaced' | 'connection_limit_reached' | 'logout' | 'refused' | 'closed' | 'stopped';

/** How the socket authenticates (PROTOCOL.md "Connection", "Corrections of 2026-12-05"). */
export type CtiAuth =
  /** HTTP basic `DOMAIN:TOKEN` on the socket (Node: needs a socket that sends headers, e.g. `basix-cti/node`) */
  | { type: 'token'; domain: string; token: string }
  /** a one-time ticket per connection from `POST /basix/api/gen_ws_ticket`, then Basic `ws_ticket:TICKET` (cannot carry `full_events`) */
  | { type: 'ticket'; domain: string; token: string }
  /** nothing added: the browser's session cookie (same origin) */
  | { type: 'session' };

/** Options of {@link createCtiClient}. */
export interface CtiClientOptions {
  /** the ws_cti URL with `app_name`, e.g. `wss://pbx.example.jp/basix/api/ws_cti?app_name=board`; userinfo `DOMAIN:TOKEN` is token auth (the vendor's Node example) */
  url: string;
  /** default: token auth from the URL's userinfo when present, else `session` */
  auth?: CtiAuth;
  /** more HTTP headers for the handshake, e.g. `{ Cookie: 'name=value' }` for a session from Node; needs a `createSocket` that sends headers; default none */
  headers?: Record<string, string>;
  /** a token connection watching one user (`user_id`, `user_name`, … in the URL); default none */
  user?: UserSelector;
  /** send `forced=true&force=true` on every connection (take over when 2 are open); default false — see {@link CtiClient.reconnectNow} for a one-time take-over */
  forced?: boolean;
  /** connect again after a drop; default true */
  reconnect?: boolean;
  /**
   * on a stop message (`connection_replaced`, `connection_limit_reached`, `logout`) close the
   * connection at once (true), or keep reading until the PBX closes it (false: a monitor that wants
   * every message); either way the client stops then; default true
   */
  closeOnStopMessage?: boolean;
  /** reconnect delays (ms); default 500 doubling to 30 000, half of each random */
  backoff?: BackoffOptions;
  /** ms after the last `field_spec`/`initial_info` after which the snapshot counts as complete, if no other message ended it first; default 2000 */
  snapshotSettleMs?: number;
  /** parser options (`base_url`, `big_integers`, `decode_limits`, `codegen`); `strict` is ignored: problems are `problem` events */
  parser?: MessageParserOptions;
  /** opens sockets; default the global `WebSocket` (session auth only: it sends no headers) */
  createSocket?: SocketFactory;
  /** for the ticket request; default the global `fetch` */
  fetch?: FetchLike;
  /** timers (inject for tests); default the global setTimeout/clearTimeout */
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  /** a number in [0, 1) for the jitter (inject for tests); default Math.random */
  random?: () => number;
}

/** The client's events and their listeners' arguments. */
export interface CtiClientEvents {
  state: [state: ClientState];
  open: [];
  /** `retryInMs` when a reconnect is scheduled */
  close: [info: { code: number; reason: string; retryInMs: number | undefined }];
  field_spec: [element: string, fields: string[]];
  /** the store already holds the new map when this is called */
  initial_info: [element: string, data: Record<string, CtiElement>];
  /** the store already holds the change when this is called */
  info_event: [element: string, data: CtiElement, event: string];
  system_msg: [msg: string];
  msg: [text: string];
  /** the current connection's snapshot is complete; `dropped` kinds were not sent again and are gone */
  snapshot: [dropped: string[]];
  /** the store holds data of a closed connection (true) or only current data again (false) */
  stale: [stale: boolean];
  /** a bad frame or record, a socket error, a refused ticket, or an exception thrown by a listener — the client goes on */
  problem: [err: Error];
  /** the client stopped for good */
  stop: [reason: StopReason];
}

/** A reconnecting ws_cti client. */
export interface CtiClient {
  readonly state: ClientState;
  /** set once `state` is `stopped` */
  readonly stopReason: StopReason | undefined;
  /** the elements; stale ones kept (flagged) across a reconnect until the new snapshot replaces them */
  readonly store: ElementStore;
  /** `store.isStale()` */
  readonly stale: boolean;
  /** Start connecting (from `idle`; otherwise nothing). */
  start(): void;
  /** Stop for good: closes the socket, cancels a pending reconnect; `stop` event with `stopped`. */
  stop(): void;
  /**
   * Close the current connection (if any) and connect again now, with a fresh snapshot. `forced`:
   * the attempts send `forced=true&force=true` (take over from an older one) until a socket opens;
   * later reconnects go without. Also
   * restarts a client stopped by the PBX (e.g. after `connection_limit_reached`), not one stopped by `stop()`.
   */
  reconnectNow(opts?: { forced?: boolean }): void;
  /** Listen; returns the function that stops listening. */
  on<E extends keyof CtiClientEvents>(event: E, listener: (...args: CtiClientEvents[E]) => void): () => void;
  /** `{"cmd":"park","uuid":UUID,"timeout":SECONDS}` (timeout left out when undefined). @throws CtiClientError `NOT_OPEN` | `BAD_OPTION` */
  park(uuid: string, timeoutSeconds?: number): void;
  /** `{"cmd":"hangup","uuid":UUID}`. @throws CtiClientError `NOT_OPEN` | `BAD_OPTION` */
  hangup(uuid: string): void;
  /** `{"cmd":"transfer","uuid":UUID,"user_id":ID,"user_name":NAME,"destination":DEST}` with the given ones (at least one). @throws CtiClientError `NOT_OPEN` | `BAD_OPTION` */
  transfer(uuid: string, to: { user_id?: number | string; user_name?: string; destination?: string }): void;
  /** `{"cmd":"eavesdrop","uuid":MEDIA_UUID,"target_uuid":UUID,"subcommand":SUB}`. @throws CtiClientError `NOT_OPEN` | `BAD_OPTION` */
  eavesdrop(mediaUuid: string, targetUuid: string, subcommand: string): void;
}

function checkUuid(v: unknown, what: string): void {
  if (typeof v !== 'string' || v === '') throw new CtiClientError('BAD_OPTION', `${what} must be a non-empty string`);
}

/**
 * Make a client (state `idle`; call `start()`). Nothing is required beyond PROTOCOL.md: no ping, no
 * session endpoint, no reply to commands (their effect shows in the events that follow).
 * @throws CtiClientError `BAD_OPTION` for a bad URL (not ws:/wss:), user selector or auth;
 *   `NO_WEBSOCKET` when no socket can be opened (no `createSocket` and no global `WebSocket`, or
 *   token/ticket auth with only the global `WebSocket`, which cannot send the header)
 * @throws CtiOptionError for bad parser options
 */
export function createCtiClient(opts: CtiClientOptions): CtiClient {
  const base = ctiUrl(opts.url, { user: opts.user });
  if (opts.user !== undefined) selectorEntry(opts.user, 'user');
  const auth: CtiAuth = opts.auth ?? (base.userinfo ? { type: 'token', domain: base.userinfo.user, token: base.userinfo.password } : { type: 'session' });
  if (auth.type !== 'session' && (typeof auth.domain !== 'string' || typeof auth.token !== 'string' || !auth.domain || !auth.token)) {
    throw new CtiClientError('BAD_OPTION', `${auth.type} auth needs a non-empty domain and token`);
  }
  if (auth.type === 'ticket' && new URL(base.url).searchParams.get('full_events') === 'true') {
    throw new CtiClientError('BAD_OPTION', 'a ticket cannot carry full_events=true (PROTOCOL.md); a token connection sees every channel already');
  }
  const createSocket = opts.createSocket ?? globalSocketFactory();
  if (createSocket === undefined) throw new CtiClientError('NO_WEBSOCKET', 'no global WebSocket on this runtime: pass createSocket, or use basix-cti/node');
  if (opts.createSocket === undefined && (auth.type !== 'session' || Object.keys(opts.headers ?? {}).length > 0)) {
    throw new CtiClientError('NO_WEBSOCKET', `${auth.type === 'session' ? 'headers' : `${auth.type} auth`} need a socket that sends HTTP headers, which the global WebSocket cannot: use basix-cti/node (ws) or pass createSocket`);
  }
  // validated once here; each connection makes its own parser with them
  createMessageParser(null, opts.parser);
  const timers = opts.timers ?? { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };
  const random = opts.random ?? Math.random;
  const reconnect = opts.reconnect ?? true;
  const settleMs = opts.snapshotSettleMs ?? 2000;
  const store = createElementStore();
  const listeners = new Map<keyof CtiClientEvents, Set<(...args: never[]) => void>>();

  let state: ClientState = 'idle';
  let stopReason: StopReason | undefined;
  /** the current connection's number; a parser callback of an older one is ignored */
  let seq = 0;
  let parser: MessageParser | undefined;
  let settleTimer: unknown;
  let snapshotDone = false;
  /** the PBX refused the credentials on this attempt (a socket that reports the HTTP status) */
  let refused = false;
  let wasStale = false;

  const emit = <E extends keyof CtiClientEvents>(event: E, ...args: CtiClientEvents[E]): void => {
    const set = listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        (fn as (...a: CtiClientEvents[E]) => void)(...args);
      } catch (err) {
        if (event === 'problem') console.error('basix-cti: a problem listener threw', err);
        else emit('problem', err instanceof Error ? err : new Error(String(err)));
      }
    }
  };
  const setState = (s: ClientState): void => {
    if (s === state) return;
    state = s;
    emit('state', s);
  };
  const staleChanged = (): void => {
    const now = store.isStale();
    if (now !== wasStale) {
      wasStale = now;
      emit('stale', now);
    }
  };
  const clearSettle = (): void => {
    if (settleTimer !== undefined) timers.clearTimeout(settleTimer);
    settleTimer = undefined;
  };

  const completeSnapshot = (): void => {
    if (snapshotDone) return;
    snapshotDone = true;
    clearSettle();
    const dropped = store.dropStale();
    staleChanged();
    emit('snapshot', dropped);
  };
  const armSettle = (): void => {
    clearSettle();
    settleTimer = timers.setTimeout(() => {
      settleTimer = undefined;
      completeSnapshot();
    }, settleMs);
  };

  const makeParser = (id: number): MessageParser =>
    createMessageParser(
      {
        on_field_spec: (el, fields) => {
          if (id !== seq) return;
          if (!snapshotDone) armSettle();
          emit('field_spec', el, fields);
        },
        on_initial_info: (el, data) => {
          if (id !== seq) return;
          life.initialInfo(el);
          if (!snapshotDone) armSettle();
          store.replace(el, data);
          staleChanged();
          emit('initial_info', el, data);
        },
        on_info_event: (el, data, ev) => {
          if (id !== seq) return;
          completeSnapshot();
          store.apply(el, data, ev);
          emit('info_event', el, data, ev);
        },
        on_system_msg: (m) => {
          if (id !== seq) return;
          completeSnapshot();
          emit('system_msg', m);
          life.systemMessage(m);
        },
        on_msg: (m) => {
          if (id !== seq) return;
          completeSnapshot();
          emit('msg', m);
        },
        on_error: (err) => {
          if (id === seq) emit('problem', err);
        },
      },
      { ...opts.parser, strict: false },
    );

  /** The headers of one attempt: the token, or a fresh ticket for this attempt's URL. */
  const prepare = (): AttemptPlan<StopReason> | Promise<AttemptPlan<StopReason>> => {
    refused = false;
    snapshotDone = false;
    const headers: Record<string, string> = { ...opts.headers };
    if (auth.type === 'token') headers.Authorization = basicAuth(auth.domain, auth.token);
    if (auth.type !== 'ticket') return { headers };
    const url = life.url(false);
    const u = new URL(url);
    const credentials: TokenCredentials = { domain: auth.domain, token: auth.token };
    return genWsTicket({ origin: httpOrigin(url), uri: u.pathname + u.search, credentials, fetch: opts.fetch }).then(
      (ticket): AttemptPlan<StopReason> => ({ headers: { ...headers, Authorization: basicAuth('ws_ticket', ticket) } }),
      (err: unknown): AttemptPlan<StopReason> => {
        emit('problem', err as Error);
        if (err instanceof CtiApiError && (err.status === 401 || err.status === 403 || err.errorId === 'authentication_required')) return { stop: 'refused' };
        return reconnect ? { retry: 'ticket refused' } : { stop: 'closed' };
      },
    );
  };

  const life: ConnectionLife<StopReason, CtiSocket> = createConnectionLife<StopReason, CtiSocket>({
    url: opts.url,
    user: opts.user,
    forcedAlways: opts.forced,
    backoff: opts.backoff,
    closeOnStopMessage: opts.closeOnStopMessage,
    timers,
    random,
    hooks: {
      prepare,
      createSocket: (url, headers) => {
        parser = makeParser(++seq);
        return createSocket(url, { headers });
      },
      frame: (data) => {
        if (!parser) return;
        life.resetBackoff();
        if (typeof data === 'string') {
          // a text frame: not part of PROTOCOL.md's server → client traffic (a server's answer to a bad command)
          emit('problem', new Error(`text frame from the PBX: ${data.slice(0, 200)}`));
          return;
        }
        const r = parser.handle_message({ data });
        if (r) r.catch((err: unknown) => emit('problem', err as Error));
      },
      socketError: (ev) => {
        const status = refusedStatus(ev);
        if (status === 401 || status === 403) refused = true;
        const e = ev as { message?: unknown; error?: unknown } | null;
        const msg = e?.message;
        // `cause`: what the socket reported (ws: the Error with its `code`, e.g. ECONNRESET)
        emit('problem', new Error(`WebSocket error${typeof msg === 'string' && msg ? `: ${msg}` : ''}`, { cause: e?.error ?? ev }));
      },
      released: () => {
        seq++;
        parser = undefined;
        clearSettle();
        store.markStale();
        staleChanged();
      },
      next: (gone) => {
        if (gone.error !== undefined) emit('problem', gone.error as Error);
        if (refused) return { stop: 'refused' };
        return reconnect ? { retry: gone.detail } : { stop: 'closed' };
      },
      state: (s, info) => {
        if (info.closed) emit('close', { ...info.closed, retryInMs: s === 'backoff' ? info.retryInMs : s === 'stopped' ? undefined : 0 });
        switch (s) {
          case 'idle':
          case 'deciding':
            return;
          case 'preparing':
          case 'opening':
            return setState('connecting');
          case 'open':
            setState('open');
            // the settle timer starts with the first field_spec/initial_info, not here: a PBX slow to
            // send its snapshot must not get the stale kinds dropped before it arrives
            return emit('open');
          case 'snapshot':
          case 'live':
            return;
          case 'backoff':
            return setState('backoff');
          case 'stopped':
            clearSettle();
            stopReason = info.stopReason;
            setState('stopped');
            emit('stop', info.stopReason ?? 'stopped');
        }
      },
    },
  });

  const send = (cmd: Record<string, unknown>): void => {
    const socket = life.socket;
    if (state !== 'open' || !socket) throw new CtiClientError('NOT_OPEN', `cannot send ${String(cmd.cmd)}: no open connection (state ${state})`);
    socket.send(JSON.stringify(cmd));
  };

  return {
    get state() {
      return state;
    },
    get stopReason() {
      return stopReason;
    },
    store,
    get stale() {
      return store.isStale();
    },
    start() {
      if (state === 'idle') life.reconnectNow();
    },
    stop() {
      if (state !== 'stopped') life.stop('stopped');
    },
    reconnectNow(o) {
      if (state === 'stopped' && stopReason === 'stopped') return;
      stopReason = undefined;
      life.reconnectNow({ forced: o?.forced ?? false });
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (...args: never[]) => void);
      return () => set.delete(listener as (...args: never[]) => void);
    },
    park(uuid, timeoutSeconds) {
      checkUuid(uuid, 'park: uuid');
      if (timeoutSeconds !== undefined && !(Number.isFinite(timeoutSeconds) && timeoutSeconds >= 0)) throw new CtiClientError('BAD_OPTION', 'park: timeout must be a number of seconds ≥ 0');
      send({ cmd: 'park', uuid, timeout: timeoutSeconds });
    },
    hangup(uuid) {
      checkUuid(uuid, 'hangup: uuid');
      send({ cmd: 'hangup', uuid });
    },
    transfer(uuid, to) {
      checkUuid(uuid, 'transfer: uuid');
      if (!to || (to.user_id === undefined && to.user_name === undefined && to.destination === undefined)) {
        throw new CtiClientError('BAD_OPTION', 'transfer: give user_id, user_name or destination');
      }
      send({ cmd: 'transfer', uuid, user_id: to.user_id, user_name: to.user_name, destination: to.destination });
    },
    eavesdrop(mediaUuid, targetUuid, subcommand) {
      checkUuid(mediaUuid, 'eavesdrop: media uuid');
      checkUuid(targetUuid, 'eavesdrop: target uuid');
      checkUuid(subcommand, 'eavesdrop: subcommand');
      send({ cmd: 'eavesdrop', uuid: mediaUuid, target_uuid: targetUuid, subcommand });
    },
  };
}
