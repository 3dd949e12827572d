// A typed emitter for the node's events. A listener that throws is the caller's bug: it is
// reported and the other listeners still run, so one bad listener cannot stall media events.
import { EventEmitter } from 'node:events';
import type { MediaNodeEvent, MediaNodeEventType } from '@summit-bridge/protocol';
import type { MediaNodeListener, NodeLogger } from './MediaNode.js';

export class MediaNodeEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  constructor(private readonly log: NodeLogger) {}

  on<T extends MediaNodeEventType>(type: T, listener: MediaNodeListener<T>): void {
    this.emitter.on(type, listener);
  }

  off<T extends MediaNodeEventType>(type: T, listener: MediaNodeListener<T>): void {
    this.emitter.off(type, listener);
  }

  emit(event: MediaNodeEvent): void {
    for (const listener of this.emitter.listeners(event.type)) {
      try {
        (listener as (e: MediaNodeEvent) => void)(event);
      } catch (err) {
        this.log.error({ err, event: event.type }, 'a media node event listener threw');
      }
    }
  }

  clear(): void {
    this.emitter.removeAllListeners();
  }
}
