import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type uPlot from 'uplot';
import { daySlots, type StatsDay } from '../../lib/queue-stats.ts';

/** Chart height, CSS px. */
const HEIGHT = 170;

/** `HH:MM` of an hour of the day (fractional). */
const hourText = (h: number): string => `${String(Math.floor(h)).padStart(2, '0')}:${String(Math.round((h % 1) * 60)).padStart(2, '0')}`;

/**
 * Callers waiting (peak) and service level per 15 minutes through the day, drawn with uPlot
 * (leeoniya/uPlot), which is loaded only when the chart is first shown, so the console's first
 * load does not carry it. Slots without data (before the first connection, outages) are gaps.
 */
export function StatsChart({ day, version, groupIds, slSecOf }: { day: StatsDay; version: number; groupIds: readonly number[]; slSecOf: (g: number) => number }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [lib, setLib] = useState<typeof uPlot | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')])
      .then(([m]) => alive && setLib(() => m.default))
      .catch((e: Error) => alive && setFailed(e.message));
    return () => {
      alive = false;
    };
  }, []);

  const data = useMemo((): uPlot.AlignedData => {
    const slots = daySlots(day, groupIds, slSecOf);
    return [
      slots.map((s) => s.index / 4),
      slots.map((s) => s.waitingPeak),
      slots.map((s) => (s.serviceLevel === null ? null : Math.round(s.serviceLevel * 100))),
    ];
    // version: the day is updated in place
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [day, version, groupIds.join(','), slSecOf]);

  useEffect(() => {
    if (!lib || !box.current) return;
    const el = box.current;
    const opts: uPlot.Options = {
      width: Math.max(300, el.clientWidth),
      height: HEIGHT,
      scales: { x: { time: false, range: [0, 24] }, w: { range: (_u, _min, max) => [0, Math.max(4, max ?? 0)] }, sl: { range: [0, 100] } },
      axes: [
        { stroke: 'currentColor', values: (_u, splits) => splits.map(hourText), incrs: [1, 2, 3, 6] },
        { scale: 'w', stroke: 'currentColor' },
        { scale: 'sl', side: 1, stroke: 'currentColor', grid: { show: false } },
      ],
      series: [
        { value: (_u, v) => (v == null ? '' : hourText(v)) },
        { label: t('stats.chartWaiting'), scale: 'w', stroke: '#d97706', fill: 'rgba(217,119,6,0.15)', width: 2, paths: lib.paths.stepped?.({ align: 1 }), points: { show: true, size: 5 } },
        { label: t('stats.chartSl'), scale: 'sl', stroke: '#2563eb', width: 2, points: { show: true, size: 4 } },
      ],
    };
    const u = new lib(opts, data, el);
    plot.current = u;
    const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(() => u.setSize({ width: Math.max(300, el.clientWidth), height: HEIGHT })) : null;
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      u.destroy();
      plot.current = null;
    };
    // the data is set below without a new chart
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lib, t]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure aria-label={t('stats.chart')} className="mt-2">
      <figcaption className="text-sm font-semibold">{t('stats.chart')}</figcaption>
      {failed ? <p role="alert">{failed}</p> : !lib && <p className="text-sm">{t('stats.chartLoading')}</p>}
      <div ref={box} data-testid="stats-chart" className="w-full text-slate-700 dark:text-slate-300" />
    </figure>
  );
}
