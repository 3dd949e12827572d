// A crowd of socket.io clients in its own process (so the server under test has the cores it
// would have in production), driven by the benchmark over IPC. One clock for send and receive.
import { performance } from 'node:perf_hooks';
import { Rpc } from '@summit-bridge/testkit/rpc';
import { io, type Socket } from 'socket.io-client';

interface JoinParams {
  url: string;
  /** One handshake `auth` per client; the first is the one that acts (the chair). */
  auths: object[];
  /** The request each client makes once connected (our snapshot), or none. */
  firstRequest: string | null;
  concurrency: number;
}

interface MeasureParams {
  /** The requests the first client makes one after another, each waited for at every client. */
  actions: { name: string; payload: unknown }[];
  /** The push every client waits for after each action. */
  push: string;
}

const rpc = Rpc.ofParent();
let sockets: Socket[] = [];

function connect(url: string, auth: object, firstRequest: string | null): Promise<Socket> {
  const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('connect', () => {
      if (!firstRequest) return resolve(socket);
      socket
        .timeout(30_000)
        .emit(firstRequest, {}, (err: Error | null) => (err ? reject(err) : resolve(socket)));
    });
  });
}

rpc.handle('join', async ({ url, auths, firstRequest, concurrency }: JoinParams) => {
  const started = performance.now();
  const joined: Socket[] = new Array(auths.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < auths.length) {
        const i = next++;
        joined[i] = await connect(url, auths[i] as object, firstRequest);
      }
    }),
  );
  sockets = joined;
  const seconds = (performance.now() - started) / 1000;
  return { joined: sockets.length, seconds, joinsPerSecond: sockets.length / seconds };
});

rpc.handle('measure', async ({ actions, push }: MeasureParams) => {
  const actor = sockets[0];
  if (!actor) throw new Error('join first');
  const latenciesMs: number[] = [];
  let pushBytes = 0;
  for (const action of actions) {
    const arrivals = sockets.map(
      (socket) =>
        new Promise<number>((resolve) =>
          socket.once(push, (payload: unknown) => {
            pushBytes = JSON.stringify(payload).length;
            resolve(performance.now());
          }),
        ),
    );
    const sentAt = performance.now();
    const reply = await actor.timeout(30_000).emitWithAck(action.name, action.payload);
    if (reply && typeof reply === 'object' && 'ok' in reply && reply.ok === false) {
      throw new Error(`${action.name} refused: ${JSON.stringify(reply)}`);
    }
    for (const at of await Promise.all(arrivals)) latenciesMs.push(at - sentAt);
  }
  return { latenciesMs, pushBytes };
});

rpc.handle('close', () => {
  for (const socket of sockets) socket.close();
  setTimeout(() => process.exit(0), 50);
  return {};
});

process.on('disconnect', () => process.exit(0));
rpc.call('ready').catch(() => process.exit(1));
