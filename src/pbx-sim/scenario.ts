/**
 * Scripted scenario steps, for tests and demos: `--scenario FILE` (a JSON array of steps, or
 * `{"steps": [...]}`), `PBX_SIM_SCENARIO`, or `POST /__sim/scenario` `{steps}`.
 * Steps run in order; `wait` advances by simulated time. Calls are named by the `id` given when
 * they are created (or their uuid); users by name (`user1`) or id (10001001); groups by name
 * (`group1`) or id (10001111).
 *
 * | op | fields | effect |
 * | --- | --- | --- |
 * | `inbound_call` (alias `incoming_call`) | `id`/`uuid`, `from` (alias `calling_number`, `callingNumber`), `calling_name`, `end_user`, `to_group` (alias `group`, `group_id`, `groupId`) or `to_user` (alias `user`, `user_id`, `userId`), `queue` (bool: queue at once) | an external caller rings a group (state `calling group`) or a user (ringing user leg) |
 * | `ring` | `call`, `user` | a user's terminal rings for the call |
 * | `answer` (alias `pickup`) | `call`, `user` | the user answers / picks up (from ringing, queue or park) |
 * | `queue` | `call`, `group`? | the call waits in the group's queue (`channel_waiting`) |
 * | `park` | `call`, `by`, `slot`?, `timeout`? (s) | parked on `slot` (default the first free one of `by`'s park group, then 997–999) by user `by`; also a `channel_waiting` with state `park`; with `timeout`, rings back after that simulated time |
 * | `ring_back` | `call` | a parked call rings its parker again now (park timeout): the parker's leg has `called_number` `RINGING_PARK_<slot>`, state `ringing` |
 * | `call_user` | `id`?, `user`, `destination` (`pickup_uuid.<uuid or call id>`, a user, a number), `auto_answer`? | as `POST /basix/api/call_user`: the user's phone rings (a channel with its `user_id`); with `auto_answer` it answers at once and the destination is called / picked up |
 * | `phone_answer` | `call` (a `call_user` id) | the user's phone answers the `call_user` call: the destination is called / picked up |
 * | `transfer` | `call`, `to` | blind transfer: rings user `to` |
 * | `voicemail` | `call`, `user` or `group` | the caller reaches a voicemail box (MWI + 1 when they hang up) |
 * | `hangup` | `call`, `cause`? (`SIDE,CAUSE`, default `recv_bye,NORMAL_CLEARING`), `leg`? (`user` to hang up the user's leg) | the call ends |
 * | `outbound_call` | `id`, `user`, `to` | a user dials out (`calling pstn`) |
 * | `connect` | `call` | the called party of an outbound call answers |
 * | `set_mwi` | `user`, `mwi` (`"3/1 (1/0)"`, `""`) or `new`, `saved`, `urgent_new`, `urgent_saved` | voicemail counters |
 * | `presence` | `user`, `presence` (0 available, 1 away, 2 busy, 3 offline) | presence change |
 * | `dnd` | `user`, `on` | DND on/off |
 * | `member_login` | `group`, `user`, `on` | group login/logout |
 * | `wait` | `ms` | pause (simulated time) |
 * | `system_msg` | `msg` | `{system_msg, Msg}` to every CTI socket |
 * | `msg` | `text` | `{msg, Text}` to every CTI socket |
 *
 * Every step also accepts `type` instead of `op`; user/group fields accept `userId`/`groupId` style aliases.
 */
import { SimError, type PbxModel } from './model.ts';
import type { Scheduler } from './scheduler.ts';

/** One scenario step (see the table above). */
export type Step = { op?: string; type?: string } & Record<string, unknown>;

/** What steps act on. */
export interface ScenarioContext {
  model: PbxModel;
  scheduler: Scheduler;
  /** Scenario call ids → channel uuids (persisting across scenario runs until reset). */
  calls: Map<string, string>;
  /** Send `{system_msg, Msg}` to every CTI socket. */
  systemMsg(msg: string): void;
  /** Send `{msg, Text}` to every CTI socket. */
  msg(text: string): void;
}

/** What a run produced: the uuids of the calls by scenario id, and the slot of each `park` step. */
export interface ScenarioResult {
  calls: Record<string, string>;
  parked: Record<string, number>;
}

/** A rejected step: `index` is its position in the list. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(`step ${index}: ${message}`);
  }
}

const first = (s: Step, ...names: string[]): unknown => {
  for (const n of names) if (s[n] !== undefined && s[n] !== null) return s[n];
  return undefined;
};

function ref(s: Step, what: string, ...names: string[]): string | number {
  const v = first(s, ...names);
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new SimError(`${what} (${names.join(' / ')}) is required`);
}

/**
 * Parse a scenario file's text: a JSON array of steps or an object with `steps`.
 * @throws SyntaxError on invalid JSON; TypeError when it is not a list of objects.
 */
export function parseScenario(text: string): Step[] {
  const v: unknown = JSON.parse(text);
  const steps = Array.isArray(v) ? v : (v as { steps?: unknown })?.steps;
  if (!Array.isArray(steps) || steps.some((s) => typeof s !== 'object' || s === null || Array.isArray(s)))
    throw new TypeError('a scenario is a JSON array of step objects, or {"steps": [...]}');
  return steps as Step[];
}

/**
 * Run steps in order. `wait` steps resolve through the scheduler (real or virtual time).
 * @throws ScenarioError for the first step that is malformed or rejected by the model
 *   (the steps before it have taken effect).
 */
export async function runScenario(ctx: ScenarioContext, steps: readonly Step[]): Promise<ScenarioResult> {
  const result: ScenarioResult = { calls: {}, parked: {} };
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    try {
      if (typeof s !== 'object' || s === null) throw new SimError('a step is an object');
      const op = String(s.op ?? s.type ?? '');
      if (op === 'wait') {
        const ms = Number(s.ms);
        if (!(ms >= 0)) throw new SimError('wait needs ms ≥ 0');
        await new Promise<void>((resolve) => ctx.scheduler.schedule(ms, resolve));
        continue;
      }
      runStep(ctx, s, op, result);
    } catch (e) {
      if (e instanceof SimError) throw new ScenarioError(i, e.message);
      throw e;
    }
  }
  return result;
}

function runStep(ctx: ScenarioContext, s: Step, op: string, result: ScenarioResult): void {
  const m = ctx.model;
  const call = (): string => {
    const c = String(ref(s, 'call', 'call', 'uuid', 'id'));
    return ctx.calls.get(c) ?? c;
  };
  const user = (...names: string[]): string | number => ref(s, 'user', ...names);
  switch (op) {
    case 'inbound_call':
    case 'incoming_call': {
      const from = String(ref(s, 'caller number', 'from', 'calling_number', 'callingNumber'));
      const g = first(s, 'to_group', 'group', 'group_id', 'groupId');
      const u = first(s, 'to_user', 'user', 'user_id', 'userId');
      if (g === undefined && u === undefined) throw new SimError('inbound_call needs to_group or to_user');
      const uuid = first(s, 'uuid') as string | undefined;
      const id = String(first(s, 'id', 'uuid') ?? '');
      const root = m.inboundCall({
        uuid: typeof uuid === 'string' ? uuid : undefined,
        from,
        callingName: first(s, 'calling_name', 'callingName') as string | undefined,
        endUser: first(s, 'end_user', 'endUser') as string | undefined,
        to: g !== undefined ? { group: g as string | number } : { user: u as string | number },
      });
      if (id) ctx.calls.set(id, root.uuid);
      result.calls[id || root.uuid] = root.uuid;
      if (s.queue === true) m.queue(root.uuid);
      return;
    }
    case 'ring':
      m.ringUser(call(), user('user', 'user_id', 'userId'));
      return;
    case 'answer':
    case 'pickup':
      m.answer(call(), user('user', 'user_id', 'userId', 'by'));
      return;
    case 'queue': {
      const g = first(s, 'group', 'group_id', 'groupId');
      m.queue(call(), g as string | number | undefined);
      return;
    }
    case 'park': {
      const slot = first(s, 'slot');
      if (slot !== undefined && !Number.isInteger(slot)) throw new SimError('slot must be an integer');
      const timeout = first(s, 'timeout');
      if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0)) throw new SimError('timeout must be seconds > 0');
      const c = call();
      const got = m.park(c, user('by', 'user', 'user_id', 'userId'), slot as number | undefined);
      result.parked[String(first(s, 'call', 'uuid', 'id'))] = got;
      if (typeof timeout === 'number') {
        const root = m.root(c);
        const parkedTs = root.state.ts;
        ctx.scheduler.schedule(timeout * 1000, () => {
          const r = m.channels.get(root.uuid);
          if (r && r.state.name === 'park' && r.state.ts === parkedTs) m.ringBack(r.uuid);
        });
      }
      return;
    }
    case 'ring_back':
      m.ringBack(call());
      return;
    case 'call_user': {
      let dest = String(ref(s, 'destination', 'destination'));
      if (dest.startsWith('pickup_uuid.')) {
        const target = dest.slice('pickup_uuid.'.length);
        dest = `pickup_uuid.${ctx.calls.get(target) ?? target}`;
      }
      m.resolveDestination(dest);
      const orig = m.originate(user('user', 'user_id', 'userId'), { destination: dest, callingName: first(s, 'calling_name') as string | undefined });
      const id = String(first(s, 'id') ?? orig.uuid);
      ctx.calls.set(id, orig.uuid);
      result.calls[id] = orig.uuid;
      if (s.auto_answer === true) m.connectOriginate(orig.uuid, dest);
      return;
    }
    case 'phone_answer': {
      m.connectOriginate(call());
      return;
    }
    case 'transfer':
      m.transfer(call(), user('to', 'to', 'user', 'user_id', 'userId'));
      return;
    case 'voicemail': {
      const g = first(s, 'group', 'group_id', 'groupId');
      m.voicemail(call(), g !== undefined ? { group: g as string | number } : { user: user('user', 'user_id', 'userId') });
      return;
    }
    case 'hangup': {
      const cause = String(first(s, 'cause') ?? 'recv_bye,NORMAL_CLEARING');
      if (!/^(recv|send)_(bye|cancel|refuse),[A-Z_]+$/.test(cause)) throw new SimError(`cause must be SIDE,CAUSE, got "${cause}"`);
      let uuid = call();
      if (s.leg === 'user') {
        const leg = m.legs(m.root(uuid).uuid).find((l) => l.state.name === 'bridged') ?? m.legs(m.root(uuid).uuid)[0];
        if (!leg) throw new SimError('the call has no user leg');
        uuid = leg.uuid;
      }
      m.hangup(uuid, cause);
      return;
    }
    case 'outbound_call': {
      const root = m.outboundCall(user('user', 'user_id', 'userId'), String(ref(s, 'to', 'to')));
      const id = String(first(s, 'id') ?? root.uuid);
      ctx.calls.set(id, root.uuid);
      result.calls[id] = root.uuid;
      return;
    }
    case 'connect':
      m.connectOutbound(call());
      return;
    case 'set_mwi': {
      const u = user('user', 'user_id', 'userId');
      if (typeof s.mwi === 'string') return m.setMwi(u, s.mwi);
      const n = (k: string, alt: string): number => {
        const v = first(s, k, alt) ?? 0;
        if (!Number.isInteger(v) || (v as number) < 0) throw new SimError(`${k} must be a non-negative integer`);
        return v as number;
      };
      const [nw, sv, un, us] = [n('new', 'new'), n('saved', 'saved'), n('urgent_new', 'urgentNew'), n('urgent_saved', 'urgentSaved')];
      return m.setMwi(u, un || us ? `${nw}/${sv} (${un}/${us})` : `${nw}/${sv}`);
    }
    case 'presence': {
      const p = first(s, 'presence');
      if (!Number.isInteger(p)) throw new SimError('presence must be an integer');
      return m.setPresence(user('user', 'user_id', 'userId'), p as number);
    }
    case 'dnd':
      return m.setDnd(user('user', 'user_id', 'userId'), s.on === true);
    case 'member_login':
      return m.setMemberLogin(ref(s, 'group', 'group', 'group_id', 'groupId'), user('user', 'user_id', 'userId'), s.on !== false);
    case 'system_msg':
      return ctx.systemMsg(String(ref(s, 'msg', 'msg')));
    case 'msg':
      return ctx.msg(String(ref(s, 'text', 'text', 'msg')));
    default:
      throw new SimError(`unknown op "${op}"`);
  }
}
