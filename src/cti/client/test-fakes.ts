// Test doubles for the client: a socket driven by the test and timers that run when the test says.
import { encodeEtf } from '../etf/encode.ts';
import { atom, binary, tuple, type Term } from '../etf/term.ts';
import type { CtiSocket, SocketFactory } from './socket.ts';

export class FakeSocket implements CtiSocket {
  binaryType = 'blob';
  onopen: CtiSocket['onopen'] = null;
  onmessage: CtiSocket['onmessage'] = null;
  onclose: CtiSocket['onclose'] = null;
  onerror: CtiSocket['onerror'] = null;
  sent: string[] = [];
  closed = false;
  constructor(
    readonly url: string,
    readonly headers: Record<string, string>,
  ) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.onopen?.({});
  }
  frame(bytes: Uint8Array): void {
    this.onmessage?.({ data: bytes.slice().buffer });
  }
  drop(code = 1006): void {
    this.onclose?.({ code, reason: '' });
  }
}

export function fakeSockets(): { factory: SocketFactory; sockets: FakeSocket[]; last(): FakeSocket } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    factory: (url, init) => {
      const s = new FakeSocket(url, init.headers);
      sockets.push(s);
      return s;
    },
    last: () => sockets[sockets.length - 1],
  };
}

export function manualTimers() {
  let next = 1;
  const pending = new Map<number, { fn: () => void; ms: number }>();
  return {
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        const id = next++;
        pending.set(id, { fn, ms });
        return id;
      },
      clearTimeout: (h: unknown) => {
        pending.delete(h as number);
      },
    },
    /** delays of the pending timers, in ms */
    delays: () => [...pending.values()].map((p) => p.ms),
    /** run every pending timer once */
    runAll: () => {
      const all = [...pending.entries()];
      pending.clear();
      for (const [, p] of all) p.fn();
    },
  };
}

const specFrame = (element: string, fields: string[]) => encodeEtf(tuple(atom('field_spec'), atom(element), fields.map(atom)));
export const frames = {
  userSpec: specFrame('user', ['id', 'label']),
  channelSpec: specFrame('channel', ['uuid', 'last_event']),
  users: (...ids: number[]) => encodeEtf(tuple(atom('initial_info'), atom('user'), ids.map((id) => tuple(id, binary(`テスト${id}`))))),
  channels: (...uuids: string[]) => encodeEtf(tuple(atom('initial_info'), atom('channel'), uuids.map((u) => tuple(binary(u), atom('STATE_CHANGE'))))),
  channelEvent: (uuid: string, lastEvent: string, ev = 'updated') => encodeEtf(tuple(atom('info_event'), atom('channel'), tuple(binary(uuid), atom(lastEvent)), atom(ev))),
  userEvent: (id: number, ev: string) => encodeEtf(tuple(atom('info_event'), atom('user'), tuple(id, binary('x')), atom(ev))),
  system: (m: string) => encodeEtf(tuple(atom('system_msg'), atom(m))),
  raw: (t: Term) => encodeEtf(t),
};
