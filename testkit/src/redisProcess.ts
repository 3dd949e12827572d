// A real Redis for tests and benchmarks: Debian's redis-server on a free port, no persistence,
// in a temp dir, killed with the process that started it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild } from './processes.js';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const redisServerBin = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

async function startOnce(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    redisServerBin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} ${why}:\n${log}`));
    };
    const timer = setTimeout(() => fail('did not start within 10 s'), 10_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => fail(`exited (${code})`);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (err) => fail(`could not run: ${err.message}`));
  });
  return child;
}

/** Starts a fresh redis-server; `stop()` ends it and removes its directory. */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'summit-redis-'));
  // Another process may take the probed port before Redis binds it: try a few ports.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    let child: ChildProcess;
    try {
      child = await startOnce(port, dir);
    } catch (err) {
      if (attempt < 5 && /Address already in use/.test((err as Error).message)) continue;
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    // A test runner that dies must not leave Redis behind.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    return {
      port,
      url: `redis://127.0.0.1:${port}`,
      stop: async () => {
        process.off('exit', killOnExit);
        await stopChild(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
