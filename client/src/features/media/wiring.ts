import type { ProducerCloseReason } from '@summit-bridge/protocol';
import type { SessionController } from '../session/SessionController.js';
import { LinkReporter } from './linkReport.js';
import type { MediaSession } from './MediaSession.js';

/**
 * Keeps a media session in step with its signaling: producers, server pushes, reconnects, and
 * the link report technicians see every 2 s.
 */
export function wireMedia(
  controller: SessionController,
  media: MediaSession,
  onProblem: (error: unknown) => void,
  /** The server ended this participant's presentation (the floor moved on, the chair stopped it). */
  onPresentationEnded: (reason: ProducerCloseReason | null) => void = () => undefined,
): () => void {
  let producers: unknown = null;
  const follow = () => {
    const live = controller.store.get().live;
    if (!live || live.producers === producers) return;
    producers = live.producers;
    media.setProducers(live.producers);
  };
  const reporter = new LinkReporter(
    () => media.linkStats(),
    (report) => controller.signaling.request('telemetry:report', report),
  );
  reporter.start();
  const stops = [
    controller.store.subscribe(follow),
    wireMediaPath(controller, media, onProblem),
    controller.signaling.on('media:producerClosed', ({ producerId, reason }) => {
      const ended = media.producerClosed(producerId, reason);
      if (ended) onPresentationEnded(ended);
    }),
  ];
  follow();
  return () => {
    reporter.close();
    for (const stop of stops) stop();
  };
}

/** Keeps a media session's transports alive across what the server asks and signaling reconnects. */
export function wireMediaPath(
  controller: SessionController,
  media: MediaSession,
  onProblem: (error: unknown) => void,
): () => void {
  const rebuild = () => media.rebuild().catch(onProblem);
  const stops = [
    controller.signaling.on('media:consumerClosed', ({ consumerId }) => media.consumerClosed(consumerId)),
    controller.signaling.on('media:reconnect', rebuild),
    controller.signaling.on('media:restartIce', () => void media.restartIce().catch(() => undefined)),
    // A new socket is a new participant connection on the server: its media must be made again.
    controller.onReconnect(rebuild),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
