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
}

export const emptyTelemetry: TelemetryView = {
  loaded: false,
  rules: [],
  alerts: {},
  sites: {},
  latest: null,
};

export type TelemetryEvent =
  | { type: 'snapshot'; snapshot: TelemetrySnapshot }
  | { type: 'sample'; sample: TelemetrySample }
  | { type: 'alert'; alert: Alert };

const byId = (alerts: readonly Alert[]) => Object.fromEntries(alerts.map((a) => [a.id, a]));

function withSample(sites: TelemetryView['sites'], sample: TelemetrySample): TelemetryView['sites'] {
  const next = { ...sites };
  for (const site of sample.sites) next[site.delegation] = site;
  return next;
}

export function telemetryReducer(view: TelemetryView, event: TelemetryEvent): TelemetryView {
  switch (event.type) {
    case 'snapshot': {
      const { snapshot } = event;
      return {
        loaded: true,
        rules: snapshot.rules,
        // Pushes that came while the snapshot was on its way are newer than it.
        alerts: { ...byId(snapshot.alerts), ...view.alerts },
        // A sample pushed meanwhile is newer than the snapshot's: the snapshot's must not undo it.
        sites: snapshot.latest && !view.latest ? withSample(view.sites, snapshot.latest) : view.sites,
        latest: view.latest ?? snapshot.latest,
      };
    }
    case 'sample':
      if (view.latest && event.sample.at < view.latest.at) return view;
      return { ...view, sites: withSample(view.sites, event.sample), latest: event.sample };
    case 'alert': {
      const known = view.alerts[event.alert.id];
      // An acknowledged or cleared alert never goes back to raised because of a late push.
      const merged: Alert = known
        ? {
            ...event.alert,
            acknowledgedAt: event.alert.acknowledgedAt ?? known.acknowledgedAt,
            acknowledgedBy: event.alert.acknowledgedBy ?? known.acknowledgedBy,
            clearedAt: event.alert.clearedAt ?? known.clearedAt,
          }
        : event.alert;
      return { ...view, alerts: { ...view.alerts, [merged.id]: merged } };
    }
  }
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
