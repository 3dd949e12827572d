import type { TelemetryRange } from '@summit-bridge/protocol';
import type { TFunction } from 'i18next';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartData } from './chartData.js';

const colours = { rtt: '#5aa9ff', jitter: '#b48cff', lossIn: '#ff6b6b', lossOut: '#ffb42e' };

function options(t: TFunction, width: number): uPlot.Options {
  const axis = { stroke: '#aab4c3', grid: { stroke: 'rgba(255,255,255,0.08)' }, ticks: { show: false } };
  return {
    width,
    height: 150,
    // Gaps stay gaps: a site that was down shows as a hole, not as a line drawn across it.
    series: [
      {},
      {
        label: t('tech.column.rtt'),
        scale: 'ms',
        stroke: colours.rtt,
        width: 1.5,
        value: (_u, v) => (v === null ? '—' : `${v} ms`),
      },
      {
        label: t('tech.column.jitter'),
        scale: 'ms',
        stroke: colours.jitter,
        width: 1,
        value: (_u, v) => (v === null ? '—' : `${v} ms`),
      },
      {
        label: t('tech.column.lossIn'),
        scale: '%',
        stroke: colours.lossIn,
        width: 1.5,
        value: (_u, v) => (v === null ? '—' : `${v} %`),
      },
      {
        label: t('tech.column.lossOut'),
        scale: '%',
        stroke: colours.lossOut,
        width: 1,
        value: (_u, v) => (v === null ? '—' : `${v} %`),
      },
    ],
    scales: {
      ms: { range: (_u, _min, max) => [0, Math.max(100, max)] },
      '%': { range: (_u, _min, max) => [0, Math.max(5, max)] },
    },
    axes: [
      axis,
      { ...axis, scale: 'ms', size: 44, values: (_u, ticks) => ticks.map((v) => `${v}`) },
      {
        ...axis,
        scale: '%',
        side: 1,
        size: 36,
        grid: { show: false },
        values: (_u, ticks) => ticks.map((v) => `${v}%`),
      },
    ],
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
  };
}

/** One site's link over the chosen range, drawn by uPlot on a canvas; the figure carries its name. */
export function SiteChart({ label, data, range }: { label: string; data: ChartData; range: TelemetryRange }) {
  const { t, i18n } = useTranslation();
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new range or language draws a new chart; data alone only refreshes it
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const created = new uPlot(options(t, Math.max(280, element.clientWidth)), latest.current, element);
    plot.current = created;
    return () => {
      created.destroy();
      plot.current = null;
    };
  }, [range, i18n.language]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure className="site-chart" aria-label={label}>
      <div ref={holder} className="site-chart__plot" />
    </figure>
  );
}
