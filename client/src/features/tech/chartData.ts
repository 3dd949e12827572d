import type { MetricName, MetricValues, TelemetryHistory, TelemetryRange } from '@summit-bridge/protocol';

// A site's history as uPlot draws it: x in seconds, one column per charted metric. Pure.

/** What each site's chart shows: round trip and jitter (ms), loss both ways (%). */
export const chartMetrics = [
  'rttMs',
  'jitterMs',
  'lossInPct',
  'lossOutPct',
] as const satisfies readonly MetricName[];

/** uPlot's aligned data: the x column, then one column per series. */
export type ChartData = [number[], ...(number | null)[][]];

const windowMs: Record<TelemetryRange, number> = { '1h': 3_600_000, '48h': 48 * 3_600_000 };

/** The last hour as measured; 48 h as each minute's worst (its max), where trouble shows. */
export function chartDataOf(history: TelemetryHistory): ChartData {
  const columns = chartMetrics.map((metric) => {
    const column = history.metrics[metric];
    return (history.range === '48h' ? column?.max : column?.avg) ?? history.at.map(() => null);
  });
  return [history.at.map((at) => at / 1000), ...columns];
}

/** Adds a live sample to the last hour, dropping what has left the window. */
export function withSample(
  data: ChartData,
  at: number,
  values: MetricValues,
  range: TelemetryRange,
): ChartData {
  const [xs, ...columns] = data;
  const x = at / 1000;
  if (xs.length > 0 && x <= (xs.at(-1) as number)) return data;
  const from = x - windowMs[range] / 1000;
  let drop = 0;
  while (drop < xs.length && (xs[drop] as number) < from) drop++;
  return [
    [...xs.slice(drop), x],
    ...columns.map((column, i) => [...column.slice(drop), values[chartMetrics[i] as MetricName]]),
  ];
}
