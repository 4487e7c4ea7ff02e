/** Small statistics and table helpers for bench:ui. */

/** The q-quantile (0..1) of `xs` by nearest rank; NaN for an empty list. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}

export interface Row {
  metric: string;
  value: string;
  target: string;
  /** true pass, false fail, null: informational (no target) */
  pass: boolean | null;
}

/** A Markdown table (also readable in a terminal). */
export function markdownTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => [r.metric, r.value, r.target, r.pass === null ? '—' : r.pass ? 'pass' : '**FAIL**']);
  const head = ['Metric', 'Value', 'Target', 'Result'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...cells.map(line)].join('\n');
}

export const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(x < 10 ? 1 : 0)} ms` : 'n/a');
export const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;
