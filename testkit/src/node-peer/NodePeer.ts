// Parent side of a Node WebRTC peer (see peerProcess.ts): start it, answer its signaling needs,
// and drive it with calls.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Rpc } from './rpc.js';

export interface PeerSignaling {
  transportConnect(params: { transportId: string; dtlsParameters: unknown }): Promise<void>;
  produce(params: {
    transportId: string;
    kind: 'audio' | 'video';
    rtpParameters: unknown;
    appData: unknown;
  }): Promise<{ id: string }>;
}

const entry = fileURLToPath(new URL('./peerProcess.ts', import.meta.url));

export class NodePeer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly rpc: Rpc,
  ) {}

  static async start(signaling: PeerSignaling): Promise<NodePeer> {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const rpc = Rpc.ofChild(child);
    const ready = new Promise<void>((resolve, reject) => {
      rpc.handle('ready', () => resolve());
      child.once('exit', (code) => reject(new Error(`node peer exited early (${code})`)));
    });
    child.on('exit', () => rpc.failAll(new Error('node peer exited')));
    rpc.handle('transportConnect', (p: Parameters<PeerSignaling['transportConnect']>[0]) =>
      signaling.transportConnect(p),
    );
    rpc.handle('produce', (p: Parameters<PeerSignaling['produce']>[0]) => signaling.produce(p));
    await ready;
    return new NodePeer(child, rpc);
  }

  call<R>(method: string, params: unknown = {}): Promise<R> {
    return this.rpc.call<R>(method, params);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.rpc.call('close').catch(() => undefined);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    this.child.kill('SIGKILL');
  }
}
