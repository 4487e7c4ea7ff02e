/**
 * The simulated Basix PBX's HTTP and WebSocket front: `/basix/login`, `/basix/logout`,
 * `/basix/api/session` (ours; not in the strict profile), avatars, `POST /basix/api/call_user`,
 * `POST /basix/api/gen_ws_ticket`, the CTI WebSocket `/basix/api/ws_cti` (PROTOCOL.md) and, when
 * enabled, the test-control endpoints `/__sim/*` (docs/ARCHITECTURE.md).
 *
 * Profiles: the default one adds our conventions (session endpoint, `{msg}` replies to bad
 * commands, the domain's park slot range, login back to `next`); `strict` serves only what a real
 * PBX is known to serve (issue 9).
 *
 * {@link PbxSim} is transport-agnostic: mount {@link PbxSim.handleRequest} and
 * {@link PbxSim.handleUpgrade} on any Node HTTP server (the standalone server of
 * {@link startPbxSim}, or Vite's dev server through `vite-plugin.ts`).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { encodeEtf } from '../cti/etf/encode.ts';
import { WS_CTI_PATH } from '../cti/protocol.ts';
import type { Term } from '../cti/etf/term.ts';
import { avatarPng } from './assets.ts';
import { callUser, type CallUserAuth } from './call-user.ts';
import { LoginThrottle, type ThrottleOptions } from './login-throttle.ts';
import { BoundedSender, DEFAULT_SEND_LIMITS, type SendLimits } from './send-queue.ts';
import { TicketError, TicketStore, ticketFromAuth } from './tickets.ts';
import { selectUser } from './user-selector.ts';
import { WEB_APP_PATH, webAppPage } from './web-app-page.ts';
import { html, json, originOf, parseForm, readBody, sameOrigin } from './http-util.ts';
import { checkToken, locationHeader, safeNext, SESSION_COOKIE, SessionStore, type Session } from './auth.ts';
import { ADMIN_ID, buildDirectory } from './directory.ts';
import { loginPage } from './login-page.ts';
import { PbxModel, SimError } from './model.ts';
import { createRng } from './prng.ts';
import { fieldSpecTerm, infoEventTerm, initialInfoTerm, msgTerm, recordTerm, systemMsgTerm } from './records.ts';
import { runScenario, ScenarioError, type ScenarioResult, type Step } from './scenario.ts';
import { RealScheduler, type Scheduler } from './scheduler.ts';
import { LoadTraffic, Traffic } from './traffic.ts';
import { refuseUpgrade } from './upgrade.ts';
import { selfSignedCertificate, type TlsPair } from './serve-tls.ts';
import { CHANNEL_KINDS, ELEMENT_KINDS, type Change, type ElementKind, type SimChannel, type SimWaiting } from './types.ts';

/** Path of the CTI WebSocket (the CTI library's {@link WS_CTI_PATH}). */
export const WS_PATH = WS_CTI_PATH;

/** Options of {@link PbxSim}. All optional. */
export interface PbxSimOptions {
  /** PRNG seed (default 1): the same seed gives the same company and traffic. */
  seed?: number;
  /** Time factor for delays (default 1). */
  speed?: number;
  /** Number of `userN` users (default 40; 10,000 with `load`). */
  users?: number;
  /** Number of groups (default 5; 50 with `load`). */
  groups?: number;
  /** Random calls per minute (default 4). */
  rate?: number;
  /** Also send `queued_channel` and `parked_channel` (older servers). */
  legacy?: boolean;
  /** No random traffic and no pre-filled calls: only scenario steps, commands and control endpoints. */
  quiet?: boolean;
  /** Enable `/__sim/*` control endpoints. */
  control?: boolean;
  /** Load mode: 10,000 users, 2,000 live channels, 500 events/s. */
  load?: boolean;
  /** Steps to run right after start. */
  scenario?: Step[];
  /** CTI connections per user (or token) and `app_name` (default 2, PROTOCOL.md Corrections). */
  connectionLimit?: number;
  /** Strict profile: only the documented PBX surface (no session endpoint, no command replies, login → web app, no domain park range). */
  strict?: boolean;
  /** Also honour the library README's `force=true` as the take-over flag (default: only `forced=true`). */
  legacyForce?: boolean;
  /** Session cookie `Secure; SameSite=None` as an HTTPS PBX may set it (default false: `SameSite=Strict`); `startPbxSim` sets it with `tls`. */
  secureCookies?: boolean;
  /** Per-socket send queue bounds (default {@link DEFAULT_SEND_LIMITS}). */
  sendLimits?: Partial<SendLimits>;
  /** Login throttle settings (defaults in login-throttle.ts). */
  loginThrottle?: Partial<ThrottleOptions>;
  /** Lifetime of a `gen_ws_ticket` ticket in ms (default 10,000). */
  ticketTtlMs?: number;
  /** Simulated ms until a `call_user` phone answers without `auto_answer` (default 3,000). */
  callUserAnswerMs?: number;
  /** API token accepted as basic credentials `DOMAIN:TOKEN` (default `sim-token`; domain is `test1`). */
  token?: string;
  /** Serve a small page at `/` (the standalone server; under Vite the console is `/`). */
  serveRoot?: boolean;
  /** Time source (default a {@link RealScheduler} with `speed`); tests pass a VirtualScheduler. */
  scheduler?: Scheduler;
  /** Log lines (default none). */
  log?: (line: string) => void;
}

interface Conn {
  ws: WebSocket;
  sender: BoundedSender;
  session?: Session;
  /** Limit accounting key: the username, or `token:DOMAIN`, and the app_name. */
  key: string;
  /** A token connection watching one user (`user_*` selectors): sees that user's channels only. */
  watchUserId?: number;
  /** User acting for commands (parker): the session user, or admin for token clients. */
  userId: number;
  full: boolean;
  origin: string;
  appName: string;
  openedSeq: number;
}


/** The simulated PBX (model + traffic + sessions + sockets). */
export class PbxSim {
  model!: PbxModel;
  readonly scheduler: Scheduler;
  readonly sessions = new SessionStore();
  readonly throttle: LoginThrottle;
  readonly tickets: TicketStore;
  readonly strict: boolean;
  private readonly sendLimits: SendLimits;
  private traffic?: Traffic;
  private load?: LoadTraffic;
  private readonly conns = new Set<Conn>();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  private calls = new Map<string, string>();
  private downUntilMs = 0;
  private seq = 0;
  private quiet: boolean;
  private offModel?: () => void;
  readonly opts: PbxSimOptions;
  /** Resolves when the start-up scenario (if any) has run. */
  ready: Promise<ScenarioResult | undefined> = Promise.resolve(undefined);

  constructor(opts: PbxSimOptions = {}) {
    this.opts = opts;
    this.scheduler = opts.scheduler ?? new RealScheduler(opts.speed ?? 1);
    this.quiet = opts.quiet ?? false;
    this.strict = opts.strict ?? false;
    this.sendLimits = { ...DEFAULT_SEND_LIMITS, ...opts.sendLimits };
    this.throttle = new LoginThrottle(() => this.scheduler.nowMs(), opts.loginThrottle);
    this.tickets = new TicketStore(() => this.scheduler.nowMs(), opts.ticketTtlMs);
    this.init();
    if (opts.scenario?.length) {
      this.ready = this.runScenario(opts.scenario).catch((e: unknown) => {
        this.log(`scenario failed: ${(e as Error).message}`);
        return undefined;
      });
    }
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  /** (Re)build the seeded model and start traffic. */
  private init(): void {
    const o = this.opts;
    const rng = createRng(o.seed ?? 1);
    const directory = buildDirectory(rng, { users: o.users ?? (o.load ? 10_000 : 40), groups: o.groups ?? (o.load ? 50 : 5) });
    this.model = new PbxModel({ scheduler: this.scheduler, rng, directory, legacy: o.legacy });
    this.offModel = this.model.onChange((c) => this.broadcastChange(c));
    this.calls = new Map();
    if (o.load) {
      this.load = new LoadTraffic(this.model, this.scheduler, rng);
      this.load.prime();
      this.load.start();
    } else if (!this.quiet) {
      this.traffic = new Traffic(this.model, this.scheduler, rng, { rate: o.rate });
      this.traffic.prime();
      this.traffic.start();
    }
  }

  /** Stop traffic and timers (sockets stay open). */
  private stopTraffic(): void {
    this.traffic?.stop();
    this.load?.stop();
    this.traffic = undefined;
    this.load = undefined;
    this.offModel?.();
    this.scheduler.cancelAll();
  }

  /**
   * Back to the seeded initial state; every open socket gets fresh `field_spec`/`initial_info`.
   * @param quiet no random traffic from now on (default: as started).
   */
  reset(quiet?: boolean): void {
    this.stopTraffic();
    if (quiet !== undefined) this.quiet = quiet;
    this.init();
    for (const c of this.conns) this.sendSnapshot(c);
  }

  /** Close every CTI socket (1012 service restart) and refuse new ones (503) for `downMs`. */
  restart(downMs: number): void {
    this.downUntilMs = Date.now() + Math.max(0, downMs);
    for (const c of [...this.conns]) c.ws.close(1012, 'service restart');
  }

  /** End every session of `username`: its sockets get `system_msg logout` and close. Returns how many sessions ended. */
  logoutUser(username: string): number {
    const ids = this.sessions.destroyUser(username);
    for (const c of [...this.conns]) if (c.session && ids.includes(c.session.id)) this.endConn(c, 'logout', 4401);
    return ids.length;
  }

  /** Run scenario steps now. @throws ScenarioError for a rejected step. */
  runScenario(steps: Step[]): Promise<ScenarioResult> {
    return runScenario(
      {
        model: this.model,
        scheduler: this.scheduler,
        calls: this.calls,
        systemMsg: (m) => this.broadcastTerm(systemMsgTerm(m)),
        msg: (t) => this.broadcastTerm(msgTerm(t)),
      },
      steps,
    );
  }

  /** Number of open CTI sockets. */
  get connectionCount(): number {
    return this.conns.size;
  }

  /** CTI sockets accepted since start, per `app_name` (test control: `GET /__sim/state` → `sockets`). */
  readonly accepted = new Map<string, number>();
  /** Client command frames received since start, per `app_name` (test control: `GET /__sim/state` → `sockets`). */
  readonly commandsReceived = new Map<string, number>();

  /** Stop everything and close sockets. */
  close(): void {
    this.stopTraffic();
    for (const c of [...this.conns]) c.ws.terminate();
    this.wss.close();
  }

  // ---- frames ------------------------------------------------------------------------------

  private send(c: Conn, bytes: Uint8Array): void {
    c.sender.send(bytes);
  }

  private broadcastTerm(t: Term): void {
    const b = encodeEtf(t);
    for (const c of this.conns) this.send(c, b);
  }

  /** May this connection see this channel-like record? (PROTOCOL.md: without full events, only the session user's channels.) */
  private visible(c: Conn, element: ElementKind, record: Change['record']): boolean {
    if (!CHANNEL_KINDS.has(element) || c.full) return true;
    const uid = c.watchUserId ?? c.userId;
    if (element === 'channel') return (record as SimChannel).userId === uid;
    if (element === 'parked_channel' || element === 'channel_waiting') {
      const s = (record as SimWaiting).state;
      return s.name === 'park' && s.parkerId === uid;
    }
    return false;
  }

  private broadcastChange(ch: Change): void {
    if (this.conns.size === 0) return;
    const byOrigin = new Map<string, Uint8Array>();
    for (const c of this.conns) {
      if (!this.visible(c, ch.element, ch.record)) continue;
      let b = byOrigin.get(c.origin);
      if (!b) {
        b = encodeEtf(infoEventTerm(ch.element, recordTerm(ch.element, ch.record, c.origin, this.strict), ch.event));
        byOrigin.set(c.origin, b);
      }
      this.send(c, b);
    }
  }

  private kinds(): ElementKind[] {
    return ELEMENT_KINDS.filter((k) => this.model.legacy || (k !== 'queued_channel' && k !== 'parked_channel'));
  }

  private records(kind: ElementKind): Change['record'][] {
    const m = this.model;
    switch (kind) {
      case 'domain':
        return [m.domain];
      case 'user':
        return [...m.users.values()];
      case 'group':
        return [...m.groups.values()];
      case 'group_member':
        return [...m.members.values()];
      case 'terminal':
        return [...m.terminals.values()];
      case 'channel':
        return [...m.channels.values()];
      case 'channel_waiting':
        return [...m.waiting.values(), ...m.parkedWaiting()];
      case 'queued_channel':
        return [...m.waiting.values()];
      case 'parked_channel':
        return [...m.parkedSlots.values()].map((u) => {
          const r = m.channels.get(u)!;
          return { uuid: r.uuid, state: r.state, peerNumber: r.callingNumber, endUser: r.endUser, callingName: r.callingName };
        });
    }
  }

  /** `field_spec` then `initial_info` for every element kind. */
  private sendSnapshot(c: Conn): void {
    for (const kind of this.kinds()) {
      this.send(c, encodeEtf(fieldSpecTerm(kind, this.strict)));
      const recs = this.records(kind).filter((r) => this.visible(c, kind, r)).map((r) => recordTerm(kind, r, c.origin, this.strict));
      this.send(c, encodeEtf(initialInfoTerm(kind, recs)));
    }
  }

  /**
   * Closes a connection with a `system_msg` first. `logout` is not documented (PROTOCOL.md
   * Corrections: only the vendor's older client knows it), so the strict profile just closes the
   * socket on a log-out, as a PBX may: the console must notice a lost login from the refused
   * reconnects alone.
   */
  private endConn(c: Conn, systemMsg: string, code: number): void {
    if (!(this.strict && systemMsg === 'logout')) this.send(c, encodeEtf(systemMsgTerm(systemMsg)));
    this.conns.delete(c);
    c.ws.close(code, systemMsg);
  }

  // ---- WebSocket -----------------------------------------------------------------------------

  /**
   * Handle an HTTP upgrade if it is for {@link WS_PATH}; returns false (untouched) otherwise, so
   * other upgrade listeners (Vite's HMR) keep working. Refuses: 400 without `app_name`, 403 foreign
   * `Origin`, 401 no valid session, token or ticket (`ws_ticket:TICKET`, single-use, for exactly
   * this URI), 404 a `user_*` selector naming nobody, 503 while restarting.
   * Take-over flag `forced=true` (and `force=true` only with `legacyForce`), PROTOCOL.md Corrections.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== WS_PATH) return false;
    const refuse = (status: number, text: string): true => {
      refuseUpgrade(socket, status, text);
      return true;
    };
    if (Date.now() < this.downUntilMs) return refuse(503, 'restarting');
    const appName = url.searchParams.get('app_name') ?? '';
    if (appName === '') return refuse(400, 'app_name is required');
    if (!sameOrigin(req)) return refuse(403, 'cross-origin WebSocket refused');
    let token: string | null | undefined;
    const ticket = ticketFromAuth(req.headers.authorization);
    if (ticket !== undefined) {
      token = this.tickets.take(ticket, req.url ?? '');
      if (token === undefined) return refuse(401, 'bad, used or expired ws_ticket');
    } else token = checkToken(req.headers.authorization, this.model.domain.name, this.opts.token ?? 'sim-token');
    let session: Session | undefined;
    if (token === null) return refuse(401, 'bad API token');
    if (token === undefined) {
      session = this.sessions.fromCookie(req.headers.cookie);
      if (!session) return refuse(401, 'login required');
    }
    const wantFull = url.searchParams.get('full_events') === 'true';
    let watchUserId: number | undefined;
    if (!session && !wantFull) {
      const sel = selectUser(this.model, (k) => url.searchParams.get(k) ?? undefined);
      if (sel.kind === 'not_found') return refuse(404, `no user matches ${sel.selector}`);
      if (sel.kind === 'found') watchUserId = sel.user.id;
    }
    const force = url.searchParams.get('forced') === 'true' || (this.opts.legacyForce === true && url.searchParams.get('force') === 'true');
    const who = session ? session.username : `token:${token}`;
    const conn: Omit<Conn, 'ws' | 'sender'> = {
      session,
      key: `${who}\u0000${appName}`,
      watchUserId,
      userId: session ? session.userId : ADMIN_ID,
      // token: all channels (or one watched user's); session: full only for PBX admins who ask
      full: session ? wantFull && session.isAdmin : watchUserId === undefined,
      origin: originOf(req),
      appName,
      openedSeq: ++this.seq,
    };
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const sender = new BoundedSender(ws, this.sendLimits, (why) => {
        this.conns.delete(full);
        this.log(`ws_cti dropped: ${who} app=${appName}: ${why}`);
      });
      const full: Conn = { ...conn, ws, sender };
      this.accept(full, force);
    });
    return true;
  }

  private accept(c: Conn, force: boolean): void {
    const limit = this.opts.connectionLimit ?? 2;
    const same = [...this.conns].filter((x) => x.key === c.key).sort((a, b) => a.openedSeq - b.openedSeq);
    c.ws.on('error', () => {});
    if (same.length >= limit) {
      if (!force) {
        this.send(c, encodeEtf(systemMsgTerm('connection_limit_reached')));
        c.ws.close(4429, 'connection_limit_reached');
        return;
      }
      for (const old of same.slice(0, same.length - limit + 1)) this.endConn(old, 'connection_replaced', 4409);
    }
    this.conns.add(c);
    this.accepted.set(c.appName, (this.accepted.get(c.appName) ?? 0) + 1);
    this.log(`ws_cti open: ${c.key.split('\u0000')[0]} app=${c.appName} full=${c.full} (${this.conns.size} open)`);
    c.ws.on('close', () => this.conns.delete(c));
    c.ws.on('message', (data, isBinary) => this.onCommand(c, data, isBinary));
    this.sendSnapshot(c);
  }

  /** Answer a bad command with `{msg, Text}` (ours, default profile); the strict profile answers nothing, as PROTOCOL.md allows. */
  private reply(c: Conn, text: string): void {
    if (this.strict) return;
    this.send(c, encodeEtf(msgTerm(text)));
  }

  /** A client command (PROTOCOL.md "Commands"). Never throws: errors are answered with `{msg, Text}` (default profile) or ignored (strict). */
  private onCommand(c: Conn, data: RawData, isBinary: boolean): void {
    this.commandsReceived.set(c.appName, (this.commandsReceived.get(c.appName) ?? 0) + 1);
    try {
      if (isBinary) return this.reply(c, 'error: commands are JSON text frames');
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      let cmd: unknown;
      try {
        cmd = JSON.parse(text);
      } catch {
        return this.reply(c, 'error: malformed command (not JSON)');
      }
      if (typeof cmd !== 'object' || cmd === null || Array.isArray(cmd)) return this.reply(c, 'error: a command is a JSON object');
      const o = cmd as Record<string, unknown>;
      const name = o.cmd;
      if (typeof name !== 'string') return this.reply(c, 'error: missing "cmd"');
      const uuid = o.uuid;
      if (['park', 'hangup', 'transfer', 'eavesdrop'].includes(name) && (typeof uuid !== 'string' || uuid === ''))
        return this.reply(c, `error: ${name}: "uuid" must be a non-empty string`);
      const ch = typeof uuid === 'string' ? this.model.channels.get(uuid) : undefined;
      if (typeof uuid === 'string' && (!ch || !this.visible(c, 'channel', ch)))
        return this.reply(c, `error: ${name}: unknown channel ${uuid}`);
      const m = this.model;
      switch (name) {
        case 'hangup':
          m.hangup(uuid as string, 'send_bye,NORMAL_CLEARING');
          return;
        case 'park': {
          const timeout = o.timeout === undefined ? 60 : Number(o.timeout);
          if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 86400) return this.reply(c, 'error: park: "timeout" must be seconds in 1..86400');
          const root = m.root(uuid as string);
          const slot = m.park(root.uuid, c.watchUserId ?? c.userId);
          const parkedTs = root.state.ts;
          this.scheduler.schedule(timeout * 1000, () => {
            const r = m.channels.get(root.uuid);
            if (!r || r.state.name !== 'park' || r.state.ts !== parkedTs) return;
            const parker = r.state.parkerId;
            m.ringBack(r.uuid);
            this.traffic?.followRinging(r.uuid, parker);
          });
          this.log(`park ${root.uuid} → ${slot} by ${c.key}`);
          return;
        }
        case 'transfer': {
          const target = this.resolveTransferTarget(o);
          if (target === undefined) return this.reply(c, 'error: transfer: unknown destination (give "user_id" or an extension in "destination")');
          const root = m.root(uuid as string);
          m.transfer(root.uuid, target);
          this.traffic?.followRinging(root.uuid, target);
          return;
        }
        case 'eavesdrop':
          return this.reply(c, 'error: eavesdrop: not supported by the simulator');
        default:
          return this.reply(c, `error: unknown command "${name.slice(0, 40)}"`);
      }
    } catch (e) {
      if (e instanceof SimError) return this.reply(c, `error: ${e.message}`);
      this.log(`command failed: ${(e as Error).stack ?? e}`);
      this.reply(c, 'error: internal error');
    }
  }

  private resolveTransferTarget(o: Record<string, unknown>): number | undefined {
    const m = this.model;
    const id = o.user_id;
    if ((typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id))) && m.users.has(Number(id))) return Number(id);
    const dest = o.destination;
    if (typeof dest === 'string' || typeof dest === 'number') {
      const d = String(dest);
      for (const u of m.users.values()) if (u.mainExtension === d || u.name === d || String(u.id) === d) return u.id;
    }
    return undefined;
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  /**
   * Handle `/basix/*`, `/static/icons/*`, `/__sim/*` (when control is on) and, with `serveRoot`, `/`.
   * Returns false for anything else (so a host server can serve it).
   */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    const method = req.method ?? 'GET';
    // The PBX web server's clock in every response's Date header, as a real PBX (Node sends the
    // host's Date.now() by default; the simulator's clock may be shifted or virtual). The console
    // estimates the PBX clock from the session check's Date (src/lib/clock.ts).
    if (!res.headersSent) res.setHeader('Date', new Date(this.scheduler.nowMs()).toUTCString());
    if (p === '/basix/login' && method === 'GET') {
      html(res, 200, loginPage(safeNext(url.searchParams.get('next'))));
      return true;
    }
    if (p === '/basix/login' && method === 'POST') {
      if (!sameOrigin(req)) return json(res, 403, { error: 'cross-origin login refused' });
      readBody(req)
        .then((body) => this.login(req, res, parseForm(req, body), url))
        .catch((e: Error) => {
          if (!res.headersSent) json(res, 400, { error: e.message });
        });
      return true;
    }
    if ((p === WEB_APP_PATH || p === WEB_APP_PATH.slice(0, -1)) && method === 'GET') {
      const s = this.sessions.fromCookie(req.headers.cookie);
      if (!s) {
        res.writeHead(303, { Location: '/basix/login', 'Cache-Control': 'no-store' });
        res.end();
        return true;
      }
      html(res, 200, webAppPage(s.username));
      return true;
    }
    if (p === '/basix/api/gen_ws_ticket' && method === 'POST') {
      const domain = checkToken(req.headers.authorization, this.model.domain.name, this.opts.token ?? 'sim-token');
      if (typeof domain !== 'string') return json(res, 200, { result_code: 500, error: { id: 'authentication_required' } });
      readBody(req)
        .then((text) => {
          let uri: unknown;
          try {
            uri = (JSON.parse(text) as { uri?: unknown } | null)?.uri;
          } catch {
            return json(res, 200, { result_code: 500, error: { id: 'invalid_request', message: 'the body is not JSON' } });
          }
          try {
            return json(res, 200, { result_code: 0, ticket: this.tickets.issue(uri, domain) });
          } catch (e) {
            if (e instanceof TicketError) return json(res, 200, { result_code: 500, error: { id: e.id, message: e.message } });
            throw e;
          }
        })
        .catch((e: Error) => {
          if (!res.headersSent) json(res, 400, { result_code: 500, error: { id: 'invalid_request', message: e.message } });
        });
      return true;
    }
    if (p === '/basix/api/call_user' && method === 'POST') {
      if (!sameOrigin(req)) return json(res, 403, { result_code: 500, error: { id: 'permission_denied', message: 'cross-origin request refused' } });
      const token = checkToken(req.headers.authorization, this.model.domain.name, this.opts.token ?? 'sim-token');
      const s = this.sessions.fromCookie(req.headers.cookie);
      const auth: CallUserAuth =
        typeof token === 'string' ? { kind: 'token' } : token === undefined && s ? { kind: 'session', userId: s.userId, isAdmin: s.isAdmin } : { kind: 'none' };
      readBody(req)
        .then((text) =>
          json(res, 200, callUser({ model: this.model, scheduler: this.scheduler, answerDelayMs: this.opts.callUserAnswerMs, log: (l) => this.log(l) }, auth, text)),
        )
        .catch((e: Error) => {
          if (!res.headersSent) json(res, 400, { result_code: 500, error: { id: 'invalid_request', message: e.message } });
        });
      return true;
    }
    if (p === '/basix/logout' && (method === 'POST' || method === 'GET')) {
      if (method === 'GET') return json(res, 405, { error: 'use POST' });
      if (!sameOrigin(req)) return json(res, 403, { error: 'cross-origin logout refused' });
      const s = this.sessions.fromCookie(req.headers.cookie);
      if (s) {
        this.sessions.destroy(s.id);
        for (const c of [...this.conns]) if (c.session?.id === s.id) this.endConn(c, 'logout', 4401);
      }
      res.writeHead(303, { 'Set-Cookie': `${SESSION_COOKIE}=; ${this.cookieAttrs()}; Max-Age=0`, Location: '/basix/login' });
      res.end();
      return true;
    }
    if (p === '/basix/api/session' && method === 'GET' && !this.strict) {
      const s = this.sessions.fromCookie(req.headers.cookie);
      if (!s) return json(res, 401, { error: 'not logged in' });
      return json(res, 200, { username: s.username, user_id: s.userId, is_admin: s.isAdmin, domain: this.model.domain.name });
    }
    const av = /^\/(?:basix\/avatars\/(?:users|end_users)|static\/icons)\/([\w.-]{1,80}\.png)$/.exec(p);
    if (av && (method === 'GET' || method === 'HEAD')) {
      const png = avatarPng(p);
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length, 'Cache-Control': 'public, max-age=3600' });
      res.end(method === 'HEAD' ? undefined : png);
      return true;
    }
    if (p.startsWith('/__sim/') && this.opts.control) {
      this.handleControl(req, res, p, method);
      return true;
    }
    if (p.startsWith('/basix/')) return json(res, 404, { error: 'not found' });
    if (p === '/' && this.opts.serveRoot) {
      const s = this.sessions.fromCookie(req.headers.cookie);
      html(
        res,
        200,
        `<!doctype html><meta charset="utf-8"><title>Basix PBX simulator</title><p>Simulated Basix PBX. ${
          s ? `Logged in as <b>${s.username}</b>. <form method="post" action="/basix/logout"><button>Log out</button></form>` : '<a href="/basix/login">Log in</a>'
        }</p><p>CTI WebSocket: <code>${WS_PATH}?app_name=NAME</code>. The console: <code>npm start</code>.</p>`,
      );
      return true;
    }
    return false;
  }

  /** Session cookie attributes: `Secure; SameSite=None` with `secureCookies` (an HTTPS PBX), else `SameSite=Strict`. */
  private cookieAttrs(): string {
    return this.opts.secureCookies ? 'Path=/; HttpOnly; Secure; SameSite=None' : 'Path=/; HttpOnly; SameSite=Strict';
  }

  /**
   * The login form's POST: throttled per account and address (429 + `Retry-After` while a delay
   * runs, the password not even checked), then 303 with the session cookie to `next` (default
   * profile; same-origin paths only, non-ASCII percent-encoded) or to the web app (strict).
   */
  private login(req: IncomingMessage, res: ServerResponse, f: Record<string, string | undefined>, url: URL): void {
    const username = String(f.username ?? '').slice(0, 200);
    const address = req.socket.remoteAddress ?? '?';
    const next = safeNext(f.next ?? url.searchParams.get('next'));
    const wait = this.throttle.retryAfterMs(username, address);
    if (wait > 0) {
      const secs = Math.ceil(wait / 1000);
      res.setHeader('Retry-After', String(secs));
      return html(res, 429, loginPage(next, `Too many failed attempts: try again in ${secs} s / ログイン失敗が多すぎます。${secs} 秒後に再試行してください`));
    }
    const s = this.sessions.login(this.model, username, String(f.password ?? ''), Date.now());
    if (!s) {
      this.throttle.fail(username, address);
      return html(res, 401, loginPage(next, 'Wrong username or password / ユーザー名またはパスワードが違います'));
    }
    this.throttle.succeed(username, address);
    // the Location is computed before anything is sent: a bad one can no longer fail after the cookie
    const location = this.strict ? WEB_APP_PATH : locationHeader(next);
    res.writeHead(303, { 'Set-Cookie': `${SESSION_COOKIE}=${s.id}; ${this.cookieAttrs()}`, Location: location, 'Cache-Control': 'no-store' });
    res.end();
  }

  private handleControl(req: IncomingMessage, res: ServerResponse, p: string, method: string): unknown {
    if (p === '/__sim/state' && method === 'GET')
      return json(res, 200, {
        ...(this.model.toJSON() as object),
        sockets: { open: this.conns.size, accepted: Object.fromEntries(this.accepted), commands: Object.fromEntries(this.commandsReceived) },
      });
    if (method !== 'POST') return json(res, 405, { error: 'use POST' });
    readBody(req)
      .then(async (text) => {
        let body: Record<string, unknown> = {};
        if (text.trim()) {
          try {
            const v: unknown = JSON.parse(text);
            if (typeof v === 'object' && v !== null && !Array.isArray(v)) body = v as Record<string, unknown>;
            else if (Array.isArray(v)) body = { steps: v };
          } catch {
            return json(res, 400, { error: 'body is not JSON' });
          }
        }
        switch (p) {
          case '/__sim/scenario': {
            if (!Array.isArray(body.steps)) return json(res, 400, { error: '{steps: [...]} required' });
            try {
              return json(res, 200, await this.runScenario(body.steps as Step[]));
            } catch (e) {
              if (e instanceof ScenarioError) return json(res, 409, { error: e.message, index: e.index });
              throw e;
            }
          }
          case '/__sim/reset':
            this.reset(typeof body.quiet === 'boolean' ? body.quiet : undefined);
            return json(res, 200, { ok: true });
          case '/__sim/restart':
            this.restart(Number(body.downMs ?? 0) || 0);
            return json(res, 200, { ok: true });
          case '/__sim/logout':
            return json(res, 200, { ok: true, sessions: this.logoutUser(String(body.username ?? '')) });
          default:
            return json(res, 404, { error: 'unknown control endpoint' });
        }
      })
      .catch((e: Error) => json(res, 500, { error: e.message }));
  }
}

/** A running standalone simulator. */
export interface RunningPbxSim {
  sim: PbxSim;
  server: http.Server | https.Server;
  /** `http://HOST:PORT`, or `https://HOST:PORT` with `tls`. */
  url: string;
  port: number;
  /** The certificate and key served with `tls` (a client trusts `cert` as its CA). */
  tls?: TlsPair;
  close(): Promise<void>;
}

/** Options of {@link startPbxSim}: the simulator's, plus where and how to listen. */
export interface StartOptions extends PbxSimOptions {
  /** Listen port (default 0 = a random free port). */
  port?: number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /**
   * Serve https and wss (default false): `true` makes a self-signed certificate for localhost,
   * 127.0.0.1 and `host` (serve-tls.ts), or pass a PEM pair. Session cookies are then
   * `Secure; SameSite=None` (unless `secureCookies` is false), as an HTTPS PBX may set them.
   */
  tls?: boolean | TlsPair;
}

/**
 * Start the simulator on its own HTTP(S) server.
 * @throws Error when the port cannot be listened on.
 */
export async function startPbxSim(opts: StartOptions = {}): Promise<RunningPbxSim> {
  const host = opts.host ?? '127.0.0.1';
  const tls = opts.tls === true ? await selfSignedCertificate([host]) : opts.tls || undefined;
  const sim = new PbxSim({ serveRoot: true, ...opts, secureCookies: opts.secureCookies ?? tls !== undefined });
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (!sim.handleRequest(req, res)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  };
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler) : http.createServer(handler);
  server.on('upgrade', (req, socket, head) => {
    if (!sim.handleUpgrade(req, socket, head)) refuseUpgrade(socket, 404, `no WebSocket here; the CTI socket is ${WS_PATH}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    sim,
    server,
    port,
    tls,
    url: `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        sim.close();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
