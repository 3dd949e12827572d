// Time series of site samples: 2-s points for the last hour, 1-min min/avg/max for 48 h. Pure:
// the stores keep the points, these functions decide what a finished minute holds, how points
// are written compactly, and how a range is read back as chart columns or CSV.
import {
  type MetricName,
  type MetricValues,
  metricNames,
  type TelemetryHistory,
  type TelemetryRange,
} from '@summit-bridge/protocol';

export const SAMPLE_INTERVAL_MS = 2_000;
export const MINUTE_MS = 60_000;
export const RAW_RETENTION_MS = 3_600_000;
export const MINUTE_RETENTION_MS = 48 * 3_600_000;
/** Bounds by count as well as by age, so memory stays bounded whatever the clock does. */
export const RAW_MAX_POINTS = RAW_RETENTION_MS / SAMPLE_INTERVAL_MS;
export const MINUTE_MAX_POINTS = MINUTE_RETENTION_MS / MINUTE_MS;

/** One site's values at one sampling moment. */
export interface RawPoint {
  at: number;
  values: MetricValues;
}

/** One site's finished minute: `at` is the minute's start. */
export interface MinutePoint {
  at: number;
  min: MetricValues;
  avg: MetricValues;
  max: MetricValues;
}

/** A point of a session's sampling round, for one site. */
export interface SitePoint extends RawPoint {
  site: string;
}

export const minuteOf = (at: number): number => at - (((at % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);

const emptyValues = (): MetricValues =>
  Object.fromEntries(metricNames.map((m) => [m, null])) as unknown as MetricValues;

/** Rounds to what a chart or a threshold can tell apart, and what keeps stored points small. */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** min/avg/max of every metric over a minute's points; a metric with no value stays null. */
export function summarizeMinute(minute: number, points: readonly RawPoint[]): MinutePoint {
  const result: MinutePoint = { at: minute, min: emptyValues(), avg: emptyValues(), max: emptyValues() };
  for (const metric of metricNames) {
    let count = 0;
    let sum = 0;
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (const point of points) {
      const value = point.values[metric];
      if (value === null) continue;
      count++;
      sum += value;
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
    if (count === 0) continue;
    result.min[metric] = low;
    result.avg[metric] = round(sum / count);
    result.max[metric] = high;
  }
  return result;
}

/**
 * The minute that appending `next` finishes, given the site's newest stored points (oldest
 * first): the minute of the newest point, once `next` falls in a later minute. Null otherwise.
 */
export function minuteFinishedBy(recent: readonly RawPoint[], next: RawPoint): MinutePoint | null {
  const last = recent.at(-1);
  if (!last || minuteOf(last.at) >= minuteOf(next.at)) return null;
  const minute = minuteOf(last.at);
  return summarizeMinute(
    minute,
    recent.filter((p) => minuteOf(p.at) === minute),
  );
}

// ---- compact rows: what the stores keep (numbers in metricNames order, no objects) -----------
// RedisStore writes a row as a JSON array, MemoryStore into a ring of numbers. Redis key names
// carry the row layout's version, so a change of metricNames starts new keys.

export const ROW_LAYOUT = 'tm1';
/** Columns of a raw row and of a minute row (min, avg, max of each metric in turn). */
export const RAW_COLUMNS = metricNames.length;
export const MINUTE_COLUMNS = metricNames.length * 3;

export const rawColumns = ({ values }: RawPoint): (number | null)[] => metricNames.map((m) => values[m]);

export const rawFromColumns = (at: number, columns: readonly (number | null)[]): RawPoint => ({
  at,
  values: valuesOf(columns),
});

export const minuteColumns = ({ min, avg, max }: MinutePoint): (number | null)[] =>
  metricNames.flatMap((m) => [min[m], avg[m], max[m]]);

export function minuteFromColumns(at: number, columns: readonly (number | null)[]): MinutePoint {
  const pick = (offset: number) => valuesOf(metricNames.map((_, i) => columns[i * 3 + offset] ?? null));
  return { at, min: pick(0), avg: pick(1), max: pick(2) };
}

export const encodeRaw = (point: RawPoint): string => JSON.stringify([point.at, ...rawColumns(point)]);

export function decodeRaw(row: string): RawPoint {
  const [at, ...columns] = JSON.parse(row) as [number, ...(number | null)[]];
  return rawFromColumns(at, columns);
}

export const encodeMinute = (minute: MinutePoint): string =>
  JSON.stringify([minute.at, ...minuteColumns(minute)]);

export function decodeMinute(row: string): MinutePoint {
  const [at, ...columns] = JSON.parse(row) as [number, ...(number | null)[]];
  return minuteFromColumns(at, columns);
}

function valuesOf(list: readonly (number | null | undefined)[]): MetricValues {
  return Object.fromEntries(metricNames.map((m, i) => [m, list[i] ?? null])) as unknown as MetricValues;
}

// ---- reading back ---------------------------------------------------------------------------

export const rangeMs: Record<TelemetryRange, number> = { '1h': RAW_RETENTION_MS, '48h': MINUTE_RETENTION_MS };
export const stepOf: Record<TelemetryRange, number> = { '1h': SAMPLE_INTERVAL_MS, '48h': MINUTE_MS };

/** Points as columns, the shape charts draw (`at[i]` goes with each column's `[i]`). */
export function historyOf(
  site: string,
  range: TelemetryRange,
  points: readonly RawPoint[] | readonly MinutePoint[],
  metrics: readonly MetricName[] = metricNames,
): TelemetryHistory {
  const columns: TelemetryHistory['metrics'] = {};
  for (const metric of metrics) {
    if (range === '1h') {
      columns[metric] = { avg: (points as RawPoint[]).map((p) => p.values[metric]) };
    } else {
      const minutes = points as MinutePoint[];
      columns[metric] = {
        min: minutes.map((p) => p.min[metric]),
        avg: minutes.map((p) => p.avg[metric]),
        max: minutes.map((p) => p.max[metric]),
      };
    }
  }
  return { ok: true, site, range, stepMs: stepOf[range], at: points.map((p) => p.at), metrics: columns };
}

/** The same history as CSV: one row per point, ISO time first, then one column per series. */
export function historyCsv(history: TelemetryHistory): string {
  const series = Object.entries(history.metrics).flatMap(([metric, column]) =>
    history.range === '1h'
      ? [[metric, column.avg] as const]
      : (['min', 'avg', 'max'] as const).map((part) => [`${metric}_${part}`, column[part] ?? []] as const),
  );
  const header = ['time', ...series.map(([name]) => name)].join(',');
  const rows = history.at.map((at, i) =>
    [new Date(at).toISOString(), ...series.map(([, values]) => values[i] ?? '')].join(','),
  );
  return `${[header, ...rows].join('\n')}\n`;
}
