import type { ConnectionState } from 'mediasoup-client/types';

export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Restarts ICE on a transport that stays `disconnected` for a grace period or goes `failed`,
 * and keeps trying, one restart at a time, until it is connected again or closed.
 */
export class IceWatchdog {
  private state: ConnectionState = 'new';
  private timer: unknown = null;
  private restarting = false;
  private closed = false;

  constructor(
    private readonly restart: () => Promise<void>,
    private readonly graceMs = 3000,
    private readonly timers: Timers = realTimers,
  ) {}

  onState(state: ConnectionState): void {
    this.state = state;
    if (state === 'closed') {
      this.close();
    } else if (state === 'connected') {
      this.cancel();
    } else if (state === 'failed') {
      this.cancel();
      void this.attempt();
    } else if (state === 'disconnected' && this.timer === null && !this.restarting) {
      this.schedule();
    }
  }

  close(): void {
    this.closed = true;
    this.cancel();
  }

  private schedule(): void {
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.attempt();
    }, this.graceMs);
  }

  private cancel(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private async attempt(): Promise<void> {
    if (this.closed || this.restarting) return;
    this.restarting = true;
    try {
      await this.restart();
    } catch {
      // the signaling may be down too: the next attempt comes after the grace period
    } finally {
      this.restarting = false;
    }
    if (!this.closed && this.state !== 'connected' && this.timer === null) this.schedule();
  }
}
