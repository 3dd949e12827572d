// Downsampling and the stored row layout: 2-s points become 1-min min/avg/max, rows survive a
// round trip, histories come back as chart columns and as CSV.
import { type MetricValues, metricNames } from '@summit-bridge/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMinute,
  decodeRaw,
  encodeMinute,
  encodeRaw,
  historyCsv,
  historyOf,
  MINUTE_MAX_POINTS,
  minuteFinishedBy,
  minuteOf,
  RAW_MAX_POINTS,
  type RawPoint,
  summarizeMinute,
} from '../../../src/domain/telemetry/series.js';

const values = (set: Partial<MetricValues> = {}): MetricValues => ({
  ...(Object.fromEntries(metricNames.map((m) => [m, null])) as MetricValues),
  ...set,
});

const t0 = Date.parse('2020-05-18T02:00:00Z');

describe('downsampling', () => {
  it('bounds an hour of 2-s points and 48 h of minutes', () => {
    expect(RAW_MAX_POINTS).toBe(1800);
    expect(MINUTE_MAX_POINTS).toBe(2880);
  });

  it('summarizes a minute as min, average and max of each metric, skipping missing values', () => {
    const points: RawPoint[] = [
      { at: t0, values: values({ rttMs: 40, lossInPct: 0 }) },
      { at: t0 + 2_000, values: values({ rttMs: 60, lossInPct: null }) },
      { at: t0 + 4_000, values: values({ rttMs: 35, lossInPct: 3 }) },
    ];
    const minute = summarizeMinute(t0, points);
    expect(minute.at).toBe(t0);
    expect([minute.min.rttMs, minute.avg.rttMs, minute.max.rttMs]).toEqual([35, 45, 60]);
    expect([minute.min.lossInPct, minute.avg.lossInPct, minute.max.lossInPct]).toEqual([0, 1.5, 3]);
    expect([minute.min.jitterMs, minute.avg.jitterMs, minute.max.jitterMs]).toEqual([null, null, null]);
  });

  it('finishes a minute only when a point of a later minute arrives', () => {
    const early = { at: t0 + 10_000, values: values({ rttMs: 10 }) };
    const late = { at: t0 + 58_000, values: values({ rttMs: 30 }) };
    const before = { at: t0 - 2_000, values: values({ rttMs: 500 }) };
    expect(minuteFinishedBy([], early)).toBeNull();
    expect(minuteFinishedBy([before, early], late)).toBeNull();
    const next = { at: t0 + 60_000, values: values({ rttMs: 99 }) };
    const finished = minuteFinishedBy([before, early, late], next);
    expect(finished?.at).toBe(t0);
    // The earlier minute's point is not part of this one, nor is the point that finished it.
    expect([finished?.min.rttMs, finished?.avg.rttMs, finished?.max.rttMs]).toEqual([10, 20, 30]);
  });

  it('keeps min ≤ avg ≤ max, within the points, for any minute of values', () => {
    const point = fc.record({
      offset: fc.integer({ min: 0, max: 59_999 }),
      rtt: fc.option(fc.double({ min: 0, max: 5_000, noNaN: true }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 40 }), (list) => {
        const points = list.map((p) => ({ at: t0 + p.offset, values: values({ rttMs: p.rtt }) }));
        const minute = summarizeMinute(t0, points);
        const present = list.flatMap((p) => (p.rtt === null ? [] : [p.rtt]));
        if (present.length === 0) {
          expect(minute.avg.rttMs).toBeNull();
          return;
        }
        expect(minute.min.rttMs).toBe(Math.min(...present));
        expect(minute.max.rttMs).toBe(Math.max(...present));
        const avg = minute.avg.rttMs as number;
        // The average is rounded to a tenth: it may sit that close outside the extremes.
        expect(avg).toBeGreaterThanOrEqual(Math.min(...present) - 0.05);
        expect(avg).toBeLessThanOrEqual(Math.max(...present) + 0.05);
      }),
    );
  });

  it('puts a moment in its minute, also before 1970', () => {
    expect(minuteOf(t0 + 59_999)).toBe(t0);
    expect(minuteOf(t0 + 60_000)).toBe(t0 + 60_000);
    expect(minuteOf(-1)).toBe(-60_000);
  });
});

describe('stored rows', () => {
  it('round-trips raw points and minutes through their compact rows', () => {
    const raw = { at: t0, values: values({ rttMs: 42.5, stageLayer: 2, freezes: 0 }) };
    expect(decodeRaw(encodeRaw(raw))).toEqual(raw);
    const minute = summarizeMinute(t0, [raw, { at: t0 + 2_000, values: values({ rttMs: 50 }) }]);
    expect(decodeMinute(encodeMinute(minute))).toEqual(minute);
    // A row is an array in metric order, not an object: about a hundred bytes.
    expect(encodeRaw(raw).length).toBeLessThan(120);
  });
});

describe('history', () => {
  const raw = [
    { at: t0, values: values({ rttMs: 40, lossInPct: 1 }) },
    { at: t0 + 2_000, values: values({ rttMs: 45, lossInPct: null }) },
  ];

  it('gives the last hour as one column per metric', () => {
    const history = historyOf('VNM', '1h', raw, ['rttMs', 'lossInPct']);
    expect(history).toEqual({
      ok: true,
      site: 'VNM',
      range: '1h',
      stepMs: 2_000,
      at: [t0, t0 + 2_000],
      metrics: { rttMs: { avg: [40, 45] }, lossInPct: { avg: [1, null] } },
    });
    expect(historyCsv(history)).toBe(
      'time,rttMs,lossInPct\n2020-05-18T02:00:00.000Z,40,1\n2020-05-18T02:00:02.000Z,45,\n',
    );
  });

  it('gives 48 h as min, avg and max columns', () => {
    const minute = summarizeMinute(t0, raw);
    const history = historyOf('VNM', '48h', [minute], ['rttMs']);
    expect(history.stepMs).toBe(60_000);
    expect(history.metrics.rttMs).toEqual({ min: [40], avg: [42.5], max: [45] });
    expect(historyCsv(history)).toBe(
      'time,rttMs_min,rttMs_avg,rttMs_max\n2020-05-18T02:00:00.000Z,40,42.5,45\n',
    );
  });
});
