import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Flag } from '../../flags/Flag.js';
import { useMediaState, useTileDemand, useTileView } from '../media/hooks.js';
import { VideoView } from '../media/VideoView.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';
import type { Seat } from './seats.js';
import { demandFor, type TileSize } from './tileDemand.js';

function useSeatNotes(seat: Seat): string[] {
  const { t } = useTranslation();
  if (!seat.connected) return [t('gallery.notConnected')];
  const notes: string[] = [];
  if (seat.holdsFloor) notes.push(t('gallery.hasFloor'));
  else if (seat.chairs) notes.push(t('gallery.chairs'));
  if (seat.presenting) notes.push(t('gallery.presenting'));
  notes.push(t(`gallery.mic.${seat.micState}`));
  if (seat.speaking) notes.push(t('gallery.speaking'));
  return notes;
}

/** One delegation's picture and nameplate: camera if it sends one, its flag otherwise. */
export function SeatTile({ seat, size }: { seat: Seat; size: TileSize }) {
  const { t } = useTranslation();
  const { live, media } = useSession();
  const state = useMediaState(media);
  const name = useDelegationName()(seat.delegation.code);
  const notes = useSeatNotes(seat);
  const ref = useRef<HTMLElement>(null);
  const demand = demandFor(size, useTileView(ref));

  const camera = seat.camera;
  const mine = camera !== null && camera.participantId === live.you.participantId;
  const remoteId = camera && !mine ? camera.producerId : null;
  useTileDemand(media, remoteId, demand);

  const track = mine ? (state?.camera.track ?? null) : remoteId ? (state?.remote[remoteId] ?? null) : null;
  // A tile that needs no picture has no video element: nothing decodes or paints for it.
  const showVideo = track !== null && camera !== null && !camera.paused && demand !== null;
  const classes = [
    'tile',
    `tile--${size}`,
    seat.connected ? null : 'tile--empty',
    seat.holdsFloor ? 'tile--floor' : null,
    seat.speaking ? 'tile--speaking' : null,
  ];
  return (
    <figure ref={ref} className={classes.filter(Boolean).join(' ')} data-delegation={seat.delegation.code}>
      <div className="tile__picture">
        {showVideo ? (
          <VideoView track={track} mirrored={mine} />
        ) : (
          <Flag delegation={seat.delegation} className="tile__flag" />
        )}
      </div>
      <figcaption className="nameplate">
        <Flag delegation={seat.delegation} className="nameplate__flag" />
        <span className="nameplate__name">
          {name}
          {seat.delegation.code === live.you.delegation && (
            <span className="nameplate__you"> · {t('gallery.you')}</span>
          )}
        </span>
        <span className="nameplate__notes">{notes.join(' · ')}</span>
      </figcaption>
    </figure>
  );
}
