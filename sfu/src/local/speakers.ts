// Who speaks in a session: an active-speaker and an audio-level observer on its origin router,
// over the microphones produced there (not over copies arriving through pipes).
import type { Producer, Router } from 'mediasoup/types';
import type { SessionRouter, Speakers } from './model.js';
import type { LocalMediaNodeOptions, NodeState } from './state.js';

export async function createSpeakers(router: Router, options: LocalMediaNodeOptions): Promise<Speakers> {
  return {
    activeSpeaker: await router.createActiveSpeakerObserver({
      interval: options.activeSpeakerIntervalMs ?? 300,
    }),
    audioLevels: await router.createAudioLevelObserver({
      maxEntries: 16,
      threshold: -70,
      interval: options.audioLevelIntervalMs ?? 800,
    }),
  };
}

export function watchSpeakers(state: NodeState, origin: SessionRouter): void {
  const { activeSpeaker, audioLevels } = origin.speakers as Speakers;
  const sessionId = origin.session.id;
  const ownerOf = (producerId: string) => state.producers.get(producerId)?.transport?.peer.ref;
  activeSpeaker.on('dominantspeaker', ({ producer }) => {
    const owner = ownerOf(producer.id);
    if (owner) state.events.emit({ type: 'activeSpeaker', ...owner, producerId: producer.id });
  });
  audioLevels.on('volumes', (volumes) => {
    const levels = volumes.flatMap(({ producer, volume }) => {
      const owner = ownerOf(producer.id);
      return owner ? [{ peerId: owner.peerId, producerId: producer.id, volume }] : [];
    });
    state.events.emit({ type: 'audioLevels', sessionId, levels });
  });
  audioLevels.on('silence', () => state.events.emit({ type: 'audioLevels', sessionId, levels: [] }));
}

/** A microphone produced at the origin joins both observers. */
export async function listenTo(home: SessionRouter, producer: Producer): Promise<void> {
  if (producer.kind !== 'audio' || !home.speakers) return;
  // A producer closed meanwhile leaves the observers on its own: nothing to undo.
  await Promise.all([
    home.speakers.activeSpeaker.addProducer({ producerId: producer.id }),
    home.speakers.audioLevels.addProducer({ producerId: producer.id }),
  ]).catch(() => undefined);
}
