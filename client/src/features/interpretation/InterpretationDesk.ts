import type { BoothMessage } from '@summit-bridge/protocol';
import { Store } from '../../shared/store.js';
import type { Channels, MediaControls } from '../media/MediaSession.js';
import type { SessionController } from '../session/SessionController.js';

export interface DeskState {
  /** What this participant listens to: the floor or a language. */
  channel: 'floor' | string;
  /** The floor under a language, 0–1. */
  floorLevel: number;
  /** Texts of the booth(s) this participant sees: interpreters and technicians. */
  messages: readonly BoothMessage[];
  /** For technicians: each booth's last heard level (dBov) and when, by server time. */
  levels: Readonly<Record<string, { volume: number; at: number }>>;
}

/** Default floor under an interpretation: heard, but not in the way. */
export const DEFAULT_FLOOR_LEVEL = 0.2;
const MESSAGES_KEPT = 100;

/**
 * A participant's interpretation: the channel it listens to and the floor level (kept in the
 * browser, so that a reload or a reconnect comes back to them), told to the server and the media,
 * and the booth's texts. One per session room.
 */
export class InterpretationDesk {
  readonly store: Store<DeskState>;
  private readonly stops: (() => void)[];
  private media: MediaControls | null = null;

  constructor(
    private readonly controller: SessionController,
    private readonly storageKey: string,
    /** Interpreters and technicians receive every channel, whatever they listen to. */
    private readonly receivesAll: boolean,
  ) {
    this.store = new Store<DeskState>({ ...remembered(storageKey), messages: [], levels: {} });
    this.stops = [
      controller.signaling.on('booth:message', (message) =>
        this.store.update((s) => ({ ...s, messages: [...s.messages, message].slice(-MESSAGES_KEPT) })),
      ),
      controller.signaling.on('booth:levels', ({ levels, at }) =>
        this.store.update((s) => {
          const next = { ...s.levels };
          for (const [booth, volume] of Object.entries(levels)) next[booth] = { volume, at };
          return { ...s, levels: next };
        }),
      ),
      // A new connection is a new listener on the server: it must hear the choice again.
      controller.onReconnect(() => void this.tell()),
    ];
  }

  /** The media session to steer (null while none runs). */
  attach(media: MediaControls | null): void {
    this.media = media;
    void this.tell();
  }

  async listen(channel: 'floor' | string): Promise<void> {
    this.store.update((s) => ({ ...s, channel }));
    this.remember();
    await this.tell();
  }

  setFloorLevel(floorLevel: number): void {
    this.store.update((s) => ({ ...s, floorLevel: Math.min(1, Math.max(0, floorLevel)) }));
    this.remember();
  }

  async send(text: string, booth?: string): Promise<void> {
    await this.controller.signaling.request('booth:message', booth ? { text, booth } : { text });
  }

  close(): void {
    for (const stop of this.stops) stop();
  }

  /** The server first (it refuses a channel not chosen), then the media consumes it. */
  private async tell(): Promise<void> {
    const { channel } = this.store.get();
    const channels: Channels = this.receivesAll ? 'all' : channel === 'floor' ? null : channel;
    try {
      await this.controller.signaling.request('interpretation:listen', { channel });
    } catch {
      // Offline: the reconnect tells it again.
      return;
    }
    this.media?.setChannels(channels);
  }

  private remember(): void {
    const { channel, floorLevel } = this.store.get();
    try {
      localStorage.setItem(this.storageKey, JSON.stringify({ channel, floorLevel }));
    } catch {
      // Private browsing without storage: the choice lasts as long as the page.
    }
  }
}

function remembered(key: string): Pick<DeskState, 'channel' | 'floorLevel'> {
  try {
    const saved = JSON.parse(localStorage.getItem(key) ?? 'null') as Partial<DeskState> | null;
    return {
      channel: typeof saved?.channel === 'string' ? saved.channel : 'floor',
      floorLevel: typeof saved?.floorLevel === 'number' ? saved.floorLevel : DEFAULT_FLOOR_LEVEL,
    };
  } catch {
    return { channel: 'floor', floorLevel: DEFAULT_FLOOR_LEVEL };
  }
}
