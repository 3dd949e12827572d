import {
  DelegationCode,
  MetricName,
  metricNames,
  RequestError,
  type TelemetryHistory,
  TelemetryRange,
} from '@summit-bridge/protocol';
import { z } from 'zod';
import type { SessionKey } from '../domain/sessionKey.js';
import { historyOf, rangeMs } from '../domain/telemetry/series.js';
import type { SummitCatalog } from '../sessions/SummitCatalog.js';
import type { TelemetryStore } from '../store/StateStore.js';

/** GET …/telemetry?site=VNM&metric=rttMs,lossInPct&range=1h|48h&format=json|csv */
export const HistoryQuery = z.strictObject({
  site: DelegationCode,
  metric: z
    .string()
    .optional()
    .transform((list, ctx) => {
      if (list === undefined || list === '') return [...metricNames];
      const names = list.split(',');
      const unknown = names.find((n) => !MetricName.safeParse(n).success);
      if (unknown !== undefined) {
        ctx.addIssue({ code: 'custom', message: `no metric ${unknown}; one of ${metricNames.join(', ')}` });
        return z.NEVER;
      }
      return names as MetricName[];
    }),
  range: TelemetryRange.default('1h'),
  format: z.enum(['json', 'csv']).default('json'),
});
export type HistoryQuery = z.output<typeof HistoryQuery>;

/** A site's history over a range, from the store, as chart columns. */
export async function readHistory(
  store: TelemetryStore,
  summits: SummitCatalog,
  key: SessionKey,
  query: HistoryQuery,
  now: number,
): Promise<TelemetryHistory> {
  const { ctx } = await summits.context(key.summitId, key.sessionId);
  if (!ctx.delegations.includes(query.site))
    throw new RequestError('not_found', `${query.site} does not take part in session ${key.sessionId}`);
  const since = now - rangeMs[query.range];
  const points =
    query.range === '1h'
      ? await store.readRawTelemetry(key.summitId, key.sessionId, query.site, since)
      : await store.readMinuteTelemetry(key.summitId, key.sessionId, query.site, since);
  return historyOf(query.site, query.range, points, query.metric);
}
