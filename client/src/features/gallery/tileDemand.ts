import type { TileView } from '../media/hooks.js';
import type { Demand } from '../media/MediaSession.js';

// What a tile asks of a remote camera, from what it shows: pure, so that it can be tested.

export type TileSize = 'stage' | 'beside' | 'gallery';

/** The width of each simulcast stream a camera sends (cameraEncodings: a quarter, a half, all of 1280). */
const streamWidths = [320, 640, 1280];
/** A stream may be stretched this much before it shows: past it, the next one up. */
const stretch = 1.25;
/** Narrower than this, a picture says nothing its flag does not: receive nothing. */
export const smallestPictureWidthPx = 96;
/** Narrower than this, a gallery tile is a thumbnail: its lowest frame rate is enough. */
const thumbnailWidthPx = 240;

/**
 * Nothing for a tile out of view or too small to show a face; otherwise the smallest stream that
 * fills it, at the full frame rate on the stage and a lower one in the gallery (15 frames a
 * second, 7.5 for a thumbnail): each picture costs what it shows, not what the camera sends.
 */
export function demandFor(size: TileSize, view: TileView): Demand | null {
  if (!view.visible || view.widthPx < smallestPictureWidthPx) return null;
  const fits = streamWidths.findIndex((width) => width * stretch >= view.widthPx);
  const spatialLayer = fits === -1 ? streamWidths.length - 1 : fits;
  if (size !== 'gallery') return { spatialLayer, temporalLayer: 2 };
  return { spatialLayer, temporalLayer: view.widthPx < thumbnailWidthPx ? 0 : 1 };
}
