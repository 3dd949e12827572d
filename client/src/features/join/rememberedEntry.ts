import { z } from 'zod';
import { acquireTracks, type LocalTracks, stopTracks } from '../devices/acquire.js';
import type { Entry } from './PreJoinCheck.js';

// What a tab remembers of its way into a session, so that a reload goes straight back in: the
// session it chose for the tab's lifetime; the devices, their on/off state and the path the
// connectivity test found for a while after the page last had them (devices and networks
// change). Kept in sessionStorage: one tab, one participant; another tab starts from the link.

const Devices = z.object({
  /** A device id, or null for "none". */
  micId: z.string().nullable(),
  cameraId: z.string().nullable(),
  micOff: z.boolean(),
  cameraOff: z.boolean(),
  forceTcp: z.boolean(),
  /** When the page last had them in use. */
  at: z.number(),
});
export type RememberedDevices = z.infer<typeof Devices>;

const Remembered = z.object({ sessionId: z.string(), devices: Devices.nullable() });
export type Remembered = z.infer<typeof Remembered>;

/** How long after leaving the page its devices and path are taken as still right. */
export const devicesKeptMs = 10 * 60_000;

export type EntryStorage = Pick<Storage, 'getItem' | 'setItem'>;

const keyOf = (participantId: string) => `summit-bridge.entry.${participantId}`;

/** The tab's session and, while fresh, its devices; null when nothing (valid) is remembered. */
export function readRemembered(
  storage: EntryStorage | null,
  participantId: string,
  now = Date.now(),
): Remembered | null {
  let parsed: ReturnType<typeof Remembered.safeParse>;
  try {
    parsed = Remembered.safeParse(JSON.parse(storage?.getItem(keyOf(participantId)) ?? 'null'));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  const { devices } = parsed.data;
  const fresh = devices !== null && now - devices.at >= 0 && now - devices.at <= devicesKeptMs;
  return { ...parsed.data, devices: fresh ? devices : null };
}

export function remember(storage: EntryStorage | null, participantId: string, value: Remembered): void {
  try {
    storage?.setItem(keyOf(participantId), JSON.stringify(value));
  } catch {
    // storage full or refused (private mode): a reload starts from the link, as before
  }
}

/** sessionStorage where the browser offers it. */
export function tabStorage(): EntryStorage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

/** The tracks and path remembered, asked of the browser again; null if a device is gone. */
export async function restoreEntry(devices: RememberedDevices): Promise<Entry | null> {
  let tracks: LocalTracks;
  try {
    tracks = await acquireTracks({ micId: devices.micId, cameraId: devices.cameraId });
  } catch {
    return null;
  }
  if ((devices.micId !== null && !tracks.mic) || (devices.cameraId !== null && !tracks.camera)) {
    stopTracks(tracks);
    return null;
  }
  return {
    tracks,
    forceTcp: devices.forceTcp,
    paused: { mic: devices.micOff, camera: devices.cameraOff },
  };
}
