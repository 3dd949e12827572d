// Alert rules over site samples, with hysteresis: a condition must hold for a while before an
// alert is raised, and be over (past a separate, healthier threshold) for a while before it
// clears. Pure: (state, samples, rules, now) -> (state, transitions).
import type { AlertCondition, AlertRule, SiteSample } from '@summit-bridge/protocol';

/** The rules a server starts with, unless TELEMETRY_RULES_FILE names others. */
export const defaultRules: AlertRule[] = [
  {
    id: 'disconnected',
    severity: 'critical',
    condition: { type: 'connection', states: ['disconnected'] },
    raiseAfterMs: 4_000,
    clearAfterMs: 4_000,
  },
  {
    id: 'frozen',
    severity: 'critical',
    condition: { type: 'below', metric: 'cameraKbps', raise: 15, clear: 50 },
    raiseAfterMs: 4_000,
    clearAfterMs: 6_000,
  },
  {
    id: 'lossIn',
    severity: 'warning',
    condition: { type: 'above', metric: 'lossInPct', raise: 5, clear: 2 },
    raiseAfterMs: 10_000,
    clearAfterMs: 10_000,
  },
  {
    id: 'lossOut',
    severity: 'warning',
    condition: { type: 'above', metric: 'lossOutPct', raise: 5, clear: 2 },
    raiseAfterMs: 10_000,
    clearAfterMs: 10_000,
  },
  {
    id: 'rtt',
    severity: 'warning',
    condition: { type: 'above', metric: 'rttMs', raise: 400, clear: 300 },
    raiseAfterMs: 6_000,
    clearAfterMs: 10_000,
  },
  {
    id: 'jitter',
    severity: 'warning',
    condition: { type: 'above', metric: 'jitterMs', raise: 50, clear: 30 },
    raiseAfterMs: 10_000,
    clearAfterMs: 10_000,
  },
  {
    id: 'producerScore',
    severity: 'warning',
    condition: { type: 'below', metric: 'producerScore', raise: 5, clear: 7 },
    raiseAfterMs: 6_000,
    clearAfterMs: 10_000,
  },
  {
    id: 'path',
    severity: 'warning',
    condition: { type: 'path', paths: ['tcp', 'relay'] },
    raiseAfterMs: 0,
    clearAfterMs: 10_000,
  },
];

/**
 * How one sample stands against a condition: `bad` is past the raise threshold, `good` on the
 * healthy side of the clear threshold, `band` in between. No value (nothing measured) is good:
 * a condition never raises without data, and an alert whose data went away clears.
 */
export type Verdict = 'bad' | 'band' | 'good';

export function judge(
  condition: AlertCondition,
  site: SiteSample,
): { verdict: Verdict; value: number | null } {
  switch (condition.type) {
    case 'above':
    case 'below': {
      const value = site.values[condition.metric];
      if (value === null) return { verdict: 'good', value };
      const past = (threshold: number) =>
        condition.type === 'above' ? value > threshold : value < threshold;
      return { verdict: past(condition.raise) ? 'bad' : past(condition.clear) ? 'band' : 'good', value };
    }
    case 'path':
      return {
        verdict: site.path !== null && condition.paths.includes(site.path) ? 'bad' : 'good',
        value: null,
      };
    case 'connection':
      return { verdict: condition.states.includes(site.connection) ? 'bad' : 'good', value: null };
  }
}

/**
 * One rule on one site. `pending`: bad since `since`, not raised yet; `raised`: the alert is up;
 * `clearing`: raised, and good since `since`.
 */
export type Track =
  | { phase: 'ok' }
  | { phase: 'pending'; since: number }
  | { phase: 'raised'; raisedAt: number }
  | { phase: 'clearing'; raisedAt: number; since: number };

export const idle: Track = { phase: 'ok' };

export type Change =
  | { type: 'raised'; at: number; value: number | null }
  | { type: 'cleared'; raisedAt: number };

type Timing = Pick<AlertRule, 'raiseAfterMs' | 'clearAfterMs'>;
type Stepped = { track: Track; change: Change | null };

function raiseOrWait(since: number, value: number | null, rule: Timing, now: number): Stepped {
  if (now - since < rule.raiseAfterMs) return { track: { phase: 'pending', since }, change: null };
  return { track: { phase: 'raised', raisedAt: now }, change: { type: 'raised', at: now, value } };
}

function clearOrWait(raisedAt: number, since: number, rule: Timing, now: number): Stepped {
  if (now - since < rule.clearAfterMs) return { track: { phase: 'clearing', raisedAt, since }, change: null };
  return { track: idle, change: { type: 'cleared', raisedAt } };
}

/** The hysteresis state machine of one rule on one site. */
export function step(
  track: Track,
  verdict: Verdict,
  value: number | null,
  rule: Timing,
  now: number,
): Stepped {
  switch (track.phase) {
    case 'ok':
      return verdict === 'bad' ? raiseOrWait(now, value, rule, now) : { track, change: null };
    case 'pending':
      return verdict === 'bad' ? raiseOrWait(track.since, value, rule, now) : { track: idle, change: null };
    case 'raised':
      return verdict === 'good' ? clearOrWait(track.raisedAt, now, rule, now) : { track, change: null };
    case 'clearing':
      return verdict === 'good'
        ? clearOrWait(track.raisedAt, track.since, rule, now)
        : { track: { phase: 'raised', raisedAt: track.raisedAt }, change: null };
  }
}

/** Every rule's track on every site, keyed by `trackKey`. */
export type RuleState = ReadonlyMap<string, Track>;

export const trackKey = (ruleId: string, delegation: string) => `${ruleId}/${delegation}`;

/** An alert's id: one rule, one site, one raise. */
export const alertId = (ruleId: string, delegation: string, raisedAt: number) =>
  `${ruleId}-${delegation}-${raisedAt}`;

export interface Transition {
  rule: AlertRule;
  delegation: string;
  change: Change;
}

/** Runs every rule on every site of a sampling round. */
export function evaluate(
  state: RuleState,
  sites: readonly SiteSample[],
  rules: readonly AlertRule[],
  now: number,
): { state: RuleState; transitions: Transition[] } {
  const next = new Map(state);
  const transitions: Transition[] = [];
  for (const site of sites) {
    for (const rule of rules) {
      const key = trackKey(rule.id, site.delegation);
      const { verdict, value } = judge(rule.condition, site);
      const result = step(state.get(key) ?? idle, verdict, value, rule, now);
      if (result.track.phase === 'ok') next.delete(key);
      else next.set(key, result.track);
      if (result.change) transitions.push({ rule, delegation: site.delegation, change: result.change });
    }
  }
  return { state: next, transitions };
}

/** The alerts still up in a state: what to clear when sampling stops. */
export function raisedIn(state: RuleState): { key: string; raisedAt: number }[] {
  return [...state].flatMap(([key, track]) =>
    track.phase === 'raised' || track.phase === 'clearing' ? [{ key, raisedAt: track.raisedAt }] : [],
  );
}
