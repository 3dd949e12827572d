import type { Alert, AlertRule, SiteSample } from '@summit-bridge/protocol';
import { metricNames } from '@summit-bridge/protocol';
import { describe, expect, it } from 'vitest';
import {
  alertsToShow,
  emptyTelemetry,
  levelOf,
  telemetryReducer,
} from '../src/features/tech/telemetryView.js';

const alert = (id: string, raisedAt: number, more: Partial<Alert> = {}): Alert => ({
  id,
  rule: 'rtt',
  severity: 'warning',
  delegation: 'KHM',
  raisedAt,
  value: 450,
  acknowledgedAt: null,
  acknowledgedBy: null,
  clearedAt: null,
  ...more,
});

const site = (delegation: string, rttMs: number): SiteSample => ({
  delegation,
  connection: 'connected',
  path: 'udp',
  camera: null,
  lastReconnectAt: null,
  layerLimit: null,
  values: { ...Object.fromEntries(metricNames.map((m) => [m, null])), rttMs } as SiteSample['values'],
});

const rtt: AlertRule = {
  id: 'rtt',
  severity: 'warning',
  condition: { type: 'above', metric: 'rttMs', raise: 400, clear: 300 },
  raiseAfterMs: 6_000,
  clearAfterMs: 10_000,
};

describe('the technician console view', () => {
  it('never lets a late push undo an acknowledgement or a clear', () => {
    let view = telemetryReducer(emptyTelemetry, { type: 'alert', alert: alert('a', 1) });
    view = telemetryReducer(view, {
      type: 'alert',
      alert: alert('a', 1, { acknowledgedAt: 5, acknowledgedBy: 'tech', clearedAt: 9 }),
    });
    view = telemetryReducer(view, { type: 'alert', alert: alert('a', 1) });
    expect(view.alerts.a).toMatchObject({ acknowledgedAt: 5, acknowledgedBy: 'tech', clearedAt: 9 });
  });

  it('keeps pushes that overtook the snapshot, and ignores an older sample', () => {
    let view = telemetryReducer(emptyTelemetry, { type: 'snapshotRequested' });
    view = telemetryReducer(view, {
      type: 'sample',
      sample: { at: 10, sites: [site('KHM', 90)], interpreters: [] },
    });
    view = telemetryReducer(view, { type: 'alert', alert: alert('b', 8, { clearedAt: 10 }) });
    view = telemetryReducer(view, {
      type: 'snapshot',
      snapshot: {
        rules: [rtt],
        alerts: [alert('b', 8)],
        latest: { at: 4, sites: [site('KHM', 500)], interpreters: [] },
      },
    });
    expect(view.loaded).toBe(true);
    expect(view.alerts.b?.clearedAt).toBe(10);
    expect(view.latest?.at).toBe(10);
    expect(view.sites.KHM?.values.rttMs).toBe(90);
    view = telemetryReducer(view, {
      type: 'sample',
      sample: { at: 6, sites: [site('KHM', 700)], interpreters: [] },
    });
    expect(view.sites.KHM?.values.rttMs).toBe(90);
  });

  it('replaces what it held before by the snapshot: no stale alert up, none listed twice', () => {
    // Before an outage: an alert up, another the server will forget, a site's sample.
    let view = telemetryReducer(emptyTelemetry, {
      type: 'snapshot',
      snapshot: { rules: [rtt], alerts: [alert('a', 1), alert('gone', 2)], latest: null },
    });
    view = telemetryReducer(view, {
      type: 'sample',
      sample: { at: 5, sites: [site('KOR', 700)], interpreters: [] },
    });
    // Back after the outage: the server cleared `a`, raised and cleared `a2`, forgot `gone`.
    view = telemetryReducer(view, { type: 'snapshotRequested' });
    view = telemetryReducer(view, {
      type: 'snapshot',
      snapshot: {
        rules: [rtt],
        alerts: [alert('a', 1, { clearedAt: 20 }), alert('a2', 30, { clearedAt: 40 })],
        latest: { at: 45, sites: [site('KHM', 80)], interpreters: [] },
      },
    });
    expect(Object.keys(view.alerts).sort()).toEqual(['a', 'a2']);
    expect(alertsToShow(view.alerts).every((a) => a.clearedAt !== null)).toBe(true);
    expect(Object.keys(view.sites)).toEqual(['KHM']);
    expect(view.latest?.at).toBe(45);
    expect(view.awaitingSnapshot).toBe(false);
  });

  it('lists alerts still up first, critical first, then the newest cleared', () => {
    const shown = alertsToShow({
      old: alert('old', 1, { clearedAt: 2 }),
      warn: alert('warn', 5),
      crit: alert('crit', 3, { severity: 'critical' }),
      recent: alert('recent', 4, { clearedAt: 6 }),
    });
    expect(shown.map((a) => a.id)).toEqual(['crit', 'warn', 'recent', 'old']);
  });

  it('colours a value by the rule watching it, so that the table and the alerts agree', () => {
    expect(levelOf([rtt], 'rttMs', 250)).toBe('ok');
    expect(levelOf([rtt], 'rttMs', 350)).toBe('warn');
    expect(levelOf([rtt], 'rttMs', 401)).toBe('bad');
    expect(levelOf([], 'rttMs', 401)).toBe('bad');
    expect(levelOf([rtt], 'rttMs', null)).toBe('ok');
  });
});
