import { useEffect, useRef } from 'react';
import { useMediaState } from './hooks.js';
import type { MediaControls } from './MediaSession.js';

function AudioSink({ track, volume }: { track: MediaStreamTrack; volume: number }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.volume = volume;
  }, [volume]);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    audio.srcObject = new MediaStream([track]);
    void audio.play().catch(() => undefined); // autoplay is allowed: the participant clicked to enter
    return () => {
      audio.srcObject = null;
    };
  }, [track]);
  // biome-ignore lint/a11y/useMediaCaption: live speech from a studio has no caption track to offer
  return <audio ref={ref} autoPlay />;
}

/**
 * Plays every received voice; the server decides who is forwarded, this plays what comes, each
 * at its volume in the participant's mix (interpretation: the chosen booth over the floor).
 */
export function RemoteAudio({
  media,
  volumeOf = () => 1,
}: {
  media: MediaControls | null;
  volumeOf?: (producerId: string) => number;
}) {
  const state = useMediaState(media);
  if (!state) return null;
  const voices = Object.entries(state.remote).filter(([, track]) => track.kind === 'audio');
  return (
    <div hidden>
      {voices.map(([producerId, track]) => (
        <AudioSink key={producerId} track={track} volume={volumeOf(producerId)} />
      ))}
    </div>
  );
}
