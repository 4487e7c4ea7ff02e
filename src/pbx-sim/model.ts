/**
 * The simulated PBX's state and the call operations a real Basix PBX performs, each emitting
 * exactly the element changes the real server would send (PROTOCOL.md). Pure: no I/O, time from
 * an injected {@link Scheduler}, so tests can drive it with simulated time.
 *
 * A call is a tree of legs: the *root* leg is the external party (inbound caller, or the PSTN
 * leg of an outbound call); *user legs* (`user_id` set) ring or connect a user's terminal.
 * Park and transfer always act on the root, whichever leg's uuid the client names
 * (OPERATORS.md: "park and transfer act on the wrong leg" is a known complaint of other panels).
 */
import type { Directory } from './directory.ts';
import { isParkSlot, pickParkSlot } from './park-slots.ts';
import type { Scheduler } from './scheduler.ts';
import type { Rng } from './prng.ts';
import type {
  CallingTarget,
  Change,
  ChannelState,
  ElementKind,
  SimChannel,
  SimDomain,
  SimGroup,
  SimMember,
  SimTerminal,
  SimUser,
  SimWaiting,
} from './types.ts';

/** A rejected operation (unknown uuid, slot taken, …). The message is safe to send to clients. */
export class SimError extends Error {
  override readonly name = 'SimError';
}

/** Options of {@link PbxModel}. */
export interface ModelOptions {
  scheduler: Scheduler;
  rng: Rng;
  directory: Directory;
  /** Also emit `queued_channel` and `parked_channel` (older servers). */
  legacy?: boolean;
  /** The DID (PSTN number) of the company, `target.address` of inbound calls. */
  did?: string;
}

/** Hangup disposition `SIDE,CAUSE` (PROTOCOL.md `last_event_data`). */
export type HangupCause = string;

/** The state of the simulated PBX. */
export class PbxModel {
  readonly users = new Map<number, SimUser>();
  readonly groups = new Map<number, SimGroup>();
  readonly members = new Map<number, SimMember>();
  readonly terminals = new Map<number, SimTerminal>();
  readonly domain: SimDomain;
  readonly channels = new Map<string, SimChannel>();
  /** Calls waiting in a group queue (`channel_waiting`), keyed by root uuid. */
  readonly waiting = new Map<string, SimWaiting>();
  /** Occupied park slots → root uuid. */
  readonly parkedSlots = new Map<number, string>();
  readonly legacy: boolean;
  readonly did: string;
  private readonly legsOf = new Map<string, Set<string>>();
  private readonly rootOf = new Map<string, string>();
  /** User legs that carry the call (connected, or the originating phone of an outbound call). */
  private readonly activeLegs = new Set<string>();
  private readonly listeners = new Set<(c: Change) => void>();
  /** `call_user` legs not yet answered → their destination. */
  private readonly originating = new Map<string, string>();
  private lastUs = 0;

  constructor(private readonly opts: ModelOptions) {
    const d = opts.directory;
    this.domain = d.domain;
    for (const u of d.users) this.users.set(u.id, u);
    for (const g of d.groups) this.groups.set(g.id, g);
    for (const m of d.members) this.members.set(m.id, m);
    for (const t of d.terminals) this.terminals.set(t.id, t);
    this.legacy = opts.legacy ?? false;
    this.did = opts.did ?? '0312345000';
  }

  /** Subscribe to changes (called synchronously, in order). Returns the unsubscribe function. */
  onChange(fn: (c: Change) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Current time in µs since the epoch, strictly increasing across calls. */
  nowUs(): number {
    const t = Math.max(Math.floor(this.opts.scheduler.nowMs() * 1000), this.lastUs + 1);
    this.lastUs = t;
    return t;
  }

  private emit(element: ElementKind, record: Change['record'], event: Change['event']): void {
    for (const l of this.listeners) l({ element, record, event });
  }

  // ---- look-ups -------------------------------------------------------------------------

  /** The user by id or name. @throws SimError if unknown. */
  user(ref: number | string): SimUser {
    const u =
      typeof ref === 'number' || /^\d+$/.test(ref)
        ? this.users.get(Number(ref))
        : [...this.users.values()].find((x) => x.name === ref);
    if (!u) throw new SimError(`unknown user ${ref}`);
    return u;
  }

  /** The group by id or name. @throws SimError if unknown. */
  group(ref: number | string): SimGroup {
    const g =
      typeof ref === 'number' || /^\d+$/.test(ref)
        ? this.groups.get(Number(ref))
        : [...this.groups.values()].find((x) => x.name === ref);
    if (!g) throw new SimError(`unknown group ${ref}`);
    return g;
  }

  /** The live channel. @throws SimError if unknown. */
  channel(uuid: string): SimChannel {
    const c = this.channels.get(uuid);
    if (!c) throw new SimError(`unknown channel ${uuid}`);
    return c;
  }

  /** The root (external party) leg of the call `uuid` belongs to. @throws SimError if unknown. */
  root(uuid: string): SimChannel {
    this.channel(uuid);
    return this.channel(this.rootOf.get(uuid) ?? uuid);
  }

  /** User legs of a root. */
  legs(rootUuid: string): SimChannel[] {
    return [...(this.legsOf.get(rootUuid) ?? [])].map((u) => this.channels.get(u)!).filter(Boolean);
  }

  /** true if the user has any live leg (ringing or connected). */
  isBusy(userId: number): boolean {
    for (const c of this.channels.values()) if (c.userId === userId) return true;
    return false;
  }

  /** Users who can take a call now: present (0), no DND, registered, not on a call. */
  isAvailable(userId: number): boolean {
    const u = this.users.get(userId);
    if (!u || u.presence !== 0 || u.dnd === 1) return false;
    return !this.isBusy(userId);
  }

  /** Logged-in members of a group who are available, in priority order. */
  freeMembers(groupId: number): number[] {
    return [...this.members.values()]
      .filter((m) => m.groupId === groupId && m.loginStatus === 1 && this.isAvailable(m.userId))
      .sort((a, b) => a.priority - b.priority)
      .map((m) => m.userId);
  }

  /**
   * Where `parkerRef` would park now: the first free slot of the user's park group, then 997–999
   * (park-slots.ts); undefined when all are taken. Without a parker: park group 0.
   * @throws SimError for an unknown user.
   */
  freeSlot(parkerRef?: number | string): number | undefined {
    const pg = parkerRef === undefined ? 0 : this.user(parkerRef).parkGroup;
    return pickParkSlot(Number.isInteger(pg) && pg >= 0 && pg <= 31 ? pg : 0, this.parkedSlots);
  }

  /** Parked calls as `channel_waiting` records (state `park`), as newer servers send them (PROTOCOL.md Corrections). */
  parkedWaiting(): SimWaiting[] {
    return [...this.parkedSlots.values()].map((u) => this.waitingOf(this.channel(u)));
  }

  // ---- records ---------------------------------------------------------------------------

  private addChannel(c: SimChannel): SimChannel {
    this.channels.set(c.uuid, c);
    this.emit('channel', c, 'added');
    return c;
  }

  private updateChannel(c: SimChannel, lastEvent: string): void {
    c.lastEvent = lastEvent;
    this.emit('channel', c, 'updated');
  }

  private groupState(g: SimGroup, ts: number): ChannelState {
    const target: CallingTarget =
      g.type === 0
        ? { type: 'group', groupType: 'ring', groupId: g.id, queueId: g.name }
        : { type: 'group', groupType: 'hunt', groupId: g.id };
    return { name: 'calling', ts, targetLocation: 'int', target };
  }

  private waitingOf(root: SimChannel): SimWaiting {
    return {
      uuid: root.uuid,
      state: root.state,
      peerNumber: root.callingNumber,
      endUser: root.endUser,
      callingName: root.callingName,
      groupId: root.state.name === 'calling' && root.state.target.type === 'group' ? root.state.target.groupId : root.groupId,
    };
  }

  // ---- calls -----------------------------------------------------------------------------

  /**
   * An external caller dials the company. Rings a group (`to.group`, the call stays in state
   * `calling group` until answered or queued) or a user (`to.user`, a ringing user leg is added).
   * @returns the root leg.
   * @throws SimError on unknown group/user.
   */
  /**
   * The number an outside caller dialled to reach an extension: the PBX's DID block (the
   * domain DID without its last four digits) + the 4-digit extension, e.g. `0312345000` and
   * group extension `1111` → `0312341111`. Other extensions get the main DID.
   */
  didOf(extension: string): string {
    return /^\d{4}$/.test(extension) && /^\d{6,}$/.test(this.did) ? `${this.did.slice(0, -4)}${extension}` : this.did;
  }

  inboundCall(p: {
    from: string;
    callingName?: string;
    endUser?: string;
    to: { group: number | string } | { user: number | string };
    /** Backdate the offer (µs), for calls already in progress at start. */
    offerTs?: number;
    uuid?: string;
  }): SimChannel {
    const now = this.nowUs();
    const ts = p.offerTs ?? now;
    const uuid = p.uuid ?? this.opts.rng.uuid();
    if (this.channels.has(uuid)) throw new SimError(`channel ${uuid} exists`);
    let state: ChannelState;
    let target: SimChannel['target'];
    let called: string;
    if ('group' in p.to) {
      const g = this.group(p.to.group);
      state = this.groupState(g, ts);
      called = this.didOf(g.mainExtension);
      target = { type: 'group', id: g.id, name: g.name, address: called };
    } else {
      const u = this.user(p.to.user);
      state = { name: 'calling', ts, targetLocation: 'int', target: { type: 'user', userId: u.id } };
      called = this.didOf(u.mainExtension);
      target = { type: 'user', id: u.id, name: u.name, address: called };
    }
    const root = this.addChannel({
      uuid,
      callId: `${this.opts.rng.uuid()}@sim.invalid`,
      direction: 'inbound',
      peerLocation: 'external',
      callingName: p.callingName ?? p.from,
      callingNumber: p.from,
      calledNumber: called,
      offerTs: ts,
      state,
      target,
      endUser: p.endUser,
      lastEvent: 'CHANNEL_CREATE',
    });
    this.legsOf.set(uuid, new Set());
    if ('user' in p.to) this.ringUser(uuid, this.user(p.to.user).id);
    return root;
  }

  /**
   * Ring a user for the call `uuid` (root or any leg): adds a ringing user leg. When the root is
   * not ringing a group, its state becomes `calling user`.
   * @param how `calledNumber` of the new leg (default the user's extension); `ringing` gives it
   *   state `{Ts, ringing}` instead of `calling user` (a park ring-back).
   * @throws SimError if the call or user is unknown or the user already rings for this call.
   */
  ringUser(uuid: string, userRef: number | string, how: { calledNumber?: string; ringing?: boolean } = {}): SimChannel {
    const root = this.root(uuid);
    const u = this.user(userRef);
    if (this.legs(root.uuid).some((l) => l.userId === u.id)) throw new SimError(`user ${u.name} is already on this call`);
    const now = this.nowUs();
    const inGroup = root.state.name === 'calling' && root.state.target.type === 'group';
    if (!inGroup) {
      this.leaveParkAndQueue(root);
      root.state = { name: 'calling', ts: now, targetLocation: 'int', target: { type: 'user', userId: u.id } };
      this.updateChannel(root, 'STATE_CHANGE');
    }
    const gid = inGroup && root.state.name === 'calling' && root.state.target.type === 'group' ? root.state.target.groupId : undefined;
    const leg = this.addChannel({
      uuid: this.opts.rng.uuid(),
      callId: `${this.opts.rng.uuid()}@sim.invalid`,
      direction: 'outbound',
      peerLocation: 'internal',
      callingName: root.callingName,
      callingNumber: root.callingNumber,
      calledNumber: how.calledNumber ?? u.mainExtension,
      offerTs: now,
      otherUuid: root.uuid,
      userId: u.id,
      state: how.ringing ? { name: 'ringing', ts: now } : { name: 'calling', ts: now, targetLocation: 'int', target: { type: 'user', userId: u.id } },
      groupId: gid,
      endUser: root.endUser,
      lastEvent: 'CHANNEL_CREATE',
      otherInfo: {
        type: 'end_user',
        endUser: root.endUser,
        direction: root.direction,
        peerLocation: 'external',
        address: root.direction === 'inbound' ? root.callingNumber : root.calledNumber,
        offerTs: root.offerTs,
        groupId: gid,
      },
    });
    this.legsOf.get(root.uuid)!.add(leg.uuid);
    this.rootOf.set(leg.uuid, root.uuid);
    return leg;
  }

  /**
   * Put the call in its group's ring queue (`channel_waiting` added; legacy also `queued_channel`).
   * Ringing user legs are cancelled. `groupRef` defaults to the group the call rings.
   * @throws SimError if no group is known for the call, or it is already queued.
   */
  queue(uuid: string, groupRef?: number | string): SimWaiting {
    const root = this.root(uuid);
    if (this.waiting.has(root.uuid)) throw new SimError(`call ${root.uuid} is already queued`);
    const g =
      groupRef !== undefined
        ? this.group(groupRef)
        : root.state.name === 'calling' && root.state.target.type === 'group'
          ? this.group(root.state.target.groupId)
          : root.target?.type === 'group'
            ? this.group(root.target.id)
            : undefined;
    if (!g) throw new SimError(`call ${root.uuid} has no group to queue in`);
    this.leaveParkAndQueue(root);
    for (const l of this.legs(root.uuid)) this.hangupLeg(l, 'send_cancel,ORIGINATOR_CANCEL');
    const ts = this.nowUs();
    root.state = this.groupState(g, ts);
    this.updateChannel(root, 'STATE_CHANGE');
    const w = this.waitingOf(root);
    this.waiting.set(root.uuid, w);
    this.emit('channel_waiting', w, 'added');
    if (this.legacy) this.emit('queued_channel', w, 'added');
    return w;
  }

  private leaveQueue(root: SimChannel): void {
    const w = this.waiting.get(root.uuid);
    if (!w) return;
    this.waiting.delete(root.uuid);
    this.emit('channel_waiting', w, 'removed');
    if (this.legacy) this.emit('queued_channel', w, 'removed');
  }

  private leavePark(root: SimChannel): void {
    if (root.state.name !== 'park') return;
    const slot = root.state.slot;
    if (this.parkedSlots.get(slot) !== root.uuid) return; // already left (state not yet changed)
    this.parkedSlots.delete(slot);
    const w = this.waitingOf(root);
    this.emit('channel_waiting', w, 'removed');
    if (this.legacy) this.emit('parked_channel', w, 'removed');
  }

  private leaveParkAndQueue(root: SimChannel): void {
    this.leaveQueue(root);
    this.leavePark(root);
  }

  /**
   * A user answers (or picks up) the call: the user's ringing leg — or a new leg — is bridged to
   * the root; other ringing legs are cancelled (`send_cancel,LOSE_RACE`); queue/park left.
   * @throws SimError if unknown, or the call is already connected to this user.
   */
  answer(uuid: string, userRef: number | string): SimChannel {
    const root = this.root(uuid);
    const u = this.user(userRef);
    const connected = root.state.name === 'bridged' && root.otherUuid && this.channels.get(root.otherUuid)?.userId === u.id;
    if (connected) throw new SimError(`call is already connected to ${u.name}`);
    const wasGroup = root.state.name === 'calling' && root.state.target.type === 'group' ? root.state.target.groupId : undefined;
    this.leaveParkAndQueue(root);
    let leg = this.legs(root.uuid).find((l) => l.userId === u.id);
    for (const l of this.legs(root.uuid)) if (l !== leg) this.hangupLeg(l, this.activeLegs.has(l.uuid) ? 'recv_bye,NORMAL_CLEARING' : 'send_cancel,LOSE_RACE');
    if (!leg) {
      // ring-less: create and connect in one go (pickup from park or queue)
      leg = this.ringUser(root.uuid, u.id);
    }
    const now = this.nowUs();
    leg.state = { name: 'bridged', ts: now };
    leg.answerTs = now;
    leg.groupId = leg.groupId ?? wasGroup;
    this.activeLegs.add(leg.uuid);
    this.updateChannel(leg, 'CHANNEL_BRIDGE');
    root.state = { name: 'bridged', ts: now };
    root.answerTs = root.answerTs ?? now;
    root.otherUuid = leg.uuid;
    root.lastBridgedUserId = u.id;
    root.groupId = root.groupId ?? wasGroup;
    root.otherInfo = {
      type: 'user',
      userId: u.id,
      direction: 'outbound',
      peerLocation: 'internal',
      address: u.mainExtension,
      offerTs: leg.offerTs,
      groupId: leg.groupId,
    };
    this.updateChannel(root, 'CHANNEL_BRIDGE');
    return leg;
  }

  /**
   * Park the call on a slot (unless `slot` is given: the first free one of the parker's park group,
   * then 997–999, park-slots.ts). Its user legs hang up (`recv_bye,NORMAL_CLEARING`); the root gets
   * state `park` with slot, parker id and name; a `channel_waiting` record (same uuid, state `park`)
   * is added as newer servers do (PROTOCOL.md Corrections); legacy also `parked_channel` added.
   * @returns the slot.
   * @throws SimError if unknown, already parked, slot not 901–999 or occupied, or no slot free.
   */
  park(uuid: string, parkerRef: number | string, slot?: number): number {
    const root = this.root(uuid);
    const parker = this.user(parkerRef);
    if (root.state.name === 'park') throw new SimError(`call is already parked on ${root.state.slot}`);
    const s = slot ?? this.freeSlot(parker.id);
    if (s === undefined) throw new SimError(`no free park slot for park group ${parker.parkGroup}`);
    if (!isParkSlot(s)) throw new SimError(`park slot ${s} is outside 901-999`);
    if (this.parkedSlots.has(s)) throw new SimError(`park slot ${s} is occupied`);
    this.leaveQueue(root);
    for (const l of this.legs(root.uuid))
      this.hangupLeg(l, this.activeLegs.has(l.uuid) ? 'recv_bye,NORMAL_CLEARING' : 'send_cancel,ORIGINATOR_CANCEL');
    root.state = { name: 'park', ts: this.nowUs(), slot: s, parkerId: parker.id, parkerName: parker.name };
    root.otherUuid = undefined;
    root.otherInfo = undefined;
    this.parkedSlots.set(s, root.uuid);
    this.updateChannel(root, 'CHANNEL_PARK');
    const w = this.waitingOf(root);
    this.emit('channel_waiting', w, 'added');
    if (this.legacy) this.emit('parked_channel', w, 'added');
    return s;
  }

  /**
   * Blind transfer: the connected user leg hangs up (`recv_bye,NORMAL_CLEARING`), the root rings
   * the target user (state `calling user`, new ringing leg).
   * @throws SimError if unknown, or the target is already on this call.
   */
  transfer(uuid: string, toUserRef: number | string): SimChannel {
    const root = this.root(uuid);
    const u = this.user(toUserRef);
    this.leaveParkAndQueue(root);
    for (const l of this.legs(root.uuid))
      this.hangupLeg(l, this.activeLegs.has(l.uuid) ? 'recv_bye,NORMAL_CLEARING' : 'send_cancel,ORIGINATOR_CANCEL');
    root.otherUuid = undefined;
    root.otherInfo = undefined;
    root.state = { name: 'calling', ts: this.nowUs(), targetLocation: 'int', target: { type: 'user', userId: u.id } };
    this.updateChannel(root, 'STATE_CHANGE');
    return this.ringUser(root.uuid, u.id);
  }

  /**
   * Send the call to a voicemail box (ringing legs cancelled with `send_cancel,NO_ANSWER`).
   * The message counts (MWI new + 1) when the caller hangs up in this state.
   * @throws SimError if unknown.
   */
  voicemail(uuid: string, target: { user: number | string } | { group: number | string }): void {
    const root = this.root(uuid);
    this.leaveParkAndQueue(root);
    for (const l of this.legs(root.uuid))
      this.hangupLeg(l, this.activeLegs.has(l.uuid) ? 'recv_bye,NORMAL_CLEARING' : 'send_cancel,NO_ANSWER');
    const t = 'user' in target ? this.user(target.user) : this.group(target.group);
    root.otherUuid = undefined;
    root.otherInfo = undefined;
    root.state = { name: 'voicemail', ts: this.nowUs(), targetType: 'user' in target ? 'user' : 'group', targetId: t.id, targetName: t.name };
    this.updateChannel(root, 'STATE_CHANGE');
  }

  /**
   * A user dials an external number: the user's leg (`direction` inbound from the phone, `user_id`
   * set) and the PSTN leg (root, `direction` outbound, `peer_location` external), both `calling pstn`.
   * @returns the root (PSTN) leg; connect it with {@link PbxModel.connectOutbound}.
   */
  outboundCall(userRef: number | string, to: string): SimChannel {
    const u = this.user(userRef);
    const now = this.nowUs();
    const state: ChannelState = { name: 'calling', ts: now, targetLocation: 'ext', target: { type: 'pstn', address: to } };
    const rootUuid = this.opts.rng.uuid();
    const legUuid = this.opts.rng.uuid();
    const leg = this.addChannel({
      uuid: legUuid,
      callId: `${this.opts.rng.uuid()}@sim.invalid`,
      direction: 'inbound',
      peerLocation: 'internal',
      callingName: u.label,
      callingNumber: u.mainExtension,
      calledNumber: to,
      offerTs: now,
      otherUuid: rootUuid,
      userId: u.id,
      state,
      lastEvent: 'CHANNEL_CREATE',
    });
    const root = this.addChannel({
      uuid: rootUuid,
      callId: `${rootUuid}`,
      direction: 'outbound',
      peerLocation: 'external',
      callingName: u.label,
      callingNumber: this.did,
      calledNumber: to,
      offerTs: now,
      otherUuid: legUuid,
      state: { ...state },
      lastEvent: 'CHANNEL_CREATE',
      lastBridgedUserId: u.id,
      otherInfo: { type: 'user', userId: u.id, direction: 'inbound', peerLocation: 'internal', address: u.mainExtension, offerTs: now },
    });
    leg.otherInfo = { type: 'end_user', direction: 'outbound', peerLocation: 'external', address: to, offerTs: now };
    this.legsOf.set(rootUuid, new Set([legUuid]));
    this.rootOf.set(legUuid, rootUuid);
    this.activeLegs.add(legUuid);
    return root;
  }

  /** The called party of an outbound call answers: both legs bridged. @throws SimError if not a ringing outbound call. */
  connectOutbound(uuid: string): void {
    const root = this.root(uuid);
    if (root.direction !== 'outbound' || root.state.name !== 'calling') throw new SimError('not a ringing outbound call');
    const now = this.nowUs();
    for (const c of [root, ...this.legs(root.uuid)]) {
      c.state = { name: 'bridged', ts: now };
      c.answerTs = now;
      this.updateChannel(c, 'CHANNEL_BRIDGE');
    }
  }

  /**
   * Hang up a leg with disposition `cause` (`SIDE,CAUSE`). A root, or a user leg that carries the
   * call, ends the whole call: the other legs get the mirrored side (`recv_*` → `send_*`). A merely
   * ringing user leg ends alone. Each ended leg is sent once as `removed` with
   * `last_event` `CHANNEL_HANGUP`, `hangup_timestamp` and `last_event_data`.
   * A root hung up in state `voicemail` leaves a message (MWI new + 1).
   * @throws SimError if unknown.
   */
  hangup(uuid: string, cause: HangupCause = 'send_bye,NORMAL_CLEARING'): void {
    const c = this.channel(uuid);
    const rootUuid = this.rootOf.get(uuid);
    const mirrored = cause.replace(/^recv_/, 'send_');
    if (rootUuid !== undefined && !this.activeLegs.has(uuid)) {
      this.hangupLeg(c, cause);
      return;
    }
    const root = rootUuid !== undefined ? this.channel(rootUuid) : c;
    for (const l of this.legs(root.uuid)) if (l !== c) this.hangupLeg(l, l.state.name === 'bridged' || this.activeLegs.has(l.uuid) ? mirrored : mirrored.replace('_bye,', '_cancel,'));
    if (root.state.name === 'voicemail') {
      const box = root.state.targetType === 'user' ? this.users.get(root.state.targetId) : this.groups.get(root.state.targetId);
      if (box && box.hasBox) {
        box.mwiNew += 1;
        this.emit(root.state.targetType === 'user' ? 'user' : 'group', box, 'updated');
      }
    }
    this.leaveParkAndQueue(root);
    this.hangupLeg(root, root === c ? cause : mirrored);
    if (c !== root) this.hangupLeg(c, cause);
  }

  private hangupLeg(c: SimChannel, cause: HangupCause): void {
    if (!this.channels.has(c.uuid)) return;
    this.channels.delete(c.uuid);
    c.hangupTs = this.nowUs();
    c.lastEvent = 'CHANNEL_HANGUP';
    c.lastEventData = cause;
    const r = this.rootOf.get(c.uuid);
    if (r !== undefined) {
      this.legsOf.get(r)?.delete(c.uuid);
      this.rootOf.delete(c.uuid);
      const root = this.channels.get(r);
      if (root && root.otherUuid === c.uuid && root.state.name !== 'bridged') root.otherUuid = undefined;
    } else {
      this.legsOf.delete(c.uuid);
    }
    this.activeLegs.delete(c.uuid);
    this.originating.delete(c.uuid);
    this.emit('channel', c, 'removed');
  }

  /**
   * Park timeout: the parked call rings its parker again. The parker's ringing leg has
   * `called_number` `RINGING_PARK_<slot>` and state `{Ts, ringing}`, as the vendor's webphone
   * expects of a park ring-back (PROTOCOL.md Corrections); the caller leg is `calling` the parker.
   * @throws SimError if not parked.
   */
  ringBack(uuid: string): SimChannel {
    const root = this.root(uuid);
    if (root.state.name !== 'park') throw new SimError('call is not parked');
    const { parkerId: parker, slot } = root.state;
    this.leavePark(root);
    root.state = { name: 'calling', ts: this.nowUs(), targetLocation: 'int', target: { type: 'user', userId: parker } };
    this.updateChannel(root, 'STATE_CHANGE');
    return this.ringUser(root.uuid, parker, { calledNumber: `RINGING_PARK_${slot}`, ringing: true });
  }

  // ---- call_user (click to call, pickup) -----------------------------------------------------

  /**
   * What a `call_user` destination names (PROTOCOL.md "HTTP API", Corrections):
   * `pickup_uuid.<channel uuid>` → a ringing, queued or parked call to pick up; a user's name,
   * extension or id → that user; other digits (`+`, `*`, `#` allowed, 2–20) → a PSTN number.
   * @throws SimError `destination_not_found` (unknown or not pickable call, empty, or not a number).
   */
  resolveDestination(dest: string): { kind: 'pickup'; rootUuid: string } | { kind: 'user'; userId: number } | { kind: 'pstn'; address: string } {
    const d = dest.trim();
    if (d.startsWith('pickup_uuid.')) {
      const uuid = d.slice('pickup_uuid.'.length);
      const c = this.channels.get(uuid);
      if (!c) throw new SimError('destination_not_found');
      const root = this.root(uuid);
      const pickable = root.state.name === 'park' || this.waiting.has(root.uuid) || (root.state.name === 'calling' && root.direction === 'inbound');
      if (!pickable) throw new SimError('destination_not_found');
      return { kind: 'pickup', rootUuid: root.uuid };
    }
    for (const u of this.users.values()) if (u.name === d || u.mainExtension === d || String(u.id) === d) return { kind: 'user', userId: u.id };
    if (/^\+?[0-9*#]{2,20}$/.test(d)) return { kind: 'pstn', address: d };
    throw new SimError('destination_not_found');
  }

  /**
   * The first half of `call_user`: the PBX rings the user's own phone (a `channel` with `user_id`,
   * `calling user`, `calling_number` the destination). Connect it with {@link PbxModel.connectOriginate}
   * once the phone answers.
   * @throws SimError for an unknown user.
   */
  originate(userRef: number | string, p: { destination: string; callingName?: string }): SimChannel {
    const u = this.user(userRef);
    const now = this.nowUs();
    const c = this.addChannel({
      uuid: this.opts.rng.uuid(),
      callId: `${this.opts.rng.uuid()}@sim.invalid`,
      direction: 'outbound',
      peerLocation: 'internal',
      callingName: p.callingName ?? p.destination,
      callingNumber: p.destination,
      calledNumber: u.mainExtension,
      offerTs: now,
      userId: u.id,
      state: { name: 'calling', ts: now, targetLocation: 'int', target: { type: 'user', userId: u.id } },
      // the README: "if this was created by Basix API call, it will contain details about the method
      // call"; which details is not documented: the method and the destination, percent-encoded parts
      origination: ['call_user', p.destination].map(encodeURIComponent).join('*'),
      lastEvent: 'CHANNEL_CREATE',
    });
    this.legsOf.set(c.uuid, new Set());
    this.originating.set(c.uuid, p.destination);
    return c;
  }

  /** Is `uuid` a `call_user` leg still ringing the user's phone? */
  isOriginating(uuid: string): boolean {
    return this.originating.has(uuid);
  }

  /**
   * The user answered a `call_user` call (`origUuid`, from {@link PbxModel.originate}): now call
   * `dest`. A pickup bridges the user's leg to the picked call (other ringing legs end with
   * `send_cancel,PICKED_OFF`; the park slot or queue place is freed); a user destination rings
   * that user; a PSTN number gets an external leg `calling pstn` (answer it with `connect`).
   * @param dest default: the destination given to {@link PbxModel.originate}.
   * @throws SimError if the call is gone, not a `call_user` call, already connected, or the
   *   destination is not (or no longer) reachable.
   */
  connectOriginate(origUuid: string, dest?: string): void {
    const orig = this.channel(origUuid);
    const given = this.originating.get(origUuid);
    if (given === undefined) throw new SimError(`${origUuid} is not a call_user call waiting for its answer`);
    this.originating.delete(origUuid);
    dest ??= given;
    const u = this.user(orig.userId!);
    const d = this.resolveDestination(dest);
    const now = this.nowUs();
    orig.answerTs = now;
    if (d.kind === 'user') {
      if (d.userId === u.id) throw new SimError('destination_not_found');
      this.ringUser(orig.uuid, d.userId);
      return;
    }
    this.legsOf.delete(orig.uuid);
    let root: SimChannel;
    if (d.kind === 'pickup') {
      root = this.channel(d.rootUuid);
      this.leaveParkAndQueue(root);
      for (const l of this.legs(root.uuid)) this.hangupLeg(l, this.activeLegs.has(l.uuid) ? 'recv_bye,NORMAL_CLEARING' : 'send_cancel,PICKED_OFF');
      root.state = { name: 'bridged', ts: now };
      root.answerTs = root.answerTs ?? now;
      orig.state = { name: 'bridged', ts: now };
    } else {
      const state: ChannelState = { name: 'calling', ts: now, targetLocation: 'ext', target: { type: 'pstn', address: d.address } };
      root = this.addChannel({
        uuid: this.opts.rng.uuid(),
        callId: `${this.opts.rng.uuid()}@sim.invalid`,
        direction: 'outbound',
        peerLocation: 'external',
        callingName: u.label,
        callingNumber: this.did,
        calledNumber: d.address,
        offerTs: now,
        state,
        lastEvent: 'CHANNEL_CREATE',
      });
      this.legsOf.set(root.uuid, new Set());
      orig.state = { ...state };
    }
    this.legsOf.get(root.uuid)!.add(orig.uuid);
    this.rootOf.set(orig.uuid, root.uuid);
    this.activeLegs.add(orig.uuid);
    orig.otherUuid = root.uuid;
    orig.otherInfo = {
      type: 'end_user',
      endUser: root.endUser,
      direction: root.direction,
      peerLocation: 'external',
      address: root.direction === 'inbound' ? root.callingNumber : root.calledNumber,
      offerTs: root.offerTs,
    };
    this.updateChannel(orig, d.kind === 'pickup' ? 'CHANNEL_BRIDGE' : 'CHANNEL_ANSWER');
    root.otherUuid = orig.uuid;
    root.lastBridgedUserId = u.id;
    root.otherInfo = { type: 'user', userId: u.id, direction: 'outbound', peerLocation: 'internal', address: u.mainExtension, offerTs: orig.offerTs };
    this.updateChannel(root, d.kind === 'pickup' ? 'CHANNEL_BRIDGE' : 'STATE_CHANGE');
  }

  // ---- directory changes -------------------------------------------------------------------

  /** Set a user's presence code (0..3, ARCHITECTURE.md). @throws SimError if unknown or not an integer. */
  setPresence(userRef: number | string, presence: number): void {
    if (!Number.isInteger(presence)) throw new SimError('presence must be an integer');
    const u = this.user(userRef);
    u.presence = presence;
    this.emit('user', u, 'updated');
    for (const t of this.terminals.values())
      if (t.assocUserId === u.id && t.registered !== (presence !== 3)) {
        t.registered = presence !== 3;
        this.emit('terminal', t, 'updated');
      }
  }

  /** Turn DND on/off. @throws SimError if unknown. */
  setDnd(userRef: number | string, on: boolean): void {
    const u = this.user(userRef);
    u.dnd = on ? 1 : 0;
    this.emit('user', u, 'updated');
  }

  /**
   * Set voicemail counters from an MWI string `NEW/SAVED` or `NEW/SAVED (UNEW/USAVED)`; `''` means no box.
   * @throws SimError on a malformed string or a negative counter.
   */
  setMwi(userRef: number | string, mwi: string): void {
    const u = this.user(userRef);
    if (mwi === '') {
      u.hasBox = false;
      u.mwiNew = u.mwiSaved = u.mwiUrgentNew = u.mwiUrgentSaved = 0;
    } else {
      const m = /^(\d+)\/(\d+)(?: \((\d+)\/(\d+)\))?$/.exec(mwi);
      if (!m) throw new SimError(`malformed mwi "${mwi}" (expected NEW/SAVED or NEW/SAVED (UNEW/USAVED))`);
      u.hasBox = true;
      u.mwiNew = Number(m[1]);
      u.mwiSaved = Number(m[2]);
      u.mwiUrgentNew = Number(m[3] ?? 0);
      u.mwiUrgentSaved = Number(m[4] ?? 0);
    }
    this.emit('user', u, 'updated');
  }

  /** The user listens to a new message: new − 1, saved + 1 (no-op when none is new). */
  readVoicemail(userRef: number | string): void {
    const u = this.user(userRef);
    if (u.mwiNew <= 0) return;
    u.mwiNew -= 1;
    u.mwiSaved += 1;
    if (u.mwiUrgentNew > u.mwiNew) {
      u.mwiUrgentNew -= 1;
      u.mwiUrgentSaved += 1;
    }
    this.emit('user', u, 'updated');
  }

  /** Log a user in/out of a group. @throws SimError if not a member. */
  setMemberLogin(groupRef: number | string, userRef: number | string, on: boolean): void {
    const g = this.group(groupRef);
    const u = this.user(userRef);
    const m = [...this.members.values()].find((x) => x.groupId === g.id && x.userId === u.id);
    if (!m) throw new SimError(`${u.name} is not a member of ${g.name}`);
    m.loginStatus = on ? 1 : 0;
    this.emit('group_member', m, 'updated');
  }

  /**
   * Check the model's invariants. Returns the violations (empty when all hold): no call both
   * parked and queued; parked calls' slots are distinct, in range and recorded; parkers are real
   * users; MWI counters ≥ 0; every leg's root exists; waiting records belong to live roots.
   */
  checkInvariants(): string[] {
    const out: string[] = [];
    const seenSlots = new Set<number>();
    for (const c of this.channels.values()) {
      if (c.state.name === 'park') {
        if (this.waiting.has(c.uuid)) out.push(`${c.uuid} parked and queued`);
        if (seenSlots.has(c.state.slot)) out.push(`slot ${c.state.slot} double-occupied`);
        seenSlots.add(c.state.slot);
        if (this.parkedSlots.get(c.state.slot) !== c.uuid) out.push(`slot ${c.state.slot} not recorded for ${c.uuid}`);
        if (!isParkSlot(c.state.slot)) out.push(`slot ${c.state.slot} out of range`);
        const p = this.users.get(c.state.parkerId);
        if (!p || p.name !== c.state.parkerName) out.push(`${c.uuid} parked by unknown user ${c.state.parkerId}`);
      }
      const r = this.rootOf.get(c.uuid);
      if (r !== undefined && !this.channels.has(r)) out.push(`${c.uuid} has a dead root ${r}`);
      // PROTOCOL.md other_info: OfferTimestamp is the other leg's offer_timestamp
      const other = c.otherUuid === undefined ? undefined : this.channels.get(c.otherUuid);
      if (other !== undefined && c.otherInfo !== undefined && c.otherInfo.offerTs !== other.offerTs)
        out.push(`${c.uuid} other_info offer_timestamp ${c.otherInfo.offerTs}, its other leg's is ${other.offerTs}`);
    }
    for (const [slot, uuid] of this.parkedSlots) {
      const c = this.channels.get(uuid);
      if (!c || c.state.name !== 'park' || c.state.slot !== slot) out.push(`slot ${slot} records ${uuid} which is not parked there`);
    }
    for (const w of this.waiting.values()) if (!this.channels.has(w.uuid)) out.push(`waiting ${w.uuid} has no channel`);
    for (const u of this.users.values())
      if (u.mwiNew < 0 || u.mwiSaved < 0 || u.mwiUrgentNew < 0 || u.mwiUrgentSaved < 0) out.push(`user ${u.name} mwi negative`);
    for (const g of this.groups.values()) if (g.mwiNew < 0 || g.mwiSaved < 0) out.push(`group ${g.name} mwi negative`);
    return out;
  }

  /** The model as plain JSON (for `GET /__sim/state`). */
  toJSON(): unknown {
    return {
      domain: this.domain,
      users: [...this.users.values()],
      groups: [...this.groups.values()],
      members: [...this.members.values()],
      terminals: [...this.terminals.values()],
      channels: [...this.channels.values()],
      waiting: [...this.waiting.values()],
      parked: Object.fromEntries(this.parkedSlots),
    };
  }
}

/** MWI string for a user or group record: `''` without a box, else `NEW/SAVED` plus ` (UNEW/USAVED)` when urgent counters are non-zero. */
export function mwiString(x: SimUser | SimGroup): string {
  if (!x.hasBox) return '';
  const base = `${x.mwiNew}/${x.mwiSaved}`;
  if ('mwiUrgentNew' in x && (x.mwiUrgentNew > 0 || x.mwiUrgentSaved > 0)) return `${base} (${x.mwiUrgentNew}/${x.mwiUrgentSaved})`;
  return base;
}
