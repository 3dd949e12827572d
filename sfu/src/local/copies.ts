// Copies of a producer in other routers: piped from its home router to another router of this
// node when a consumer there needs it, or arriving from another media node at the origin. Both go
// through the one PipeLink; a copy follows its original's pause, resume and close.
import { PipeLink } from '../pipes.js';
import type { ProducerEntry, Session, SessionRouter } from './model.js';
import { RouterPipeEnd } from './RouterPipeEnd.js';
import type { NodeState } from './state.js';

// Pipes inside one host never leave it.
const IN_HOST_IP = '127.0.0.1';

/** Makes a producer consumable on another router of its session: piped there from its home once. */
export async function carry(source: ProducerEntry, target: SessionRouter): Promise<void> {
  const session = target.session;
  const key = `${source.home.router.id}>${target.router.id}`;
  let link = session.links.get(key);
  if (!link || link.isClosed) {
    link = new PipeLink(
      new RouterPipeEnd(source.home, { listenIp: IN_HOST_IP, betweenHosts: false, onArrival: () => {} }),
      new RouterPipeEnd(target, {
        listenIp: IN_HOST_IP,
        betweenHosts: false,
        onArrival: (copy) => {
          target.copies.set(copy.id, copy);
          copy.observer.once('close', () => {
            if (target.copies.get(copy.id) === copy) target.copies.delete(copy.id);
          });
        },
      }),
    );
    session.links.set(key, link);
  }
  await link.carry(source.producer.id);
}

/** Pauses or resumes a producer's copies on the other routers of this node. */
export async function setCopiesPaused(session: Session, producerId: string, paused: boolean): Promise<void> {
  await Promise.all(
    session.routers.map(async (r) => {
      const copy = r.copies.get(producerId);
      if (copy && !copy.closed) await (paused ? copy.pause() : copy.resume());
    }),
  );
}

/** The original closed: its copies go, and a later carry would start afresh. */
export function closeCopies(session: Session, producerId: string): void {
  for (const r of session.routers) r.copies.get(producerId)?.close();
  for (const link of session.links.values()) link.forget(producerId);
}

/**
 * The origin's end of the pipe to another media node, created on first use. What arrives through
 * it is a producer of this session like any other (without a peer), until the pipe or the
 * original closes.
 */
export function remoteEnd(state: NodeState, session: Session, origin: SessionRouter, remoteNodeId: string) {
  let end = session.remoteEnds.get(remoteNodeId);
  if (!end) {
    end = new RouterPipeEnd(origin, {
      listenIp: state.listenIp,
      announcedAddress: state.options.announcedAddress,
      betweenHosts: true,
      onArrival: (producer) => {
        const entry: ProducerEntry = { producer, home: origin, transport: null, closeReason: undefined };
        state.producers.set(producer.id, entry);
        producer.observer.once('close', () => {
          if (state.producers.get(producer.id) === entry) state.producers.delete(producer.id);
          closeCopies(session, producer.id);
        });
      },
    });
    session.remoteEnds.set(remoteNodeId, end);
  }
  return end;
}
