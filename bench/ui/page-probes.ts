/**
 * Code that runs inside the console page during bench:ui (installed with addInitScript before
 * any app code). Free of imports and closures: Playwright serialises these functions into the page.
 *
 * Times are Date.now() ms: the bench, the simulator and the browser run on one machine, so their
 * wall clocks agree to well under a millisecond.
 */

/** What the probes leave on `window.__bench`. */
export interface BenchProbeState {
  longTasks: Array<{ start: number; duration: number }>;
  /** markers still looked for */
  pending: string[];
  /** marker → wall time (ms) it first appeared in the DOM */
  seen: Record<string, number>;
  /** CSS selector of the element searched for markers (keeps each check small) */
  root: string;
}

/** Install the long-task observer and the marker watcher. Runs in the page. */
export function installProbes(): void {
  const state: BenchProbeState = { longTasks: [], pending: [], seen: {}, root: 'body' };
  (window as unknown as { __bench: BenchProbeState }).__bench = state;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) state.longTasks.push({ start: performance.timeOrigin + e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    /* no longtask support: the bench sees an empty list and says so */
  }
  const check = (): void => {
    if (state.pending.length === 0) return;
    const root = document.querySelector(state.root);
    if (!root) return;
    const now = Date.now();
    // textContent, not innerText: no forced layout. aria-label/title count as text: MWI counters
    // are typically an icon with a text alternative.
    const text = root.textContent ?? '';
    state.pending = state.pending.filter((k) => {
      const hit = text.includes(k) || root.querySelector(`[aria-label*="${CSS.escape(k)}"],[title*="${CSS.escape(k)}"]`) !== null;
      if (hit) state.seen[k] = now;
      return !hit;
    });
  };
  const start = (): void => {
    new MutationObserver(check).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['aria-label', 'title'],
    });
  };
  start();
}

/**
 * Scroll the element matched by `selector` down (and back up at the end) for `ms`, one step
 * per animation frame; returns frames per second and the longest gap between frames (ms).
 * Runs in the page.
 */
export function scrollAndCountFrames(args: { selector: string; ms: number; stepPx: number }): Promise<{ fps: number; worstFrameMs: number; frames: number; scrolledPx: number }> {
  const el = document.querySelector(args.selector) as HTMLElement | null;
  if (!el) return Promise.reject(new Error(`no scroll container ${args.selector}`));
  return new Promise((resolve) => {
    const t0 = performance.now();
    let last = t0;
    let frames = 0;
    let worst = 0;
    let dir = 1;
    let scrolled = 0;
    const step = (now: number): void => {
      frames++;
      worst = Math.max(worst, now - last);
      last = now;
      const before = el.scrollTop;
      el.scrollTop += dir * args.stepPx;
      if (el.scrollTop === before) dir = -dir; // hit an end: turn round
      scrolled += Math.abs(el.scrollTop - before);
      if (now - t0 < args.ms) requestAnimationFrame(step);
      else resolve({ fps: (frames * 1000) / (now - t0), worstFrameMs: worst, frames, scrolledPx: scrolled });
    };
    requestAnimationFrame(step);
  });
}
