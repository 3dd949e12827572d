import { useEffect, useRef } from 'react';

/** A video track on screen; always muted, since sound plays through RemoteAudio. */
export function VideoView({ track, mirrored = false }: { track: MediaStreamTrack; mirrored?: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = new MediaStream([track]);
    return () => {
      video.srcObject = null;
    };
  }, [track]);
  return (
    <video ref={ref} className={mirrored ? 'video video--mirrored' : 'video'} autoPlay playsInline muted />
  );
}
