// A load tool in a process of its own (so that its CPU is not the server's), driven over IPC.
import { spawn } from 'node:child_process';
import { Rpc } from '@summit-bridge/testkit/rpc';

export interface ToolProcess {
  rpc: Rpc;
  stop(): Promise<void>;
}

/** Starts `entry` (a TypeScript file) and resolves once it says `ready`. */
export async function startToolProcess(entry: string, nodeArgs: string[] = []): Promise<ToolProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const rpc = Rpc.ofChild(child);
  await new Promise<void>((resolve, reject) => {
    rpc.handle('ready', () => resolve());
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code})`)));
  });
  return {
    rpc,
    stop: async () => {
      await rpc.call('close').catch(() => undefined);
      child.kill();
    },
  };
}
