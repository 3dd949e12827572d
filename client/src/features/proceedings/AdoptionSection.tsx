import { type Adoption, can, isChairRole } from '@summit-bridge/protocol';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatClock } from '../floor/floorView.js';
import { useNow } from '../floor/useNow.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';
import { useProceedings } from './useProceedings.js';

/** The adoption before the meeting (or the last one): its deadline, objections, and what one may do. */
export function AdoptionSection() {
  const { t } = useTranslation();
  const state = useProceedings();
  const heading = useId();
  const adoption = state?.adoptions.at(-1);
  if (!state || !adoption) return null;
  const symbol = state.documents.find((d) => d.id === adoption.documentId)?.symbol ?? adoption.documentId;
  return (
    <section className="proceedings__adoption" aria-labelledby={heading}>
      <h3 id={heading}>{t('proceedings.adoption')}</h3>
      <p aria-live="polite">
        {t(`proceedings.adoptionStatus.${adoption.status}`, { symbol, version: adoption.version })}
      </p>
      {adoption.status === 'open' && <Deadline adoption={adoption} />}
      <Objections adoption={adoption} />
      {adoption.status === 'open' && <AdoptionActions adoption={adoption} />}
    </section>
  );
}

function Deadline({ adoption }: { adoption: Adoption }) {
  const { t, i18n } = useTranslation();
  const { now, live } = useSession();
  const time = useNow(now, adoption.mode === 'in_session', 250);
  if (adoption.mode === 'silence') {
    const until = new Intl.DateTimeFormat(i18n.language === 'vi' ? 'vi-VN' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: live.summit.hostTimeZone,
    }).format(adoption.deadline);
    return <p>{t('proceedings.silenceUntil', { until })}</p>;
  }
  const left = Math.max(0, adoption.deadline - time);
  return (
    <div className="countdown" role="timer" aria-label={t('proceedings.objectionsTimer')}>
      <span className="countdown__clock" aria-hidden="true">
        {formatClock(left)}
      </span>
      <span className="countdown__text">{t('proceedings.objectionsUntil', { time: formatClock(left) })}</span>
    </div>
  );
}

function Objections({ adoption }: { adoption: Adoption }) {
  const { t } = useTranslation();
  const nameOf = useDelegationName();
  if (adoption.objections.length === 0) return null;
  return (
    <ul className="objections" aria-label={t('proceedings.objections')}>
      {adoption.objections.map((o) => (
        <li key={o.delegation}>
          {t('proceedings.objectionBy', { delegation: nameOf(o.delegation) })}
          {o.reason ? `: ${o.reason}` : ''}
        </li>
      ))}
    </ul>
  );
}

function AdoptionActions({ adoption }: { adoption: Adoption }) {
  const { t } = useTranslation();
  const { live, request } = useSession();
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const you = live.you;
  const mayObject =
    you.delegation !== null &&
    can(you.role, 'adoption.object') &&
    !adoption.objections.some((o) => o.delegation === you.delegation);
  return (
    <div className="button-row">
      {mayObject && you.delegation && (
        <>
          <label htmlFor={reasonId}>{t('proceedings.reason')}</label>
          <input id={reasonId} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          <button
            type="button"
            className="button"
            onClick={() =>
              void request('proceedings:object', {
                adoptionId: adoption.id,
                delegation: you.delegation ?? '',
                ...(reason.trim() ? { reason: reason.trim() } : {}),
              })
            }
          >
            {t('proceedings.object')}
          </button>
        </>
      )}
      {isChairRole(you.role) && (
        <button
          type="button"
          className="button"
          onClick={() => void request('proceedings:withdrawAdoption', { adoptionId: adoption.id })}
        >
          {t('proceedings.withdraw')}
        </button>
      )}
    </div>
  );
}
