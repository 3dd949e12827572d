/** One `session:time` round trip, in the client's clock except `serverTime`. */
export interface ClockSample {
  sentAt: number;
  receivedAt: number;
  serverTime: number;
}

export interface ClockEstimate {
  offsetMs: number;
  rttMs: number;
}

/** The server answered half-way through the round trip: offset = server - midpoint. */
export function estimateOf(sample: ClockSample): ClockEstimate {
  return {
    offsetMs: sample.serverTime - (sample.sentAt + sample.receivedAt) / 2,
    rttMs: sample.receivedAt - sample.sentAt,
  };
}

/** The sample with the shortest round trip bounds the error best (by rtt / 2). */
export function bestEstimate(samples: readonly ClockSample[]): ClockEstimate | null {
  let best: ClockEstimate | null = null;
  for (const sample of samples) {
    const estimate = estimateOf(sample);
    if (estimate.rttMs < 0) continue;
    if (best === null || estimate.rttMs < best.rttMs) best = estimate;
  }
  return best;
}

/** Server time as this client sees it; countdowns are computed from it, never from a server tick. */
export class Clock {
  private estimate: ClockEstimate | null = null;

  constructor(private readonly localNow: () => number = Date.now) {}

  get offsetMs(): number {
    return this.estimate?.offsetMs ?? 0;
  }

  now = (): number => this.localNow() + this.offsetMs;

  /** A snapshot's serverTime is a first, rough estimate until measured samples exist. */
  roughly(serverTime: number): void {
    if (this.estimate === null) this.estimate = { offsetMs: serverTime - this.localNow(), rttMs: Infinity };
  }

  async measure(ask: (clientTime: number) => Promise<number>, rounds = 5): Promise<ClockEstimate | null> {
    const samples: ClockSample[] = [];
    for (let i = 0; i < rounds; i++) {
      const sentAt = this.localNow();
      const serverTime = await ask(sentAt);
      samples.push({ sentAt, receivedAt: this.localNow(), serverTime });
    }
    // A fresh set replaces the old one: clocks drift over two days and routes change on reconnect.
    const best = bestEstimate(samples);
    if (best) this.estimate = best;
    return best;
  }
}
