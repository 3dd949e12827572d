import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../session/SessionContext.js';
import { SeatTile } from './SeatTile.js';
import { seatsOf } from './seats.js';

/** Every delegation of the session in precedence order, connected or not: never a random gallery. */
export function Gallery() {
  const { t } = useTranslation();
  const { live } = useSession();
  const heading = useId();
  return (
    <section className="gallery" aria-labelledby={heading}>
      <h2 id={heading} className="visually-hidden">
        {t('gallery.region')}
      </h2>
      <ul className="gallery__seats">
        {seatsOf(live).map((seat) => (
          <li key={seat.delegation.code}>
            <SeatTile seat={seat} size="gallery" />
          </li>
        ))}
      </ul>
    </section>
  );
}
