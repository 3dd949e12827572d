import { RequestError } from '@summit-bridge/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Signaling } from '../src/signaling/Signaling.js';
import { producer } from './fixtures.js';
import { type SocketServer, startSocketServer } from './socketServer.js';

let server: SocketServer;

beforeEach(async () => {
  server = await startSocketServer();
});
afterEach(async () => {
  await server.close();
});

async function connected(options: ConstructorParameters<typeof Signaling>[1] = {}) {
  const socket = server.client();
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, signaling: new Signaling(socket, options) };
}

function rejection(promise: Promise<unknown>): Promise<RequestError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(RequestError);
      return error as RequestError;
    },
  );
}

describe('typed signaling', () => {
  it('sends the parsed payload (defaults applied) and returns the checked answer', async () => {
    const received: unknown[] = [];
    server.io.on('connection', (s) =>
      s.on('floor:request', (payload, ack) => {
        received.push(payload);
        ack({ ok: true, version: 7 });
      }),
    );
    const { signaling } = await connected();
    await expect(signaling.request('floor:request', {})).resolves.toEqual({ version: 7 });
    expect(received).toEqual([{ kind: 'speak' }]);
  });

  it('turns the server’s typed error into a RequestError', async () => {
    server.io.on('connection', (s) =>
      s.on('floor:give', (_payload, ack) =>
        ack({ ok: false, error: { code: 'forbidden', message: 'chairs only' } }),
      ),
    );
    const { signaling } = await connected();
    const error = await rejection(signaling.request('floor:give', {}));
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe('chairs only');
  });

  it('refuses an answer out of contract', async () => {
    server.io.on('connection', (s) => {
      s.on('floor:withdraw', (_payload, ack) => ack({ ok: true }));
      s.on('floor:pass', (_payload, ack) => ack('hello'));
      s.on('floor:takeBack', (_payload, ack) => ack({ ok: false, error: { code: 'nonsense' } }));
    });
    const { signaling } = await connected();
    expect((await rejection(signaling.request('floor:withdraw', {}))).code).toBe('internal');
    expect((await rejection(signaling.request('floor:pass', {}))).code).toBe('internal');
    expect((await rejection(signaling.request('floor:takeBack', {}))).code).toBe('internal');
  });

  it('gives up on a request the server never answers', async () => {
    server.io.on('connection', (s) => s.on('floor:startTour', () => undefined));
    const { signaling } = await connected({ timeoutMs: 50 });
    const error = await rejection(signaling.request('floor:startTour', {}));
    expect(error.code).toBe('unavailable');
  });

  it('checks the payload before sending it', async () => {
    const received: unknown[] = [];
    server.io.on('connection', (s) => {
      s.on('floor:move', (payload) => received.push(payload));
      s.on('session:time', (_payload, ack) => ack({ ok: true, serverTime: 1 }));
    });
    const { signaling } = await connected();
    const error = await rejection(signaling.request('floor:move', { delegation: 'vnm', position: -1 }));
    expect(error.code).toBe('invalid_payload');
    expect(error.path).toBe('delegation');
    await signaling.request('session:time', { clientTime: 1 }); // a round trip: anything sent before has arrived
    expect(received).toEqual([]);
  });

  it('does not let an action made offline fire after reconnecting', async () => {
    const received: unknown[] = [];
    server.io.on('connection', (s) => {
      s.on('floor:takeBack', (payload) => received.push(payload));
      s.on('session:time', (_payload, ack) => ack({ ok: true, serverTime: 1 }));
    });
    const { socket, signaling } = await connected();
    socket.disconnect();
    expect((await rejection(signaling.request('floor:takeBack', {}))).code).toBe('unavailable');
    socket.connect();
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    await signaling.request('session:time', { clientTime: 1 });
    expect(received).toEqual([]);
  });

  it('hands on valid pushes and reports the others', async () => {
    const onInvalidPush = vi.fn();
    const { signaling } = await connected({ onInvalidPush });
    const added: unknown[] = [];
    const stop = signaling.on('media:producerAdded', (p) => added.push(p));
    const valid = producer('p1', 'hod-khm', 'KHM');
    server.io.emit('media:producerAdded', { producerId: 'p0' });
    server.io.emit('media:producerAdded', valid);
    await vi.waitFor(() => expect(added).toEqual([valid]));
    expect(onInvalidPush).toHaveBeenCalledWith('media:producerAdded', expect.any(String));
    stop();
    server.io.emit('media:producerAdded', valid);
    server.io.emit('media:producerAdded', { ...valid, producerId: 'p2' });
    await vi.waitFor(() => expect(onInvalidPush).toHaveBeenCalledTimes(1));
    expect(added).toHaveLength(1);
  });
});
