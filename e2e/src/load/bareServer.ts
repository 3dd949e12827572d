// The baseline: a bare socket.io server that broadcasts a message of a given size to everyone
// when asked, with no validation, no permission check, no store. Prints its port.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http);
let version = 0;

io.on('connection', (socket) => {
  socket.join('everyone');
  socket.on('hello', (_payload: unknown, ack: (reply: object) => void) => ack({ ok: true }));
  socket.on('act', ({ bytes }: { bytes: number }, ack: (reply: object) => void) => {
    version += 1;
    io.to('everyone').emit('pushed', { version, padding: 'x'.repeat(Math.max(0, bytes - 30)) });
    ack({ ok: true, version });
  });
});

http.listen(0, '127.0.0.1', () =>
  console.log(`bare socket.io listening on ${(http.address() as AddressInfo).port}`),
);
process.on('SIGTERM', () => io.close(() => process.exit(0)));
