import { Store } from './store.js';

export interface Notice {
  id: number;
  text: string;
}

/** Calm, non-blocking messages: they appear, stay a while, and go. */
export class Notices {
  readonly store = new Store<readonly Notice[]>([]);
  private nextId = 1;
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();

  constructor(private readonly lifetimeMs = 8000) {}

  show(text: string): void {
    // The same message twice in a row is one message.
    if (this.store.get().some((n) => n.text === text)) return;
    const id = this.nextId++;
    this.store.update((notices) => [...notices.slice(-3), { id, text }]);
    this.timers.set(
      id,
      setTimeout(() => this.dismiss(id), this.lifetimeMs),
    );
  }

  dismiss(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.store.update((notices) => notices.filter((n) => n.id !== id));
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
