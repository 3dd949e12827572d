import type { LobbyEntry } from '@summit-bridge/protocol';
import { Store } from '../../shared/store.js';
import type { SessionController } from '../session/SessionController.js';

/**
 * Who waits in the session's lobby, for those who may see it: the list on connect and after every
 * reconnect, then the server's pushes. The newest answer wins; a push replaces the list whole.
 */
export class LobbyFeed {
  readonly store = new Store<readonly LobbyEntry[]>([]);
  private readonly stops: (() => void)[];
  private request = 0;
  private closed = false;

  constructor(private readonly controller: SessionController) {
    this.stops = [
      controller.signaling.on('lobby:updated', ({ waiting }) => this.set(waiting)),
      controller.onReconnect(() => void this.load()),
    ];
  }

  async load(): Promise<void> {
    const request = ++this.request;
    try {
      const { waiting } = await this.controller.signaling.request('lobby:list', {});
      if (request === this.request) this.set(waiting);
    } catch {
      // The next push or reconnect brings the list.
    }
  }

  close(): void {
    this.closed = true;
    for (const stop of this.stops) stop();
  }

  private set(waiting: readonly LobbyEntry[]): void {
    this.request++;
    if (!this.closed) this.store.update(() => waiting);
  }
}
