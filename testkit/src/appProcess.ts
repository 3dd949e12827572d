// Starts the built server (server/dist/main.js) as its own process on a free port, as users run it.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface AppProcess {
  url: string;
  port: number;
  pid: number;
  output(): string;
  /** kill -9: the instance vanishes without a word, as in a crash. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const mainJs = fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));
// APP_CPU_PROF_DIR: each app a test or benchmark starts writes a V8 CPU profile there on exit.
const profile = process.env.APP_CPU_PROF_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.APP_CPU_PROF_DIR}`]
  : [];

export async function startApp(env: Record<string, string> = {}, args: string[] = []): Promise<AppProcess> {
  const child: ChildProcess = spawn(process.execPath, [...profile, mainJs, ...args], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${log}`));
    });
  });
  return {
    port,
    pid: child.pid ?? 0,
    url: `http://127.0.0.1:${port}`,
    output: () => log,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      child.kill('SIGKILL');
    },
  };
}
