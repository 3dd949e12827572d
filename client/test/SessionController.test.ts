import type { Snapshot } from '@summit-bridge/protocol';
import type { Socket as ServerSocket } from 'socket.io';
import { type Socket as ClientSocket, io as connect } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionController } from '../src/features/session/SessionController.js';
import { snapshot, state } from './fixtures.js';
import { type SocketServer, startSocketServer } from './socketServer.js';

/** The signaling server's side of the wire, as far as these tests need it. */
interface Harness {
  server: SocketServer;
  snapshots: number;
  version: number;
  sockets: ServerSocket[];
  failNextSnapshot: boolean;
  /** Connections that wait in the lobby, as the real server keeps them: no snapshot while waiting. */
  waiting: Set<string>;
}

let h: Harness;
const controllers: SessionController[] = [];
let lastClient: ClientSocket | null = null;

// A heartbeat slower than the stall the controllers are told to notice, so a test sees both.
const pingIntervalMs = 400;

beforeEach(async () => {
  const server = await startSocketServer({ pingInterval: pingIntervalMs, pingTimeout: 5_000 });
  h = { server, snapshots: 0, version: 1, sockets: [], failNextSnapshot: false, waiting: new Set() };
  server.io.use((socket, next) => {
    const { token, sessionId } = socket.handshake.auth as { token?: string; sessionId?: string };
    if (token === 'revoked-token')
      return next(
        Object.assign(new Error('refused'), { data: { code: 'unauthenticated', message: 'token revoked' } }),
      );
    if (sessionId !== 'som')
      return next(
        Object.assign(new Error('refused'), { data: { code: 'forbidden', message: 'not invited' } }),
      );
    next();
  });
  server.io.on('connection', (socket) => {
    h.sockets.push(socket);
    if ((socket.handshake.auth as { token?: string }).token === 'lobby-token') {
      h.waiting.add(socket.id);
      socket.emit('lobby:status', { state: 'waiting' });
    }
    socket.on('session:snapshot', (_payload, ack) => {
      if (h.waiting.has(socket.id))
        return ack({ ok: false, error: { code: 'forbidden', message: 'you are waiting in the lobby' } });
      h.snapshots++;
      if (h.failNextSnapshot) {
        h.failNextSnapshot = false;
        return ack({ ok: false, error: { code: 'unavailable', message: 'store busy' } });
      }
      const body: Snapshot = snapshot({ state: state(h.version) });
      ack({ ok: true, ...body });
    });
    socket.on('session:time', (_payload, ack) => ack({ ok: true, serverTime: Date.now() + 60_000 }));
  });
});

afterEach(async () => {
  for (const controller of controllers.splice(0)) controller.close();
  await h.server.close();
});

function controller(
  token = 'good-token',
  sessionId = 'som',
  { network = null as EventTarget | null, reconnectionDelay = 20 } = {},
) {
  const created = new SessionController({
    token,
    sessionId,
    retryDelayMs: 20,
    stalledAfterMs: pingIntervalMs * 10,
    network,
    createSocket: (auth) => {
      lastClient = connect(h.server.url, {
        auth,
        transports: ['websocket'],
        autoConnect: false,
        forceNew: true,
        reconnectionDelay,
        reconnectionDelayMax: reconnectionDelay,
        randomizationFactor: 0,
      });
      return lastClient;
    },
  });
  controllers.push(created);
  return created;
}

describe('session controller', () => {
  it('connects with the token in the handshake, then draws from a snapshot', async () => {
    const c = controller();
    await c.start();
    await vi.waitFor(() => expect(c.store.get().live?.state.version).toBe(1));
    expect(h.sockets[0]?.handshake.auth).toEqual({ token: 'good-token', sessionId: 'som' });
    expect(h.sockets[0]?.handshake.query).not.toHaveProperty('token');
  });

  it('measures the server clock', async () => {
    const c = controller();
    await c.start();
    // The server runs a minute ahead; the round trips on this machine are far below a second.
    await vi.waitFor(() => expect(Math.abs(c.clock.offsetMs - 60_000)).toBeLessThan(1000));
  });

  it('reports the refusal of a revoked token or an uninvited session', async () => {
    await expect(controller('revoked-token').start()).rejects.toEqual({
      code: 'unauthenticated',
      message: 'token revoked',
    });
    await expect(controller('good-token', 'ams').start()).rejects.toEqual({
      code: 'forbidden',
      message: 'not invited',
    });
  });

  it('applies the next version and resyncs after a gap', async () => {
    const c = controller();
    await c.start();
    await vi.waitFor(() => expect(c.store.get().live).not.toBeNull());
    h.server.io.emit('session:updated', state(2, { micPolicy: 'open' }));
    await vi.waitFor(() => expect(c.store.get().live?.state.floor.micPolicy).toBe('open'));
    expect(h.snapshots).toBe(1);
    h.version = 9;
    h.server.io.emit('session:updated', state(5));
    await vi.waitFor(() => expect(c.store.get().live?.state.version).toBe(9));
    expect(h.snapshots).toBe(2);
  });

  it('resyncs after a push out of contract', async () => {
    const c = controller();
    await c.start();
    await vi.waitFor(() => expect(c.store.get().live).not.toBeNull());
    h.version = 4;
    h.server.io.emit('session:updated', { version: 'two' });
    await vi.waitFor(() => expect(c.store.get().live?.state.version).toBe(4));
  });

  it('retries a snapshot that failed', async () => {
    h.failNextSnapshot = true;
    const c = controller();
    await c.start();
    await vi.waitFor(() => expect(c.store.get().live?.state.version).toBe(1));
    expect(h.snapshots).toBe(2);
  });

  it('shows reconnecting when the link drops, then resyncs and rebuilds media', async () => {
    const c = controller();
    const rebuilt = vi.fn();
    c.onReconnect(rebuilt);
    await c.start();
    await vi.waitFor(() => expect(c.store.get().live).not.toBeNull());
    const links: string[] = [];
    c.store.subscribe(() => links.push(c.store.get().link));
    h.version = 6;
    h.sockets[0]?.conn.close(); // the network goes, not the server's will: socket.io reconnects
    await vi.waitFor(() => expect(c.store.get().live?.state.version).toBe(6));
    expect(links).toContain('reconnecting');
    expect(c.store.get().link).toBe('connected');
    expect(rebuilt).toHaveBeenCalledTimes(1);
    expect(h.snapshots).toBe(2);
  });

  it('asks again when the server drops it on purpose', async () => {
    const c = controller();
    await c.start();
    await vi.waitFor(() => expect(c.store.get().live).not.toBeNull());
    h.sockets[0]?.disconnect(true);
    await vi.waitFor(() => expect(h.sockets).toHaveLength(2));
    await vi.waitFor(() => expect(h.snapshots).toBe(2));
  });

  it('waits in the lobby without asking for the session, and draws it once admitted', async () => {
    const c = controller('lobby-token');
    await c.start();
    await vi.waitFor(() => expect(c.store.get().lobby).toBe('waiting'));
    await new Promise((resolve) => setTimeout(resolve, 100)); // retries of the first snapshot see the lobby
    expect(c.store.get().live).toBeNull();
    expect(h.snapshots).toBe(0);
    const socket = h.sockets[0];
    if (!socket) throw new Error('no socket');
    h.waiting.delete(socket.id);
    socket.emit('lobby:status', { state: 'admitted' });
    await vi.waitFor(() => expect(c.store.get().live?.state.version).toBe(1));
    expect(c.store.get().lobby).toBeNull();
  });

  it('stays out once refused from the lobby, rather than queueing again', async () => {
    const c = controller('lobby-token');
    await c.start();
    await vi.waitFor(() => expect(c.store.get().lobby).toBe('waiting'));
    h.sockets[0]?.emit('lobby:status', { state: 'refused' });
    h.sockets[0]?.disconnect(true);
    await vi.waitFor(() => expect(c.store.get().lobby).toBe('refused'));
    await new Promise((resolve) => setTimeout(resolve, 200)); // ten retry delays
    expect(h.sockets).toHaveLength(1);
  });

  it('shows the link lost when a heartbeat is late, and live again when one comes', async () => {
    const c = new SessionController({
      token: 'good-token',
      sessionId: 'som',
      stalledAfterMs: pingIntervalMs / 4,
      network: null,
      createSocket: (auth) => connect(h.server.url, { auth, transports: ['websocket'], autoConnect: false }),
    });
    controllers.push(c);
    await c.start();
    await vi.waitFor(() => expect(c.store.get().live).not.toBeNull());
    const links: string[] = [];
    c.store.subscribe(() => links.push(c.store.get().link));
    await vi.waitFor(() => expect(links).toEqual(['reconnecting', 'connected']), { timeout: 2_000 });
    expect(h.sockets).toHaveLength(1);
    expect(h.snapshots).toBe(1);
  });

  it('shows the link lost as soon as the browser is offline, and reconnects at once when online', async () => {
    const network = new EventTarget();
    // A back-off far longer than the test: only the `online` event can bring it back in time.
    const c = controller('good-token', 'som', { network, reconnectionDelay: 60_000 });
    await c.start();
    await vi.waitFor(() => expect(c.store.get().live).not.toBeNull());
    network.dispatchEvent(new Event('offline'));
    expect(c.store.get().link).toBe('reconnecting');
    h.version = 3;
    h.sockets[0]?.conn.close();
    await vi.waitFor(() => expect(lastClient?.connected).toBe(false));
    network.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(c.store.get().live?.state.version).toBe(3));
    expect(c.store.get().link).toBe('connected');
    expect(h.sockets).toHaveLength(2);
  });

  it('closes its socket when closed', async () => {
    const c = controller();
    await c.start();
    await vi.waitFor(() => expect(h.sockets[0]?.connected).toBe(true));
    c.close();
    await vi.waitFor(() => expect(h.sockets[0]?.connected).toBe(false));
  });
});
