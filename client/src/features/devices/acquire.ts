export interface DeviceChoice {
  /** undefined: the browser's default; null: do not use this kind at all. */
  micId?: string | null;
  cameraId?: string | null;
}

export interface LocalTracks {
  mic: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
}

// 720p gives the browser room for three simulcast layers (180p, 360p, 720p).
const cameraShape = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };

const constraint = (id: string | null | undefined, extra: MediaTrackConstraints = {}) =>
  id === null ? false : { ...extra, ...(id ? { deviceId: { exact: id } } : {}) };

async function ask(constraints: MediaStreamConstraints): Promise<LocalTracks> {
  const stream = await navigator.mediaDevices.getUserMedia(constraints);
  return { mic: stream.getAudioTracks()[0] ?? null, camera: stream.getVideoTracks()[0] ?? null };
}

/** Asks the browser for the chosen microphone and camera; with one of them missing, the other alone. */
export async function acquireTracks(choice: DeviceChoice): Promise<LocalTracks> {
  const audio = constraint(choice.micId, { echoCancellation: true, noiseSuppression: true });
  const video = constraint(choice.cameraId, cameraShape);
  if (!audio && !video) return { mic: null, camera: null };
  try {
    return await ask({ audio, video });
  } catch (error) {
    if (!audio || !video) throw error;
    // A studio without a camera (or with a busy one) still joins with its microphone, and vice versa.
    const [mic, camera] = await Promise.allSettled([ask({ audio }), ask({ video })]);
    if (mic.status === 'rejected' && camera.status === 'rejected') throw error;
    return {
      mic: mic.status === 'fulfilled' ? mic.value.mic : null,
      camera: camera.status === 'fulfilled' ? camera.value.camera : null,
    };
  }
}

export function stopTracks(tracks: LocalTracks): void {
  tracks.mic?.stop();
  tracks.camera?.stop();
}
