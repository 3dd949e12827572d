import { type RefObject, useEffect, useId, useState } from 'react';
import { Store, useStore } from '../../shared/store.js';
import type { Demand, MediaControls, MediaState } from './MediaSession.js';

const noMedia = new Store<MediaState | null>(null);

export function useMediaState(media: MediaControls | null): MediaState | null {
  return useStore<MediaState | null>(media?.store ?? noMedia);
}

/** Tells the media session what this tile needs of a remote camera, for as long as it shows it. */
export function useTileDemand(media: MediaControls | null, producerId: string | null, demand: Demand): void {
  const tile = useId();
  useEffect(() => {
    if (!media || !producerId) return;
    media.setDemand(producerId, tile, demand);
    return () => media.setDemand(producerId, tile, null);
  }, [media, producerId, tile, demand]);
}

/** Whether an element is on screen; without IntersectionObserver, assume it is. */
export function useVisible(ref: RefObject<Element | null>): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) setVisible(entry.isIntersecting);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return visible;
}
