// A TCP relay between a browser and the server that can go silent: while cut, nothing crosses
// in either direction and no connection is closed, as when a route dies somewhere upstream (no
// `offline` event, no reset: only missing heartbeats tell). Restored, what waited flows on.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface LinkProxy {
  /** The server's URL as seen through the relay. */
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startLinkProxy(target: { host: string; port: number }): Promise<LinkProxy> {
  const sockets = new Set<Socket>();
  let cut = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (cut) socket.pause();
  };
  const server: Server = createServer((browser) => {
    const upstream = connect(target.port, target.host);
    track(browser);
    track(upstream);
    // Reads pause while cut: the bytes stay in the kernel's buffers, as on a stalled route.
    browser.on('data', (data) => upstream.write(data));
    upstream.on('data', (data) => browser.write(data));
    browser.on('close', () => upstream.destroy());
    upstream.on('close', () => browser.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut: () => {
      cut = true;
      for (const socket of sockets) socket.pause();
    },
    restore: () => {
      cut = false;
      for (const socket of sockets) socket.resume();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
