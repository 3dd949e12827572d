import { type RefObject, useEffect, useId, useState } from 'react';
import { Store, useStore } from '../../shared/store.js';
import type { Demand, MediaControls, MediaState } from './MediaSession.js';

const noMedia = new Store<MediaState | null>(null);

export function useMediaState(media: MediaControls | null): MediaState | null {
  return useStore<MediaState | null>(media?.store ?? noMedia);
}

/** Tells the media session what this tile needs of a remote camera, for as long as it shows it. */
export function useTileDemand(
  media: MediaControls | null,
  producerId: string | null,
  demand: Demand | null,
): void {
  const tile = useId();
  // Effects follow the values, not the object: a re-render with the same need changes nothing.
  const spatial = demand?.spatialLayer ?? -1;
  const temporal = demand?.temporalLayer ?? -1;
  useEffect(() => {
    if (!media || !producerId) return;
    media.setDemand(
      producerId,
      tile,
      spatial < 0 ? null : { spatialLayer: spatial, temporalLayer: temporal },
    );
    return () => media.setDemand(producerId, tile, null);
  }, [media, producerId, tile, spatial, temporal]);
}

/** A tile as the page lays it out now. */
export interface TileView {
  /** Some of it is on screen. */
  visible: boolean;
  /** Its width in device pixels. */
  widthPx: number;
}

/**
 * Whether an element is on screen and how wide it is in device pixels. Not on screen until the
 * observers have said so, so that a tile mounted out of view never asks for a picture; without
 * the observers (tests without layout), on screen at the width of a gallery tile.
 */
export function useTileView(ref: RefObject<Element | null>): TileView {
  const [view, setView] = useState<TileView>({ visible: false, widthPx: 320 });
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    if (typeof IntersectionObserver === 'undefined' || typeof ResizeObserver === 'undefined') {
      setView((v) => ({ ...v, visible: true }));
      return;
    }
    const seen = new IntersectionObserver((entries) => {
      for (const entry of entries) setView((v) => ({ ...v, visible: entry.isIntersecting }));
    });
    const sized = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const widthPx = Math.round(entry.contentRect.width * window.devicePixelRatio);
        setView((v) => (v.widthPx === widthPx ? v : { ...v, widthPx }));
      }
    });
    seen.observe(element);
    sized.observe(element);
    return () => {
      seen.disconnect();
      sized.disconnect();
    };
  }, [ref]);
  return view;
}
