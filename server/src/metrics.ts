import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What operators scrape from GET /metrics; one registry per server so tests stay isolated. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requestSeconds: new Histogram({
      name: 'summit_request_seconds',
      help: 'Socket requests by name and outcome',
      labelNames: ['request', 'outcome'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    connectedSockets: new Gauge({
      name: 'summit_connected_sockets',
      help: 'Sockets connected to this instance',
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'summit_auth_failures_total',
      help: 'Rejected tokens and admissions, by reason',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    sessionChanges: new Counter({
      name: 'summit_session_changes_total',
      help: 'Session state changes made by this instance',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
