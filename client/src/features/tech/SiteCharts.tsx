import type { TelemetryRange, TelemetrySample } from '@summit-bridge/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localized } from '../../i18n/index.js';
import { errorText } from '../../shared/errorText.js';
import { useSession } from '../session/SessionContext.js';
import { type ChartData, chartDataOf, chartMetrics, withSample } from './chartData.js';
import { downloadCsv, fetchHistory, type HistorySource } from './history.js';
import { SiteChart } from './SiteChart.js';

/** 48 h is kept as finished minutes: reading it again each minute keeps it current. */
const minuteRefreshMs = 60_000;

/** A chart per site over the last hour (following the live samples) or the last 48 h. */
export function SiteCharts({ source, latest }: { source: HistorySource; latest: TelemetrySample | null }) {
  const { t, i18n } = useTranslation();
  const { live, notices } = useSession();
  const [range, setRange] = useState<TelemetryRange>('1h');
  const [charts, setCharts] = useState<Readonly<Record<string, ChartData>>>({});
  const sites = live.delegations;

  useEffect(() => {
    let current = true;
    const load = () =>
      Promise.all(
        sites.map(async ({ code }) => {
          const history = await fetchHistory(source, code, range, chartMetrics);
          if (current) setCharts((all) => ({ ...all, [code]: chartDataOf(history) }));
        }),
      ).catch((error) => current && notices.show(errorText(t, error)));
    setCharts({});
    void load();
    const refresh = range === '48h' ? setInterval(() => void load(), minuteRefreshMs) : null;
    return () => {
      current = false;
      if (refresh) clearInterval(refresh);
    };
  }, [source, range, sites, notices, t]);

  useEffect(() => {
    if (!latest || range !== '1h') return;
    setCharts((all) => {
      const next = { ...all };
      for (const site of latest.sites) {
        const data = next[site.delegation];
        if (data) next[site.delegation] = withSample(data, latest.at, site.values, range);
      }
      return next;
    });
  }, [latest, range]);

  return (
    <section className="site-charts" aria-labelledby="history-title">
      <div className="site-charts__head">
        <h2 id="history-title">{t('tech.history')}</h2>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('tech.history')}</legend>
          {(['1h', '48h'] as const).map((r) => (
            <label key={r}>
              <input type="radio" name="history-range" checked={range === r} onChange={() => setRange(r)} />
              {r === '1h' ? t('tech.lastHour') : t('tech.last48h')}
            </label>
          ))}
        </fieldset>
        {range === '48h' && <p className="site-charts__note">{t('tech.chartNote')}</p>}
      </div>
      <div className="site-charts__grid">
        {sites.map((delegation) => {
          const name = localized(delegation.name, i18n.language);
          const data = charts[delegation.code];
          return (
            <div key={delegation.code} className="site-charts__site">
              <div className="site-charts__title">
                <h3>{name}</h3>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('tech.exportCsv', { site: name })}
                  onClick={() =>
                    downloadCsv(source, delegation.code, range, []).catch((error) =>
                      notices.show(errorText(t, error)),
                    )
                  }
                >
                  {t('tech.exportShort')}
                </button>
              </div>
              {data && data[0].length > 0 ? (
                <SiteChart label={t('tech.chart', { site: name })} data={data} range={range} />
              ) : (
                <p className="site-charts__empty">{t('tech.noHistory')}</p>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}
