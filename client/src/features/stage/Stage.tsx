import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { SeatTile } from '../gallery/SeatTile.js';
import { presentationOf, seatsOf, stageOf } from '../gallery/seats.js';
import { useSession } from '../session/SessionContext.js';
import { ScreenTile } from './ScreenTile.js';

/**
 * The floor holder large (the chair while nobody holds it), the chair(s) beside; during a
 * presentation, the shared screen large with the speaker and the chair(s) beside it.
 */
export function Stage() {
  const { t } = useTranslation();
  const { live } = useSession();
  const heading = useId();
  const { presentation, main, beside } = stageOf(seatsOf(live), presentationOf(live));
  return (
    <section className={presentation ? 'stage stage--presentation' : 'stage'} aria-labelledby={heading}>
      <h2 id={heading} className="visually-hidden">
        {t('stage.region')}
      </h2>
      {presentation ? (
        <div className="stage__main">
          <ScreenTile key={presentation.producerId} presentation={presentation} />
        </div>
      ) : (
        main && (
          <div className="stage__main">
            <SeatTile key={main.delegation.code} seat={main} size="stage" />
          </div>
        )
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
