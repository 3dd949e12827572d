import type {
  Alert,
  AlertRule,
  MetricName,
  SiteConnection,
  SiteSample,
  TelemetrySample,
  TelemetrySnapshot,
} from '@summit-bridge/protocol';

// What the technician console shows, kept current by the server's telemetry pushes. Pure.

export interface TelemetryView {
  loaded: boolean;
  rules: readonly AlertRule[];
  /** Every alert the console knows, by id. */
  alerts: Readonly<Record<string, Alert>>;
  /** Each site's newest sample, by delegation. */
  sites: Readonly<Record<string, SiteSample>>;
  /** The newest sampling round's time, for charts that follow along. */
  latest: TelemetrySample | null;
  /** A snapshot is on its way: pushes meanwhile are kept, to replay on top of it. */
  awaitingSnapshot: boolean;
  queued: readonly TelemetryPush[];
}

export const emptyTelemetry: TelemetryView = {
  loaded: false,
  rules: [],
  alerts: {},
  sites: {},
  latest: null,
  awaitingSnapshot: false,
  queued: [],
};

type TelemetryPush = { type: 'sample'; sample: TelemetrySample } | { type: 'alert'; alert: Alert };

export type TelemetryEvent =
  | { type: 'snapshotRequested' }
  | { type: 'snapshotFailed' }
  | { type: 'snapshot'; snapshot: TelemetrySnapshot }
  | TelemetryPush;

const byId = (alerts: readonly Alert[]) => Object.fromEntries(alerts.map((a) => [a.id, a]));

function withSample(sites: TelemetryView['sites'], sample: TelemetrySample): TelemetryView['sites'] {
  const next = { ...sites };
  for (const site of sample.sites) next[site.delegation] = site;
  return next;
}

export function telemetryReducer(view: TelemetryView, event: TelemetryEvent): TelemetryView {
  switch (event.type) {
    case 'snapshotRequested':
      return { ...view, awaitingSnapshot: true, queued: [] };
    case 'snapshotFailed':
      return { ...view, awaitingSnapshot: false, queued: [] };
    case 'snapshot': {
      // The snapshot is the truth: what the page held before (an outage may have hidden a clear,
      // or an alert the server no longer has) is replaced, never merged with it.
      const { snapshot } = event;
      const fresh: TelemetryView = {
        loaded: true,
        rules: snapshot.rules,
        alerts: byId(snapshot.alerts),
        sites: snapshot.latest ? withSample({}, snapshot.latest) : {},
        latest: snapshot.latest,
        awaitingSnapshot: false,
        queued: [],
      };
      // Pushes that came while it was on its way may be newer: replayed, they only move it forward.
      return view.queued.reduce(applyPush, fresh);
    }
    case 'sample':
    case 'alert': {
      const queued = view.awaitingSnapshot ? [...view.queued, event] : view.queued;
      return applyPush({ ...view, queued }, event);
    }
  }
}

function applyPush(view: TelemetryView, push: TelemetryPush): TelemetryView {
  if (push.type === 'sample') {
    if (view.latest && push.sample.at <= view.latest.at) return view;
    return { ...view, sites: withSample(view.sites, push.sample), latest: push.sample };
  }
  const known = view.alerts[push.alert.id];
  // An acknowledged or cleared alert never goes back to raised because of a late push.
  const merged: Alert = known
    ? {
        ...push.alert,
        acknowledgedAt: push.alert.acknowledgedAt ?? known.acknowledgedAt,
        acknowledgedBy: push.alert.acknowledgedBy ?? known.acknowledgedBy,
        clearedAt: push.alert.clearedAt ?? known.clearedAt,
      }
    : push.alert;
  return { ...view, alerts: { ...view.alerts, [merged.id]: merged } };
}

/** Alerts as the list shows them: the ones up first (critical first), newest first; then a few cleared. */
export function alertsToShow(alerts: TelemetryView['alerts'], clearedKept = 20): Alert[] {
  const all = Object.values(alerts);
  const newest = (a: Alert, b: Alert) => b.raisedAt - a.raisedAt || (a.id < b.id ? -1 : 1);
  const up = all
    .filter((a) => a.clearedAt === null)
    .sort((a, b) => Number(b.severity === 'critical') - Number(a.severity === 'critical') || newest(a, b));
  const cleared = all.filter((a) => a.clearedAt !== null).sort(newest);
  return [...up, ...cleared.slice(0, clearedKept)];
}

export type Level = 'ok' | 'warn' | 'bad';

// Colours for metrics no rule watches, so that every number the table shows has one.
const fallback: Partial<Record<MetricName, { above?: [number, number]; below?: [number, number] }>> = {
  rttMs: { above: [250, 400] },
  lossInPct: { above: [2, 5] },
  lossOutPct: { above: [2, 5] },
  jitterMs: { above: [30, 50] },
  producerScore: { below: [7, 5] },
  consumerScore: { below: [7, 5] },
};

/**
 * The colour of a metric's value: from the alert rule on that metric (past its raise threshold:
 * bad; past its clear threshold: warn), so that the table and the alerts agree.
 */
export function levelOf(rules: readonly AlertRule[], metric: MetricName, value: number | null): Level {
  if (value === null) return 'ok';
  const rule = rules.find(
    (r) => (r.condition.type === 'above' || r.condition.type === 'below') && r.condition.metric === metric,
  );
  if (rule && (rule.condition.type === 'above' || rule.condition.type === 'below')) {
    const { type, raise, clear } = rule.condition;
    const past = (threshold: number) => (type === 'above' ? value > threshold : value < threshold);
    return past(raise) ? 'bad' : past(clear) ? 'warn' : 'ok';
  }
  const band = fallback[metric];
  if (band?.above) return value > band.above[1] ? 'bad' : value > band.above[0] ? 'warn' : 'ok';
  if (band?.below) return value < band.below[1] ? 'bad' : value < band.below[0] ? 'warn' : 'ok';
  return 'ok';
}

export function connectionLevel(connection: SiteConnection): Level {
  return connection === 'disconnected' ? 'bad' : connection === 'connected' ? 'ok' : 'warn';
}

export function pathLevel(path: SiteSample['path']): Level {
  return path === 'relay' || path === 'tcp' ? 'warn' : 'ok';
}
