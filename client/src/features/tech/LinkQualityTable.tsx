import type { AlertRule, MetricName, SiteSample } from '@summit-bridge/protocol';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Flag } from '../../flags/Flag.js';
import { localized } from '../../i18n/index.js';
import { formatClock } from '../../shared/time.js';
import { useSession } from '../session/SessionContext.js';
import { connectionLevel, type Level, levelOf, pathLevel } from './telemetryView.js';

export interface SiteActions {
  restartIce(delegation: string): void;
  limitLayer(delegation: string, spatialLayer: number | null): void;
}

/** A cell whose colour says how it stands; the words say it too, for those who do not see colour. */
function Cell({ level, children }: { level: Level; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <td className={`link-cell link-cell--${level}`}>
      {children}
      {level !== 'ok' && <span className="visually-hidden"> ({t(`tech.level.${level}`)})</span>}
    </td>
  );
}

function MetricCell({
  rules,
  site,
  metric,
  unit,
}: {
  rules: readonly AlertRule[];
  site: SiteSample | undefined;
  metric: MetricName;
  unit: 'ms' | 'pct' | 'kbps';
}) {
  const { t, i18n } = useTranslation();
  const value = site?.values[metric] ?? null;
  const number = value === null ? null : value.toLocaleString(i18n.language, { maximumFractionDigits: 1 });
  return (
    <Cell level={levelOf(rules, metric, value)}>
      {number === null ? '—' : t(`tech.unit.${unit}`, { value: number })}
    </Cell>
  );
}

/**
 * One row per site of the session, in precedence order: how its media reaches the server, the
 * link's numbers coloured by the alert thresholds, and what a technician can do about it.
 */
export function LinkQualityTable({
  rules,
  sites,
  actions,
}: {
  rules: readonly AlertRule[];
  sites: Readonly<Record<string, SiteSample>>;
  actions: SiteActions;
}) {
  const { t, i18n } = useTranslation();
  const { live } = useSession();
  const columns = [
    'site',
    'connection',
    'path',
    'rtt',
    'lossIn',
    'lossOut',
    'jitter',
    'bitrateIn',
    'bitrateOut',
    'stageLayer',
    'camera',
    'lastReconnect',
    'actions',
  ] as const;
  return (
    <table className="link-table">
      <caption>{t('tech.linkQuality')}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {t(`tech.column.${column}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {live.delegations.map((delegation) => {
          const site = sites[delegation.code];
          const name = localized(delegation.name, i18n.language);
          const connection = site?.connection ?? 'absent';
          const layer = site?.values.stageLayer ?? null;
          const camera = site?.camera;
          return (
            <tr key={delegation.code} data-site={delegation.code}>
              <th scope="row">
                <Flag delegation={delegation} className="link-table__flag" />
                {name}
              </th>
              <Cell level={site ? connectionLevel(connection) : 'ok'}>
                {t(`tech.connection.${connection}`)}
              </Cell>
              <Cell level={pathLevel(site?.path ?? null)}>
                {site?.path ? t(`tech.path.${site.path}`) : '—'}
              </Cell>
              <MetricCell rules={rules} site={site} metric="rttMs" unit="ms" />
              <MetricCell rules={rules} site={site} metric="lossInPct" unit="pct" />
              <MetricCell rules={rules} site={site} metric="lossOutPct" unit="pct" />
              <MetricCell rules={rules} site={site} metric="jitterMs" unit="ms" />
              <MetricCell rules={rules} site={site} metric="bitrateInKbps" unit="kbps" />
              <MetricCell rules={rules} site={site} metric="bitrateOutKbps" unit="kbps" />
              <Cell level={site?.layerLimit !== null && site?.layerLimit !== undefined ? 'warn' : 'ok'}>
                {layer === null ? '—' : t(`tech.layer.${layer as 0 | 1 | 2}`)}
              </Cell>
              <Cell level={camera && camera.qualityLimitation !== 'none' ? 'warn' : 'ok'}>
                {camera ? t('tech.cameraSent', camera) : '—'}
                {camera && camera.qualityLimitation !== 'none' && (
                  <span className="link-table__note">{t(`tech.limitation.${camera.qualityLimitation}`)}</span>
                )}
              </Cell>
              <td>
                {site?.lastReconnectAt ? formatClock(site.lastReconnectAt, i18n.language) : t('tech.never')}
              </td>
              <td className="link-table__actions">
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('tech.restartIce', { site: name })}
                  disabled={!site || connection === 'disconnected'}
                  onClick={() => actions.restartIce(delegation.code)}
                >
                  {t('tech.restartIceShort')}
                </button>
                <select
                  aria-label={t('tech.layerLimit', { site: name })}
                  value={site?.layerLimit ?? ''}
                  disabled={!site}
                  onChange={(e) =>
                    actions.limitLayer(delegation.code, e.target.value === '' ? null : Number(e.target.value))
                  }
                >
                  <option value="">{t('tech.noLimit')}</option>
                  {([1, 0] as const).map((l) => (
                    <option key={l} value={l}>
                      {t('tech.limitTo', { layer: t(`tech.layer.${l}`) })}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
