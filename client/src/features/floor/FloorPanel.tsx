import { can, isChairRole } from '@summit-bridge/protocol';
import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Flag } from '../../flags/Flag.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';
import { Countdown } from './Countdown.js';
import { positionOf, tourTurn } from './floorView.js';

/** Who holds the floor and for how long, the speakers list, and this delegation's requests. */
export function FloorPanel({ list }: { list: ReactNode }) {
  const { t } = useTranslation();
  const { live } = useSession();
  const nameOf = useDelegationName();
  const heading = useId();
  const floor = live.state.floor;
  const current = floor.current;
  const holder = current ? live.delegations.find((d) => d.code === current.delegation) : undefined;
  const yours = current !== null && current.delegation === live.you.delegation && !isChairRole(live.you.role);

  return (
    <section className="panel floor" aria-labelledby={heading}>
      <h2 id={heading}>{t('floor.region')}</h2>
      <div className="floor__holder">
        {holder && <Flag delegation={holder} className="floor__flag" />}
        <p className="floor__who">
          {current === null
            ? t('floor.nobody')
            : yours
              ? t('floor.youHold')
              : t('floor.holds', { delegation: nameOf(current.delegation) })}
          {current && current.kind !== 'speak' && (
            <span className="tag">{t(`floor.kind.${current.kind}`)}</span>
          )}
        </p>
      </div>
      {current && <Countdown current={current} warningMs={floor.warningMs} />}
      <TourLine />
      <p className="floor__policy">{t(`floor.policy.${floor.micPolicy}`)}</p>
      <OwnRequest />
      <h3 className="visually-hidden">{t('floor.speakersList')}</h3>
      {list}
    </section>
  );
}

function TourLine() {
  const { t } = useTranslation();
  const { live } = useSession();
  const nameOf = useDelegationName();
  const tour = live.state.floor.tour;
  const turn = tourTurn(live.state.floor);
  if (!tour || !turn) return null;
  return (
    <p className="floor__tour">
      {t('floor.tour', { position: tour.position + 1, total: tour.order.length, delegation: nameOf(turn) })}
    </p>
  );
}

/** Request, withdraw, pass: for the roles that may speak. */
function OwnRequest() {
  const { t } = useTranslation();
  const { live, request } = useSession();
  const { role, delegation } = live.you;
  if (!can(role, 'floor.request') || delegation === null) return null;
  const floor = live.state.floor;
  const position = positionOf(floor.speakersList, delegation);
  const holding = floor.current?.delegation === delegation;
  const myTurnInTour = tourTurn(floor) === delegation;
  return (
    <div className="floor__own">
      {holding ? null : position === null ? (
        <div className="button-row">
          <button
            type="button"
            className="button button--primary"
            onClick={() => void request('floor:request', { kind: 'speak' })}
          >
            {t('floor.request')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void request('floor:request', { kind: 'point_of_order' })}
          >
            {t('floor.pointOfOrder')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void request('floor:request', { kind: 'right_of_reply' })}
          >
            {t('floor.rightOfReply')}
          </button>
        </div>
      ) : (
        <div className="button-row">
          <p className="floor__position" aria-live="polite">
            {t('floor.position', { position })}
          </p>
          {can(role, 'floor.withdraw') && (
            <button type="button" className="button" onClick={() => void request('floor:withdraw', {})}>
              {t('floor.withdraw')}
            </button>
          )}
        </div>
      )}
      {myTurnInTour && (
        <div className="button-row">
          <p className="floor__turn">{t('floor.yourTurn')}</p>
          {can(role, 'floor.pass') && (
            <button type="button" className="button" onClick={() => void request('floor:pass', {})}>
              {t('floor.pass')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
