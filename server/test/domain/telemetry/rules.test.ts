// The alert rule engine: thresholds, hysteresis (raise after, clear after, a band that changes
// nothing), as examples and as properties over random sample sequences.
import {
  type AlertCondition,
  type AlertRule,
  AlertRules,
  metricNames,
  type SiteSample,
} from '@summit-bridge/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alertId,
  defaultRules,
  evaluate,
  idle,
  judge,
  type RuleState,
  raisedIn,
  step,
  type Track,
  type Verdict,
} from '../../../src/domain/telemetry/rules.js';

const noValues = Object.fromEntries(metricNames.map((m) => [m, null])) as SiteSample['values'];

function site(
  delegation: string,
  change: Partial<SiteSample> = {},
  values: Partial<SiteSample['values']> = {},
) {
  return {
    delegation,
    connection: 'connected',
    path: 'udp',
    camera: null,
    lastReconnectAt: null,
    layerLimit: null,
    values: { ...noValues, ...values },
    ...change,
  } satisfies SiteSample;
}

const lossRule: AlertRule = {
  id: 'lossIn',
  severity: 'warning',
  condition: { type: 'above', metric: 'lossInPct', raise: 5, clear: 2 },
  raiseAfterMs: 10_000,
  clearAfterMs: 10_000,
};

describe('judge', () => {
  it('tells bad, band and good apart on both sides, and takes no data as good', () => {
    const at = (lossInPct: number | null) =>
      judge(lossRule.condition, site('VNM', {}, { lossInPct })).verdict;
    expect([at(5.1), at(5), at(3), at(2), at(0), at(null)]).toEqual([
      'bad',
      'band',
      'band',
      'good',
      'good',
      'good',
    ]);
    const score = { type: 'below', metric: 'producerScore', raise: 5, clear: 7 } as const;
    const scored = (producerScore: number | null) => judge(score, site('VNM', {}, { producerScore })).verdict;
    expect([scored(4), scored(5), scored(6), scored(7), scored(10)]).toEqual([
      'bad',
      'band',
      'band',
      'good',
      'good',
    ]);
  });

  it('judges the ICE path and the connection by their states', () => {
    const path: AlertCondition = { type: 'path', paths: ['tcp', 'relay'] };
    expect(judge(path, site('VNM', { path: 'tcp' })).verdict).toBe('bad');
    expect(judge(path, site('VNM', { path: 'relay' })).verdict).toBe('bad');
    expect(judge(path, site('VNM', { path: 'udp' })).verdict).toBe('good');
    expect(judge(path, site('VNM', { path: null })).verdict).toBe('good');
    const down: AlertCondition = { type: 'connection', states: ['disconnected'] };
    expect(judge(down, site('VNM', { connection: 'disconnected' })).verdict).toBe('bad');
    expect(judge(down, site('VNM', { connection: 'connecting' })).verdict).toBe('good');
  });
});

describe('evaluate', () => {
  it('raises loss above 5 % only after 10 s, holds it in the band, clears it after 10 s below 2 %', () => {
    let state: RuleState = new Map();
    const run = (at: number, lossInPct: number) => {
      const result = evaluate(state, [site('KHM', {}, { lossInPct })], [lossRule], at);
      state = result.state;
      return result.transitions.map((t) => t.change);
    };
    expect(run(0, 8)).toEqual([]);
    expect(run(4_000, 9)).toEqual([]);
    expect(run(8_000, 7)).toEqual([]);
    expect(run(10_000, 6)).toEqual([{ type: 'raised', at: 10_000, value: 6 }]);
    expect(run(12_000, 3)).toEqual([]); // the band: still raised
    expect(run(14_000, 1)).toEqual([]); // good, clearing
    expect(run(20_000, 4)).toEqual([]); // back in the band: raised again, the clear timer resets
    expect(run(22_000, 0)).toEqual([]);
    expect(run(30_000, 0)).toEqual([]);
    expect(run(32_000, 0)).toEqual([{ type: 'cleared', raisedAt: 10_000 }]);
    expect(state.size).toBe(0);
  });

  it('keeps each site and each rule apart, in the order given', () => {
    const [disconnected, , , , , , , path] = defaultRules;
    if (!disconnected || !path) throw new Error('default rules changed');
    const rules = [disconnected, path];
    const sites = [site('BRN', { path: 'tcp' }), site('KHM', { connection: 'disconnected' }), site('IDN')];
    const first = evaluate(new Map(), sites, rules, 0);
    expect(first.transitions.map((t) => `${t.rule.id}/${t.delegation}/${t.change.type}`)).toEqual([
      'path/BRN/raised',
    ]);
    const later = evaluate(first.state, sites, rules, 4_000);
    expect(later.transitions.map((t) => `${t.rule.id}/${t.delegation}`)).toEqual(['disconnected/KHM']);
    expect(raisedIn(later.state).map((r) => r.key)).toEqual(['path/BRN', 'disconnected/KHM']);
  });

  it('names an alert by rule, site and raise time', () => {
    expect(alertId('rtt', 'VNM', 1234)).toBe('rtt-VNM-1234');
  });

  it('ships default rules that its own schema accepts', () => {
    expect(AlertRules.safeParse(defaultRules).success).toBe(true);
    const ids = defaultRules.map((r) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining(['lossIn', 'rtt', 'frozen', 'path', 'disconnected', 'producerScore']),
    );
  });

  it('refuses a rule whose clear threshold is on the wrong side', () => {
    const backwards = { ...lossRule, condition: { ...lossRule.condition, clear: 9 } };
    expect(AlertRules.safeParse([backwards]).success).toBe(false);
    expect(AlertRules.safeParse([lossRule, lossRule]).success).toBe(false);
  });
});

// ---- properties of the state machine --------------------------------------------------------

const verdicts = fc.array(
  fc.record({
    verdict: fc.constantFrom<Verdict>('bad', 'band', 'good'),
    gapMs: fc.integer({ min: 1, max: 5_000 }),
  }),
  { maxLength: 120 },
);
const timings = fc.record({
  raiseAfterMs: fc.integer({ min: 0, max: 12_000 }),
  clearAfterMs: fc.integer({ min: 0, max: 12_000 }),
});
// Long sequences of short gaps: enough runs to find an alert that clears or raises a step early.
const runs = { numRuns: 400 };

interface Observed {
  at: number;
  verdict: Verdict;
  before: Track;
  after: Track;
  change: ReturnType<typeof step>['change'];
}

function runSteps(
  sequence: { verdict: Verdict; gapMs: number }[],
  timing: typeof timings extends fc.Arbitrary<infer T> ? T : never,
) {
  let track: Track = idle;
  let at = 0;
  const observed: Observed[] = [];
  for (const { verdict, gapMs } of sequence) {
    at += gapMs;
    const result = step(track, verdict, null, timing, at);
    observed.push({ at, verdict, before: track, after: result.track, change: result.change });
    track = result.track;
  }
  return observed;
}

const isUp = (t: Track) => t.phase === 'raised' || t.phase === 'clearing';

/** When the run of verdicts satisfying `ok` that ends at index i began (its first sample's time). */
function runStart(observed: Observed[], i: number, ok: (v: Verdict) => boolean): number {
  let start = i;
  while (start > 0 && ok((observed[start - 1] as Observed).verdict)) start--;
  return (observed[start] as Observed).at;
}

describe('hysteresis (properties)', () => {
  it('raises only after the condition held without a break for raiseAfterMs', () => {
    fc.assert(
      fc.property(verdicts, timings, (sequence, timing) => {
        const observed = runSteps(sequence, timing);
        observed.forEach((o, i) => {
          if (o.change?.type !== 'raised') return;
          expect(o.verdict).toBe('bad');
          expect(o.at - runStart(observed, i, (v) => v === 'bad')).toBeGreaterThanOrEqual(
            timing.raiseAfterMs,
          );
        });
      }),
      runs,
    );
  });

  it('clears only after the condition was over (past the clear threshold) for clearAfterMs', () => {
    fc.assert(
      fc.property(verdicts, timings, (sequence, timing) => {
        const observed = runSteps(sequence, timing);
        observed.forEach((o, i) => {
          if (o.change?.type !== 'cleared') return;
          expect(o.verdict).toBe('good');
          expect(o.at - runStart(observed, i, (v) => v === 'good')).toBeGreaterThanOrEqual(
            timing.clearAfterMs,
          );
        });
      }),
      runs,
    );
  });

  it('never fails to raise a condition that held long enough, nor to clear one that was over long enough', () => {
    fc.assert(
      fc.property(verdicts, timings, (sequence, timing) => {
        const observed = runSteps(sequence, timing);
        observed.forEach((o, i) => {
          if (o.verdict === 'bad' && o.at - runStart(observed, i, (v) => v === 'bad') >= timing.raiseAfterMs)
            expect(isUp(o.after)).toBe(true);
          if (
            o.verdict === 'good' &&
            o.at - runStart(observed, i, (v) => v === 'good') >= timing.clearAfterMs
          )
            expect(isUp(o.after)).toBe(false);
        });
      }),
      runs,
    );
  });

  it('never changes whether an alert is up on a value in the band between the thresholds', () => {
    fc.assert(
      fc.property(verdicts, timings, (sequence, timing) => {
        for (const o of runSteps(sequence, timing)) {
          if (o.verdict === 'band') {
            expect(isUp(o.after)).toBe(isUp(o.before));
            expect(o.change).toBeNull();
          }
        }
      }),
      runs,
    );
  });

  it('raises and clears in turn, each change matching what is up', () => {
    fc.assert(
      fc.property(verdicts, timings, (sequence, timing) => {
        let up = false;
        let raisedAt: number | null = null;
        for (const o of runSteps(sequence, timing)) {
          if (o.change?.type === 'raised') {
            expect(up).toBe(false);
            up = true;
            raisedAt = o.change.at;
          } else if (o.change?.type === 'cleared') {
            expect(up).toBe(true);
            expect(o.change.raisedAt).toBe(raisedAt);
            up = false;
          }
          expect(isUp(o.after)).toBe(up);
        }
      }),
      runs,
    );
  });

  it('does not flap: over real values, it raises after 10 s above 5 % and clears after 10 s at or below 2 %', () => {
    const values = fc.array(fc.option(fc.double({ min: 0, max: 20, noNaN: true }), { nil: null }), {
      maxLength: 150,
    });
    const window = 10_000 / 2_000; // samples before the one that changes the alert
    fc.assert(
      fc.property(values, (losses) => {
        let state: RuleState = new Map();
        losses.forEach((lossInPct, i) => {
          const result = evaluate(state, [site('LAO', {}, { lossInPct })], [lossRule], i * 2_000);
          state = result.state;
          const last = losses.slice(Math.max(0, i - window), i + 1);
          for (const { change } of result.transitions) {
            expect(last).toHaveLength(window + 1);
            if (change.type === 'raised') expect(last.every((v) => v !== null && v > 5)).toBe(true);
            else expect(last.every((v) => v === null || v <= 2)).toBe(true);
          }
        });
      }),
      runs,
    );
  });
});
