/**
 * Code that runs inside the console page during bench:ui (installed with addInitScript before
 * any app code). Free of imports: Playwright serialises it into the page.
 *
 * Push, not pull: under load the console's main thread can be too busy to answer
 * `page.evaluate` or CDP calls for minutes, so the probes report through `console.debug` lines
 * `__bench {json}` as things happen (Chromium sends console events as they are logged), and the
 * bench collects them. Times are Date.now() ms: the bench, the simulator and the browser share
 * one machine clock.
 */

/** One report line from the page. */
export type BenchEvent =
  | { kind: 'seen'; n: string; at: number }
  | { kind: 'longtask'; start: number; duration: number }
  | { kind: 'tick'; at: number; frames: number; heap: number | null };

/** Prefix of the console lines that carry a {@link BenchEvent}. */
export const BENCH_PREFIX = '__bench ';

/** Install the reporters. Runs in the page. */
export function installProbes(): void {
  const emit = (e: BenchEvent): void => console.debug('__bench ' + JSON.stringify(e));
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) emit({ kind: 'longtask', start: performance.timeOrigin + e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    /* no longtask support */
  }
  // Frames drawn, and the JS heap (precise with --enable-precise-memory-info), once a second.
  let frames = 0;
  let lastTick = Date.now();
  const frame = (): void => {
    frames++;
    const now = Date.now();
    if (now - lastTick >= 1000) {
      const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      emit({ kind: 'tick', at: now, frames, heap: mem ? mem.usedJSHeapSize : null });
      frames = 0;
      lastTick = now;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  // Markers are MWI counts ≥ 100, which the simulator never produces by itself; the text
  // alternative ("123 new voicemail messages, 0 saved") is in the row. Stamped in the
  // MutationObserver callback, i.e. right after React committed the change to the DOM.
  // Text nodes one by one: the visible "✉ 123/0" sits right before the text alternative.
  const seen = new Set<string>();
  const re = /^(\d{3,}) new voicemail messages/;
  new MutationObserver((records) => {
    const root = document.querySelector('section[aria-label="Users"]');
    if (!root || !records.some((r) => root.contains(r.target))) return;
    const at = Date.now();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const m = re.exec(n.nodeValue ?? '');
      if (!m || seen.has(m[1])) continue;
      seen.add(m[1]);
      emit({ kind: 'seen', n: m[1], at });
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}
