import type { ProducerInfo } from '@summit-bridge/protocol';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { demandFor } from '../gallery/tileDemand.js';
import { useMediaState, useTileDemand, useTileView } from '../media/hooks.js';
import { VideoView } from '../media/VideoView.js';
import { useSession } from '../session/SessionContext.js';
import { useDelegationName } from '../session/useNames.js';

/** A shared screen, large on the stage: the presenter's own capture, or what the SFU forwards. */
export function ScreenTile({ presentation }: { presentation: ProducerInfo }) {
  const { t } = useTranslation();
  const { live, media } = useSession();
  const state = useMediaState(media);
  const name = useDelegationName()(presentation.delegation ?? '');
  const ref = useRef<HTMLElement>(null);
  const demand = demandFor('stage', useTileView(ref));
  const mine = presentation.participantId === live.you.participantId;
  useTileDemand(media, mine ? null : presentation.producerId, demand);
  const track = mine
    ? (state?.presentation?.track ?? null)
    : (state?.remote[presentation.producerId] ?? null);
  const label = t('presentation.by', { delegation: name });
  return (
    <figure
      ref={ref}
      className="tile tile--stage tile--screen"
      aria-label={label}
      data-producer-id={presentation.producerId}
    >
      <div className="tile__picture">{track && <VideoView track={track} />}</div>
      <figcaption className="nameplate">
        <span className="nameplate__name">{label}</span>
      </figcaption>
    </figure>
  );
}
