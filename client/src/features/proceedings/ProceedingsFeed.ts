import type { ProceedingsState, SessionDocument } from '@summit-bridge/protocol';
import { Store } from '../../shared/store.js';
import type { SessionController } from '../session/SessionController.js';

/** A document version that appeared since the last state: what the console announces. */
export interface NewVersion {
  document: SessionDocument;
  version: number;
}

/**
 * The session's proceedings as the server keeps them: the snapshot on connect and after every
 * reconnect, then the server's pushes. Each push carries the whole state, so a missed one costs
 * nothing: the newest version wins, an older one is ignored. Never changed here.
 */
export class ProceedingsFeed {
  readonly store = new Store<ProceedingsState | null>(null);
  private readonly stops: (() => void)[];
  private request = 0;
  private closed = false;

  constructor(
    private readonly controller: SessionController,
    private readonly onNewVersion: (news: NewVersion) => void,
  ) {
    this.stops = [
      controller.signaling.on('proceedings:updated', (state) => {
        const held = this.store.get();
        if (held && state.version <= held.version) return;
        this.set(state);
      }),
      controller.onReconnect(() => void this.load()),
    ];
  }

  async load(): Promise<void> {
    const request = ++this.request;
    try {
      const state = await this.controller.signaling.request('proceedings:snapshot', {});
      if (request === this.request) this.set(state);
    } catch {
      // The next push or reconnect brings the state.
    }
  }

  close(): void {
    this.closed = true;
    for (const stop of this.stops) stop();
  }

  private set(state: ProceedingsState): void {
    this.request++;
    if (this.closed) return;
    const before = this.store.get();
    if (before) for (const news of newVersions(before, state)) this.onNewVersion(news);
    this.store.set(state);
  }
}

/** Versions in `after` that `before` did not have (a first version is a new document). */
export function newVersions(before: ProceedingsState, after: ProceedingsState): NewVersion[] {
  return after.documents.flatMap((document) => {
    const known = before.documents.find((d) => d.id === document.id)?.versions.length ?? 0;
    return document.versions.filter((v) => v.version > known).map((v) => ({ document, version: v.version }));
  });
}
