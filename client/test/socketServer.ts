import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';

/** A real socket.io server on a free port, standing in for the signaling server's wire. */
export async function startSocketServer(options: Partial<ServerOptions> = {}) {
  const http = createServer();
  const io = new Server(http, options);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: Socket[] = [];
  return {
    io,
    url,
    /** A client the test closes with the server. */
    client(options: Parameters<typeof connect>[1] = {}): Socket {
      const socket = connect(url, {
        transports: ['websocket'],
        forceNew: true,
        reconnectionDelay: 20,
        reconnectionDelayMax: 50,
        ...options,
      });
      clients.push(socket);
      return socket;
    },
    async close() {
      for (const socket of clients) socket.disconnect();
      await io.close();
    },
  };
}

export type SocketServer = Awaited<ReturnType<typeof startSocketServer>>;
