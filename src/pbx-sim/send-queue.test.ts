import { afterEach, describe, expect, it } from 'vitest';
import { BoundedSender, type FrameSink } from './send-queue.ts';
import { startPbxSim, type RunningPbxSim } from './server.ts';
import { connectCti } from './test-support.ts';

/** A socket whose writes never complete (a client that does not read), or complete on demand. */
function fakeSink() {
  const pending: Array<() => void> = [];
  const sink: FrameSink & { terminated: number; pending: Array<() => void> } = {
    readyState: 1,
    terminated: 0,
    pending,
    send: (_d, _o, cb) => pending.push(() => cb()),
    terminate() {
      this.terminated++;
    },
  };
  return sink;
}

describe('BoundedSender', () => {
  it('drops a socket by frame COUNT even when the bytes are tiny', () => {
    const sink = fakeSink();
    const reasons: string[] = [];
    const q = new BoundedSender(sink, { maxFrames: 100, maxBytes: 1 << 30, frameOverhead: 0 }, (r) => reasons.push(r));
    for (let i = 0; i < 100; i++) expect(q.send(new Uint8Array(20))).toBe(true);
    expect(q.send(new Uint8Array(20))).toBe(false);
    expect(q.state).toBe('dropped');
    expect(sink.terminated).toBe(1);
    expect(q.queued).toEqual({ frames: 0, bytes: 0 }); // released
    expect(reasons).toHaveLength(1);
    expect(q.send(new Uint8Array(1))).toBe(false); // no more sends, no second terminate
    expect(sink.terminated).toBe(1);
  });

  it('charges each frame its overhead, so many small frames reach the byte bound', () => {
    const sink = fakeSink();
    const q = new BoundedSender(sink, { maxFrames: 1_000_000, maxBytes: 10 * 532, frameOverhead: 512 });
    for (let i = 0; i < 10; i++) expect(q.send(new Uint8Array(20))).toBe(true);
    expect(q.queued).toEqual({ frames: 10, bytes: 5320 });
    expect(q.send(new Uint8Array(20))).toBe(false);
    expect(sink.terminated).toBe(1);
  });

  it('a reading client (writes complete) is never dropped', () => {
    const sink = fakeSink();
    const q = new BoundedSender(sink, { maxFrames: 10, maxBytes: 10_000, frameOverhead: 100 });
    for (let i = 0; i < 1000; i++) {
      expect(q.send(new Uint8Array(500))).toBe(true);
      sink.pending.shift()!();
    }
    expect(q.state).toBe('open');
    expect(q.queued).toEqual({ frames: 0, bytes: 0 });
  });
});

describe('a CTI socket that never reads', () => {
  let sim: RunningPbxSim | undefined;
  afterEach(async () => {
    await sim?.close();
  });

  it('is terminated and forgotten once its queue passes the bound; a reading socket stays', async () => {
    sim = await startPbxSim({ quiet: true, seed: 1, sendLimits: { maxFrames: 2000, maxBytes: 1024 * 1024 } });
    const reader = await connectCti(sim.url, { token: 'test1:sim-token', query: { app_name: 'reader' } });
    const stalled = await connectCti(sim.url, { token: 'test1:sim-token', query: { app_name: 'stalled' } });
    await stalled.waitFor((m) => m.type === 'initial_info' && m.element === 'channel_waiting');
    stalled.ws.pause(); // stops reading from the TCP socket: kernel buffers fill, then the server's queue
    expect(sim.sim.connectionCount).toBe(2);
    const text = 'x'.repeat(16 * 1024);
    let sent = 0;
    // at most 64 MiB in bursts of 8 frames, letting the event loop run (the reader reads) between bursts
    while (sim.sim.connectionCount === 2 && sent < 4096) {
      for (let i = 0; i < 8; i++, sent++) await sim.sim.runScenario([{ op: 'msg', text }]);
      await new Promise((r) => setImmediate(r));
    }
    expect(sim.sim.connectionCount).toBe(1);
    await sim.sim.runScenario([{ op: 'msg', text: 'END' }]);
    await reader.waitFor((m) => m.type === 'msg' && m.msg === 'END', 20_000);
    expect(reader.ws.readyState).toBe(reader.ws.OPEN);
    stalled.ws.terminate();
    reader.ws.terminate();
  }, 30_000);
});
