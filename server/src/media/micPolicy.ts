import type { MediaKind } from '@summit-bridge/protocol';

/**
 * Whether the server must hold a producer back at the SFU: in floor mode only the chairs and the
 * floor holder are heard, a muted delegation never is. Video is never held back by the floor.
 */
export function heldBackByFloor(
  kind: MediaKind,
  delegation: string | null,
  audible: ReadonlySet<string>,
): boolean {
  if (kind === 'video') return false;
  return delegation === null || !audible.has(delegation);
}
