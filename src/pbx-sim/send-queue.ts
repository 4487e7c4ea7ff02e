/**
 * A per-socket send queue bounded by frame COUNT and BYTES (issue 12). ws's `bufferedAmount`
 * counts payload bytes only, while each queued small frame costs far more in memory (a write
 * request, a callback, a header buffer: about 15× a 20-byte frame), so a client that never
 * reads grew the simulator by gigabytes. Frames count as queued from `send` until ws reports them
 * written to the kernel; past either bound the socket is terminated (a close frame could never
 * get past the unread data) and its queue released.
 */

/** Bounds of one socket's queue. */
export interface SendLimits {
  /** Most frames queued at once (default 20,000). */
  maxFrames: number;
  /** Most bytes queued at once, each frame counted as its length + `frameOverhead` (default 32 MiB). */
  maxBytes: number;
  /** Memory charged per frame on top of its bytes (default 512: what a queued write costs in Node). */
  frameOverhead: number;
}

/** Defaults: far above a live console's burst (a 10,000-user snapshot is about 2 MB, one frame per kind). */
export const DEFAULT_SEND_LIMITS: SendLimits = { maxFrames: 20_000, maxBytes: 32 * 1024 * 1024, frameOverhead: 512 };

/** The part of a `ws` WebSocket the queue needs. */
export interface FrameSink {
  readonly readyState: number;
  send(data: Uint8Array, opts: { binary: boolean }, cb: (err?: Error) => void): void;
  terminate(): void;
}

/** Queue state: `open`, or `dropped` (terminated for not reading; further frames are discarded). */
export type SendQueueState = 'open' | 'dropped';

/** The bounded queue of one socket. */
export class BoundedSender {
  private frames = 0;
  private bytes = 0;
  private st: SendQueueState = 'open';

  /**
   * @param sink the socket.
   * @param limits bounds (default {@link DEFAULT_SEND_LIMITS}).
   * @param onDrop called once when the socket is dropped, with the reason.
   */
  constructor(
    private readonly sink: FrameSink,
    private readonly limits: SendLimits = DEFAULT_SEND_LIMITS,
    private readonly onDrop: (reason: string) => void = () => {},
  ) {}

  /** `open` or `dropped`. */
  get state(): SendQueueState {
    return this.st;
  }

  /** Frames and bytes (with overhead) queued now. */
  get queued(): { frames: number; bytes: number } {
    return { frames: this.frames, bytes: this.bytes };
  }

  /**
   * Queue one binary frame. Returns false when it was not sent: the socket is not open, already
   * dropped, or dropped now because this frame would pass a bound.
   */
  send(data: Uint8Array): boolean {
    if (this.st === 'dropped' || this.sink.readyState !== 1) return false;
    const cost = data.byteLength + this.limits.frameOverhead;
    if (this.frames + 1 > this.limits.maxFrames || this.bytes + cost > this.limits.maxBytes) {
      this.drop(`send queue full (${this.frames} frames, ${this.bytes} bytes): the client does not read`);
      return false;
    }
    this.frames++;
    this.bytes += cost;
    this.sink.send(data, { binary: true }, () => {
      if (this.st === 'dropped') return;
      this.frames--;
      this.bytes -= cost;
    });
    return true;
  }

  private drop(reason: string): void {
    this.st = 'dropped';
    this.frames = 0;
    this.bytes = 0;
    this.sink.terminate();
    this.onDrop(reason);
  }
}
