import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { SeatTile } from '../gallery/SeatTile.js';
import { seatsOf, stageOf } from '../gallery/seats.js';
import { useSession } from '../session/SessionContext.js';

/** The floor holder large (the chair while nobody holds it), the chair(s) beside. */
export function Stage() {
  const { t } = useTranslation();
  const { live } = useSession();
  const heading = useId();
  const { main, beside } = stageOf(seatsOf(live));
  return (
    <section className="stage" aria-labelledby={heading}>
      <h2 id={heading} className="visually-hidden">
        {t('stage.region')}
      </h2>
      {main && (
        <div className="stage__main">
          <SeatTile key={main.delegation.code} seat={main} size="stage" />
        </div>
      )}
      {beside.length > 0 && (
        <div className="stage__beside">
          {beside.map((seat) => (
            <SeatTile key={seat.delegation.code} seat={seat} size="beside" />
          ))}
        </div>
      )}
    </section>
  );
}
