import { describe, expect, it } from 'vitest';
import { demandFor, smallestPictureWidthPx } from '../src/features/gallery/tileDemand.js';

describe('what a tile asks of a remote camera', () => {
  it('asks nothing for a tile out of view or too small for a face', () => {
    expect(demandFor('stage', { visible: false, widthPx: 1200 })).toBeNull();
    expect(demandFor('gallery', { visible: false, widthPx: 260 })).toBeNull();
    expect(demandFor('gallery', { visible: true, widthPx: smallestPictureWidthPx - 1 })).toBeNull();
  });

  it('asks the smallest stream that fills the tile', () => {
    const layer = (widthPx: number) => demandFor('stage', { visible: true, widthPx })?.spatialLayer;
    expect([layer(200), layer(400), layer(401), layer(800), layer(801), layer(3840)]).toEqual([
      0, 0, 1, 1, 2, 2,
    ]);
  });

  it('gives the stage every frame, the gallery half, a thumbnail a quarter', () => {
    expect(demandFor('stage', { visible: true, widthPx: 600 })).toEqual({
      spatialLayer: 1,
      temporalLayer: 2,
    });
    expect(demandFor('beside', { visible: true, widthPx: 200 })).toEqual({
      spatialLayer: 0,
      temporalLayer: 2,
    });
    expect(demandFor('gallery', { visible: true, widthPx: 260 })).toEqual({
      spatialLayer: 0,
      temporalLayer: 1,
    });
    expect(demandFor('gallery', { visible: true, widthPx: 200 })).toEqual({
      spatialLayer: 0,
      temporalLayer: 0,
    });
    // A gallery on a wide screen: a bigger stream, still at half the frame rate.
    expect(demandFor('gallery', { visible: true, widthPx: 700 })).toEqual({
      spatialLayer: 1,
      temporalLayer: 1,
    });
  });
});
