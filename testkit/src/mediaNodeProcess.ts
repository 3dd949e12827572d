// A media node as its own process (sfu/dist/main.js), as an operator runs it: for the cluster's
// tests and benchmark. Its control channel on a free port; stop it gently, drain it, or kill it.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface MediaNodeProcess {
  id: string;
  pid: number;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  signal(signal: NodeJS.Signals): void;
  stop(): Promise<void>;
}

const mainJs = fileURLToPath(new URL('../../sfu/dist/main.js', import.meta.url));

export async function startMediaNode(env: Record<string, string>): Promise<MediaNodeProcess> {
  const child: ChildProcess = spawn(process.execPath, [mainJs], {
    env: { ...process.env, MEDIA_NODE_CONTROL_PORT: '0', MEDIA_PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`media node did not start:\n${log}`)), 30_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (/media node \S+ serving/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`media node exited (${code}):\n${log}`));
    });
  });
  return {
    id: env.MEDIA_NODE_ID ?? '',
    pid: child.pid ?? 0,
    output: () => log,
    exited,
    signal: (signal) => child.kill(signal),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      child.kill('SIGKILL');
    },
  };
}
