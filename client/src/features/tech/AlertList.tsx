import type { Alert, AlertCondition, AlertRule } from '@summit-bridge/protocol';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatClock } from '../../shared/time.js';
import { useDelegationName } from '../session/useNames.js';

const units: Partial<Record<string, 'ms' | 'pct' | 'kbps'>> = {
  rttMs: 'ms',
  jitterMs: 'ms',
  lossInPct: 'pct',
  lossOutPct: 'pct',
  bitrateInKbps: 'kbps',
  bitrateOutKbps: 'kbps',
  availableInKbps: 'kbps',
  cameraKbps: 'kbps',
};

function valueText(t: TFunction, metric: string, value: number): string {
  const unit = units[metric];
  return unit ? t(`tech.unit.${unit}`, { value }) : String(value);
}

/** A rule's condition in words: "Loss to the site above 5 %", "Media over TCP, Relay". */
export function conditionText(t: TFunction, condition: AlertCondition): string {
  switch (condition.type) {
    case 'above':
    case 'below':
      return t(`tech.condition.${condition.type}`, {
        metric: t(`tech.metric.${condition.metric}`),
        value: valueText(t, condition.metric, condition.raise),
      });
    case 'path':
      return t('tech.condition.path', { paths: condition.paths.map((p) => t(`tech.path.${p}`)).join(', ') });
    case 'connection':
      return t('tech.condition.connection', {
        states: condition.states.map((s) => t(`tech.connection.${s}`).toLowerCase()).join(', '),
      });
  }
}

/** The alerts up (critical first), then the recently cleared; each up alert can be acknowledged. */
export function AlertList({
  alerts,
  rules,
  onAcknowledge,
}: {
  alerts: readonly Alert[];
  rules: readonly AlertRule[];
  onAcknowledge: (alertId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const nameOf = useDelegationName();
  return (
    <section className="alerts" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t('tech.alerts')}</h2>
      {alerts.length === 0 && <p>{t('tech.noAlerts')}</p>}
      <ul className="alerts__list" aria-label={t('tech.alerts')}>
        {alerts.map((alert) => {
          const rule = rules.find((r) => r.id === alert.rule);
          const condition = rule ? conditionText(t, rule.condition) : alert.rule;
          const site = nameOf(alert.delegation);
          const state =
            alert.clearedAt !== null ? 'cleared' : alert.acknowledgedAt !== null ? 'acknowledged' : 'up';
          const metric = rule && 'metric' in rule.condition ? rule.condition.metric : null;
          return (
            <li key={alert.id} className={`alert alert--${alert.severity} alert--${state}`}>
              <p className="alert__what">
                {t('tech.alertRaised', { severity: t(`tech.severity.${alert.severity}`), condition, site })}
              </p>
              <p className="alert__when">
                {[
                  alert.value !== null &&
                    metric &&
                    t('tech.alertValue', { value: valueText(t, metric, alert.value) }),
                  t('tech.alertSince', { time: formatClock(alert.raisedAt, i18n.language) }),
                  alert.acknowledgedAt !== null &&
                    t('tech.alertAcknowledged', { time: formatClock(alert.acknowledgedAt, i18n.language) }),
                  alert.clearedAt !== null &&
                    t('tech.alertCleared', { time: formatClock(alert.clearedAt, i18n.language) }),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              {state === 'up' && (
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('tech.acknowledge', { condition, site })}
                  onClick={() => onAcknowledge(alert.id)}
                >
                  {t('tech.acknowledgeShort')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
