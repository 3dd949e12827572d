// A small request/response channel over a child process's IPC pipe, usable from both ends.
import type { ChildProcess } from 'node:child_process';

type Message =
  | { t: 'req'; id: number; method: string; params: unknown }
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: string };

type Handler = (params: never) => unknown;

interface Endpoint {
  send(message: Message): void;
  on(event: 'message', listener: (message: Message) => void): void;
}

export class Rpc {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly handlers = new Map<string, Handler>();

  constructor(private readonly endpoint: Endpoint) {
    endpoint.on('message', (message) => void this.receive(message));
  }

  static ofChild(child: ChildProcess): Rpc {
    return new Rpc(child as unknown as Endpoint);
  }

  static ofParent(): Rpc {
    if (!process.send) throw new Error('not started with an IPC channel');
    return new Rpc(process as unknown as Endpoint);
  }

  handle<P, R>(method: string, handler: (params: P) => R | Promise<R>): void {
    this.handlers.set(method, handler as Handler);
  }

  call<R = unknown>(method: string, params: unknown = {}): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.endpoint.send({ t: 'req', id, method, params });
    });
  }

  failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  private async receive(message: Message): Promise<void> {
    if (message.t === 'res') {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.result);
      else waiter?.reject(new Error(message.error));
      return;
    }
    const handler = this.handlers.get(message.method);
    try {
      if (!handler) throw new Error(`no handler for ${message.method}`);
      const result = await handler(message.params as never);
      this.endpoint.send({ t: 'res', id: message.id, ok: true, result: result ?? null });
    } catch (err) {
      this.endpoint.send({
        t: 'res',
        id: message.id,
        ok: false,
        error: String((err as Error).message ?? err),
      });
    }
  }
}
