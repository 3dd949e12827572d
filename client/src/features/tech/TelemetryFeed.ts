import { Store } from '../../shared/store.js';
import type { SessionController } from '../session/SessionController.js';
import {
  emptyTelemetry,
  type TelemetryEvent,
  type TelemetryView,
  telemetryReducer,
} from './telemetryView.js';

/**
 * The technician's telemetry: a snapshot on connect and after every reconnect, then the
 * server's sample and alert pushes. A snapshot replaces what the console held; one that fails
 * is asked for again.
 */
export class TelemetryFeed {
  readonly store = new Store<TelemetryView>(emptyTelemetry);
  private readonly stops: (() => void)[];
  private retry: ReturnType<typeof setTimeout> | null = null;
  private request = 0;
  private closed = false;

  constructor(
    private readonly controller: SessionController,
    private readonly retryDelayMs = 2_000,
  ) {
    const { signaling } = controller;
    this.stops = [
      signaling.on('telemetry:sample', (sample) => this.dispatch({ type: 'sample', sample })),
      signaling.on('telemetry:alert', (alert) => this.dispatch({ type: 'alert', alert })),
      controller.onReconnect(() => void this.load()),
    ];
  }

  async load(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    // Only the newest request's answer counts: an older one may predate pushes already applied.
    const request = ++this.request;
    this.dispatch({ type: 'snapshotRequested' });
    try {
      const snapshot = await this.controller.signaling.request('telemetry:snapshot', {});
      if (request === this.request) this.dispatch({ type: 'snapshot', snapshot });
    } catch {
      if (request !== this.request || this.closed) return;
      this.dispatch({ type: 'snapshotFailed' });
      this.retry = setTimeout(() => void this.load(), this.retryDelayMs);
    }
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    for (const stop of this.stops) stop();
  }

  private dispatch(event: TelemetryEvent): void {
    if (!this.closed) this.store.update((view) => telemetryReducer(view, event));
  }
}
