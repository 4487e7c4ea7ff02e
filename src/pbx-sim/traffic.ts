/**
 * Random call traffic for the simulated PBX, deterministic for a given seed and scheduler.
 * Inbound calls ring a group or a user, queue when nobody is free, get answered, parked and
 * picked up / abandoned / rung back, transferred, sent to voicemail (MWI changes) or cancelled
 * before answer (`recv_cancel,ORIGINATOR_CANCEL`); users make outbound calls; presence, DND,
 * group logins and voicemail reading change now and then.
 *
 * Every step re-checks the model (a client command or scenario step may have changed the call
 * meanwhile): operations rejected with {@link SimError} are skipped.
 */
import { randomCaller } from './directory.ts';
import { SimError, type PbxModel } from './model.ts';
import type { Rng } from './prng.ts';
import type { Scheduler, TimerHandle } from './scheduler.ts';
import type { SimChannel } from './types.ts';

/** Options of {@link Traffic}. */
export interface TrafficOptions {
  /** Mean arrivals per minute of simulated time (default 4). */
  rate?: number;
}

const S = 1000; // ms per second

/** Random traffic driver. {@link Traffic.prime} fills a lively initial state, {@link Traffic.start} starts arrivals. */
export class Traffic {
  private readonly timers = new Set<TimerHandle>();
  private running = false;
  private readonly rate: number;

  constructor(
    private readonly model: PbxModel,
    private readonly sched: Scheduler,
    private readonly rng: Rng,
    opts: TrafficOptions = {},
  ) {
    this.rate = opts.rate ?? 4;
    if (!(this.rate > 0)) throw new RangeError(`rate must be > 0, got ${this.rate}`);
  }

  /** true while random traffic runs. */
  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Take over a call a client command left ringing a user (transfer, park ring-back): it is
   * answered after a few seconds (or cancelled / sent to voicemail, as random calls are).
   */
  followRinging(uuid: string, userId: number): void {
    if (!this.running) return;
    this.ringOutcome(uuid, () => userId, () => this.toVoicemail(uuid, userId));
  }

  /** Run `fn` after `ms`, ignoring {@link SimError} (the call changed meanwhile). */
  private after(ms: number, fn: () => void): void {
    const h = this.sched.schedule(ms, () => {
      this.timers.delete(h);
      if (!this.running) return;
      try {
        fn();
      } catch (e) {
        if (!(e instanceof SimError)) throw e;
      }
    });
    this.timers.add(h);
  }

  private alive(uuid: string): SimChannel | undefined {
    return this.model.channels.get(uuid);
  }

  /** Start random arrivals, the queue dispatcher and background changes. */
  start(): void {
    if (this.running) return;
    this.running = true;
    // a demo is lively at once: the first caller rings within seconds
    this.after(this.rng.int(2, 8) * S, () => {
      this.inbound();
      this.nextArrival();
    });
    this.dispatchLoop();
    this.backgroundLoop();
  }

  /** Stop everything this generator scheduled. */
  stop(): void {
    this.running = false;
    for (const h of this.timers) this.sched.cancel(h);
    this.timers.clear();
  }

  /**
   * Fill a lively start (call before clients connect): calls in progress with reception members,
   * callers already queued in group1, two parked calls; timestamps backdated by up to minutes.
   */
  prime(): void {
    const wasRunning = this.running;
    this.running = true;
    const m = this.model;
    const g1 = [...m.groups.values()][0];
    const back = (c: SimChannel, sec: number): void => {
      const d = sec * 1_000_000;
      c.offerTs -= d;
      c.state.ts -= d / 2;
      if (c.answerTs !== undefined) c.answerTs -= d / 2;
    };
    // in progress: answered by free reception members
    for (const uid of m.freeMembers(g1.id).slice(0, 3)) {
      if (uid === 10001001) continue; // keep user1 free for demos
      const c = randomCaller(this.rng);
      const root = m.inboundCall({ from: c.number, callingName: c.callingName, endUser: c.endUser, to: { group: g1.id } });
      const leg = m.answer(root.uuid, uid);
      back(root, this.rng.int(30, 240));
      leg.offerTs = root.answerTs!;
      // each leg's other_info carries the other's offer_timestamp (PROTOCOL.md), backdated with it
      if (leg.otherInfo) leg.otherInfo.offerTs = root.offerTs;
      if (root.otherInfo) root.otherInfo.offerTs = leg.offerTs;
      this.talk(root.uuid, uid, 0);
    }
    // queued callers
    for (let i = 0; i < 2; i++) {
      const c = randomCaller(this.rng);
      const root = m.inboundCall({ from: c.number, callingName: c.callingName, endUser: c.endUser, to: { group: g1.id } });
      m.queue(root.uuid);
      back(root, 20 + i * 45);
      this.waitInQueue(root.uuid, true);
    }
    // parked calls
    const parkers = [...m.users.values()].filter((u) => u.role === 0).slice(1, 3);
    for (const p of parkers) {
      const c = randomCaller(this.rng);
      const root = m.inboundCall({ from: c.number, callingName: c.callingName, endUser: c.endUser, to: { user: p.id } });
      m.answer(root.uuid, p.id);
      m.park(root.uuid, p.id);
      back(root, this.rng.int(60, 200));
      this.parked(root.uuid);
    }
    this.running = wasRunning;
  }

  private nextArrival(): void {
    this.after(this.rng.exp(60 * S / this.rate), () => {
      this.nextArrival();
      if (this.rng.chance(0.8)) this.inbound();
      else this.outbound();
    });
  }

  private pickGroup(): number {
    const gs = [...this.model.groups.values()];
    return this.rng.chance(0.55) ? gs[0].id : this.rng.pick(gs).id;
  }

  /** One inbound call. */
  private inbound(): void {
    const m = this.model;
    const caller = randomCaller(this.rng);
    if (this.rng.chance(0.75)) {
      const gid = this.pickGroup();
      const root = m.inboundCall({ from: caller.number, callingName: caller.callingName, endUser: caller.endUser, to: { group: gid } });
      const free = m.freeMembers(gid).slice(0, 3);
      if (free.length === 0) {
        this.after(this.rng.int(2, 5) * S, () => {
          m.queue(root.uuid);
          this.waitInQueue(root.uuid, false);
        });
        return;
      }
      for (const uid of free) m.ringUser(root.uuid, uid);
      this.ringOutcome(root.uuid, () => this.rng.pick(free), () => {
        m.queue(root.uuid);
        this.waitInQueue(root.uuid, false);
      });
    } else {
      const users = [...m.users.values()];
      const u = this.rng.pick(users);
      const root = m.inboundCall({ from: caller.number, callingName: caller.callingName, endUser: caller.endUser, to: { user: u.id } });
      if (u.dnd === 1 || u.presence !== 0 || m.legs(root.uuid).length === 0 || this.countLegs(u.id) > 1) {
        this.after(this.rng.int(2, 6) * S, () => this.toVoicemail(root.uuid, u.id));
        return;
      }
      this.ringOutcome(root.uuid, () => u.id, () => this.toVoicemail(root.uuid, u.id));
    }
  }

  private countLegs(uid: number): number {
    let n = 0;
    for (const c of this.model.channels.values()) if (c.userId === uid) n++;
    return n;
  }

  /** While ringing: the caller gives up (12%), nobody answers (`onNoAnswer`, 13%), or `who()` answers. */
  private ringOutcome(uuid: string, who: () => number, onNoAnswer: () => void): void {
    const r = this.rng.next();
    const ring = this.rng.int(3, 15) * S;
    this.after(ring, () => {
      if (!this.alive(uuid)) return;
      if (r < 0.12) this.model.hangup(uuid, 'recv_cancel,ORIGINATOR_CANCEL');
      else if (r < 0.25) onNoAnswer();
      else {
        const uid = who();
        this.model.answer(uuid, uid);
        this.talk(uuid, uid, 0);
      }
    });
  }

  private toVoicemail(uuid: string, uid: number): void {
    if (!this.alive(uuid)) return;
    this.model.voicemail(uuid, { user: uid });
    // leave a message (or hang up at the greeting), then the caller hangs up
    this.after(this.rng.int(8, 40) * S, () => {
      if (this.alive(uuid)) this.model.hangup(uuid, 'recv_bye,NORMAL_CLEARING');
    });
  }

  /** A queued caller waits for a free member; some give up after tens of seconds to minutes. */
  private waitInQueue(uuid: string, patient: boolean): void {
    const giveUp = !patient && this.rng.chance(0.35) ? this.rng.int(20, 240) : this.rng.int(300, 600);
    {
      this.after(giveUp * S, () => {
        if (this.model.waiting.has(uuid)) this.model.hangup(uuid, 'recv_cancel,ORIGINATOR_CANCEL');
      });
    }
  }

  /** Every few seconds, hand the longest-waiting callers to free members. */
  private dispatchLoop(): void {
    this.after(this.rng.int(3, 8) * S, () => {
      this.dispatchLoop();
      const m = this.model;
      const waiting = [...m.waiting.values()].sort((a, b) => a.state.ts - b.state.ts);
      for (const w of waiting) {
        if (w.groupId === undefined) continue;
        const free = m.freeMembers(w.groupId);
        if (free.length === 0) continue;
        const uid = free[0];
        try {
          m.ringUser(w.uuid, uid);
        } catch (e) {
          if (e instanceof SimError) continue;
          throw e;
        }
        this.after(this.rng.int(2, 6) * S, () => {
          if (!this.alive(w.uuid)) return;
          m.answer(w.uuid, uid);
          this.talk(w.uuid, uid, 0);
        });
      }
    });
  }

  /** A connected call: park (20%), transfer (10%), or a conversation ending with a hangup by either side. */
  private talk(uuid: string, uid: number, depth: number): void {
    const m = this.model;
    const r = this.rng.next();
    if (r < 0.2 && depth < 2) {
      this.after(this.rng.int(5, 30) * S, () => {
        if (this.alive(uuid)?.state.name !== 'bridged') return;
        if (m.freeSlot(uid) === undefined) return this.endTalk(uuid, uid);
        m.park(uuid, uid);
        this.parked(uuid);
      });
    } else if (r < 0.3 && depth < 2) {
      this.after(this.rng.int(10, 40) * S, () => {
        if (this.alive(uuid)?.state.name !== 'bridged') return;
        const others = [...m.users.values()].filter((u) => u.id !== uid && m.isAvailable(u.id));
        if (others.length === 0) return this.endTalk(uuid, uid);
        const to = this.rng.pick(others).id;
        m.transfer(uuid, to);
        this.ringOutcome(uuid, () => to, () => this.toVoicemail(uuid, to));
      });
    } else this.endTalk(uuid, uid);
  }

  private endTalk(uuid: string, uid: number): void {
    const m = this.model;
    this.after(Math.min(600, 15 + this.rng.exp(80)) * S, () => {
      const root = this.alive(uuid);
      if (!root || root.state.name !== 'bridged') return;
      if (this.rng.chance(0.5)) m.hangup(uuid, 'recv_bye,NORMAL_CLEARING');
      else {
        const leg = m.legs(root.uuid).find((l) => l.userId === uid) ?? m.legs(root.uuid)[0];
        if (leg) m.hangup(leg.uuid, 'recv_bye,NORMAL_CLEARING');
        else m.hangup(uuid, 'recv_bye,NORMAL_CLEARING');
      }
    });
  }

  /** A parked call is picked up (60%), abandoned by the caller (15%) or rings back its parker at timeout. */
  private parked(uuid: string): void {
    const m = this.model;
    const r = this.rng.next();
    const stillParked = (): boolean => this.alive(uuid)?.state.name === 'park';
    if (r < 0.6) {
      this.after(this.rng.int(10, 120) * S, () => {
        if (!stillParked()) return;
        const free = [...m.users.values()].filter((u) => m.isAvailable(u.id));
        if (free.length === 0) return;
        const uid = this.rng.pick(free).id;
        m.answer(uuid, uid);
        this.talk(uuid, uid, 2);
      });
    } else if (r < 0.75) {
      this.after(this.rng.int(20, 200) * S, () => {
        if (stillParked()) m.hangup(uuid, 'recv_bye,NORMAL_CLEARING');
      });
    } else {
      this.after(this.rng.int(90, 150) * S, () => {
        if (!stillParked()) return;
        const root = m.channel(uuid);
        const parker = root.state.name === 'park' ? root.state.parkerId : 0;
        m.ringBack(uuid);
        this.ringOutcome(uuid, () => parker, () => this.toVoicemail(uuid, parker));
      });
    }
  }

  /** One outbound call by an available user. */
  private outbound(): void {
    const m = this.model;
    const free = [...m.users.values()].filter((u) => u.role === 0 && m.isAvailable(u.id));
    if (free.length === 0) return;
    const u = this.rng.pick(free);
    const to = randomCaller(this.rng).number;
    const root = m.outboundCall(u.id, to);
    const userLeg = m.legs(root.uuid)[0];
    this.after(this.rng.int(3, 15) * S, () => {
      if (!this.alive(root.uuid)) return;
      if (this.rng.chance(0.2)) m.hangup(userLeg.uuid, 'recv_cancel,ORIGINATOR_CANCEL');
      else {
        m.connectOutbound(root.uuid);
        this.after(Math.min(600, 10 + this.rng.exp(70)) * S, () => {
          if (this.alive(root.uuid)?.state.name === 'bridged')
            m.hangup(this.rng.chance(0.5) ? root.uuid : userLeg.uuid, 'recv_bye,NORMAL_CLEARING');
        });
      }
    });
  }

  /** Presence, DND, group login and voicemail reading changes, every 10–40 s. */
  private backgroundLoop(): void {
    this.after(this.rng.int(10, 40) * S, () => {
      this.backgroundLoop();
      const m = this.model;
      const users = [...m.users.values()].filter((u) => u.role === 0 && u.id !== 10001001);
      if (users.length === 0) return;
      const u = this.rng.pick(users);
      const r = this.rng.next();
      if (r < 0.45) m.setPresence(u.id, this.rng.pick([0, 0, 0, 1, 2, 3]));
      else if (r < 0.6) m.setDnd(u.id, u.dnd === 0);
      else if (r < 0.8) m.readVoicemail(u.id);
      else {
        const mem = [...m.members.values()].filter((x) => x.userId === u.id);
        if (mem.length > 0) {
          const x = this.rng.pick(mem);
          m.setMemberLogin(x.groupId, x.userId, x.loginStatus === 0);
        }
      }
    });
  }
}

/** Options of {@link LoadTraffic}. */
export interface LoadOptions {
  /** Live channels to hold (default 2000; two per call). */
  channels?: number;
  /** Target events per second (default 500). */
  eventsPerSecond?: number;
}

/**
 * Load mode for benchmarks: keeps about `channels` live channels and emits about
 * `eventsPerSecond` element changes, in 20 ms ticks (call churn plus presence flips).
 */
export class LoadTraffic {
  private handle: TimerHandle | undefined;
  private events = 0;
  private readonly off: () => void;
  private readonly target: number;
  private readonly eps: number;

  constructor(
    private readonly model: PbxModel,
    private readonly sched: Scheduler,
    private readonly rng: Rng,
    opts: LoadOptions = {},
  ) {
    this.target = opts.channels ?? 2000;
    this.eps = opts.eventsPerSecond ?? 500;
    this.off = model.onChange(() => this.events++);
  }

  private newCall(): void {
    const m = this.model;
    const users = [...m.users.keys()];
    const groups = [...m.groups.keys()];
    const c = randomCaller(this.rng);
    const root = m.inboundCall({ from: c.number, callingName: c.callingName, endUser: c.endUser, to: { group: this.rng.pick(groups) } });
    if (this.rng.chance(0.8)) m.answer(root.uuid, this.rng.pick(users));
  }

  /** Fill up to the channel target (before clients connect). */
  prime(): void {
    while (this.model.channels.size < this.target) this.newCall();
  }

  /** Start the 20 ms ticks; the event budget is cumulative, so timer drift does not lower the rate. */
  start(): void {
    const startMs = this.sched.nowMs();
    const base = this.events;
    const tick = (): void => {
      this.handle = this.sched.schedule(20, tick);
      const budget = base + Math.floor(((this.sched.nowMs() - startMs) * this.eps) / 1000);
      const m = this.model;
      const userIds = [...m.users.keys()];
      let guard = 0;
      while (this.events < budget && guard++ < this.eps) {
        try {
          const r = this.rng.next();
          if (r < 0.3 && m.channels.size > 0) {
            const roots = [...m.channels.values()].filter((c) => c.peerLocation === 'external');
            if (roots.length > 0) m.hangup(this.rng.pick(roots).uuid, 'recv_bye,NORMAL_CLEARING');
          } else if (r < 0.5 || m.channels.size < this.target) this.newCall();
          else m.setPresence(this.rng.pick(userIds), this.rng.int(0, 3));
        } catch (e) {
          if (!(e instanceof SimError)) throw e;
        }
      }
    };
    this.handle = this.sched.schedule(20, tick);
  }

  /** Stop ticking. */
  stop(): void {
    this.sched.cancel(this.handle);
    this.off();
  }
}
