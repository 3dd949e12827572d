import type { MediaKind } from '@summit-bridge/protocol';

/**
 * Whether the server must hold a producer back at the SFU: in floor mode only the chairs and the
 * floor holder are heard, a muted delegation never is. Video is never held back by the floor.
 * `carried` is what the producer's codecs carry (`kindCarried`), never the kind it claimed.
 */
export function heldBackByFloor(
  carried: MediaKind,
  delegation: string | null,
  audible: ReadonlySet<string>,
): boolean {
  if (carried === 'video') return false;
  return delegation === null || !audible.has(delegation);
}
