import {
  ErrorBody,
  type MetricName,
  RequestError,
  TelemetryHistory,
  type TelemetryRange,
} from '@summit-bridge/protocol';

/** Where a site's history is, and who asks: the technician's own token, as a bearer. */
export interface HistorySource {
  token: string;
  summitId: string;
  sessionId: string;
}

function historyUrl(
  source: HistorySource,
  site: string,
  range: TelemetryRange,
  metrics: readonly MetricName[],
  format: 'json' | 'csv',
) {
  const query = new URLSearchParams({ site, range, metric: metrics.join(','), format });
  return `/api/v1/summits/${source.summitId}/sessions/${source.sessionId}/telemetry?${query}`;
}

async function get(url: string, token: string, fetchImpl: typeof fetch): Promise<Response> {
  const response = await fetchImpl(url, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
  if (response.ok) return response;
  const error = ErrorBody.safeParse(
    ((await response.json().catch(() => null)) as { error?: unknown } | null)?.error,
  );
  throw error.success
    ? new RequestError(error.data.code, error.data.message, error.data.path)
    : new RequestError('unavailable', `HTTP ${response.status}`);
}

/** A site's history over a range, checked against the contract. */
export async function fetchHistory(
  source: HistorySource,
  site: string,
  range: TelemetryRange,
  metrics: readonly MetricName[],
  fetchImpl: typeof fetch = fetch,
): Promise<TelemetryHistory> {
  const response = await get(historyUrl(source, site, range, metrics, 'json'), source.token, fetchImpl);
  const parsed = TelemetryHistory.safeParse(await response.json());
  if (!parsed.success) throw new RequestError('internal', 'the history is out of contract');
  return parsed.data;
}

/** Saves a site's history as a CSV file: fetched with the token, then handed to the browser. */
export async function downloadCsv(
  source: HistorySource,
  site: string,
  range: TelemetryRange,
  metrics: readonly MetricName[],
): Promise<void> {
  const response = await get(historyUrl(source, site, range, metrics, 'csv'), source.token, fetch);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `telemetry-${source.summitId}-${source.sessionId}-${site}-${range}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
