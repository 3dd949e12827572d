// What the test processes (Redis, coturn) share: a free port, waiting for one, and an end to a
// child process.
import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 now (another process may still take it before we bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** SIGTERM, then SIGKILL after 5 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port now. */
export function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until `child` accepts connections on every port; throws if it exits or 10 s pass. */
export async function whenListening(child: ChildProcess, ports: number[], what: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await Promise.all(ports.map(accepting));
    if (up.every(Boolean)) return;
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`${what()}\n(not listening on ${ports.join(', ')})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
