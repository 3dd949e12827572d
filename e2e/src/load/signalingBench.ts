// npm run bench:signaling — N authenticated socket.io clients (default 500) in one session, the
// chair acting, latency from the chair's request to every client's push; and the same crowd on
// a bare socket.io server broadcasting a message of the same size, as the baseline.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { percentile, processCpu, round } from '@summit-bridge/sfu/bench';
import { startApp } from '@summit-bridge/testkit/app-process';
import { startToolProcess } from './toolProcess.js';

const clients = Number(process.env.BENCH_CLIENTS ?? process.argv[2] ?? 500);
const actions = Number(process.env.BENCH_ACTIONS ?? 40);
const adminToken = 'bench-admin-token-0123456789';

const startSwarm = () => startToolProcess(fileURLToPath(new URL('./swarm.ts', import.meta.url)));

function summarize(latencies: number[]) {
  return {
    p50Ms: round(percentile(latencies, 50), 1),
    p95Ms: round(percentile(latencies, 95), 1),
    p99Ms: round(percentile(latencies, 99), 1),
  };
}

async function invite(url: string, body: object): Promise<string> {
  const res = await fetch(`${url}/api/v1/summits/asean-2020/invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`invitation refused: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

type Swarm = Awaited<ReturnType<typeof startSwarm>>;

/** The swarm joins; with the server's CPU over the storm, to tell its cost per join from the swarm's. */
async function joinCounted(serverPid: number, swarm: Swarm, params: object) {
  const before = await processCpu(serverPid);
  const join = await swarm.rpc.call<{ joinsPerSecond: number; joined: number }>('join', params);
  const after = await processCpu(serverPid);
  const cpuMs = after.userMs + after.systemMs - before.userMs - before.systemMs;
  return { joinsPerSecond: join.joinsPerSecond, serverCpuMsPerJoin: round(cpuMs / join.joined, 2) };
}

async function measureOurs() {
  const app = await startApp(
    {
      SUMMIT_ADMIN_TOKEN: adminToken,
      MEDIA_WORKERS: '1',
      MEDIA_LISTEN_IP: '127.0.0.1',
      MEDIA_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    ['--demo'],
  );
  const swarm = await startSwarm();
  try {
    const sessionId = 'som';
    const chair = await invite(app.url, {
      name: 'Chair',
      delegation: 'VNM',
      role: 'chair',
      sessions: [sessionId],
    });
    const audience: string[] = [];
    for (let i = 0; i < clients; i++) {
      audience.push(
        await invite(app.url, {
          name: `Observer ${i}`,
          delegation: null,
          role: 'observer',
          sessions: [sessionId],
        }),
      );
    }
    const auths = [chair, ...audience].map((token) => ({ token, sessionId }));
    console.log(`  ours: ${auths.length} invitations issued, joining…`);
    const join = await joinCounted(app.pid, swarm, {
      url: app.url,
      auths,
      firstRequest: 'session:snapshot',
      concurrency: 50,
    });
    const policies = Array.from({ length: actions + 1 }, (_, i) => ({
      name: 'floor:setMicPolicy',
      payload: { policy: i % 2 === 0 ? 'open' : 'floor' },
    }));
    // A session as it looks after a while: every delegation has spoken once, one holds the floor,
    // so each push carries a realistic state, not an empty one.
    const delegations = ['BRN', 'KHM', 'IDN', 'LAO', 'MYS', 'MMR', 'PHL', 'SGP', 'THA', 'VNM', 'ASEC'];
    await swarm.rpc.call('measure', {
      actions: [
        { name: 'session:setStatus', payload: { status: 'open' } },
        ...delegations.map((delegation) => ({ name: 'floor:give', payload: { delegation } })),
      ],
      push: 'session:updated',
    });
    const measured = await swarm.rpc.call<{ latenciesMs: number[]; pushBytes: number }>('measure', {
      actions: policies,
      push: 'session:updated',
    });
    return { ...join, ...measured };
  } finally {
    await swarm.stop();
    await app.stop();
  }
}

async function measureBare(pushBytes: number) {
  const entry = fileURLToPath(new URL('./bareServer.ts', import.meta.url));
  const server = spawn(process.execPath, ['--import', 'tsx', entry], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) =>
    server.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening on (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    }),
  );
  const swarm = await startSwarm();
  try {
    const join = await joinCounted(server.pid ?? 0, swarm, {
      url: `http://127.0.0.1:${port}`,
      auths: Array.from({ length: clients + 1 }, () => ({})),
      firstRequest: 'hello',
      concurrency: 50,
    });
    const measured = await swarm.rpc.call<{ latenciesMs: number[] }>('measure', {
      actions: Array.from({ length: actions + 1 }, () => ({ name: 'act', payload: { bytes: pushBytes } })),
      push: 'pushed',
    });
    return { ...join, latenciesMs: measured.latenciesMs };
  } finally {
    await swarm.stop();
    server.kill('SIGTERM');
  }
}

async function main() {
  console.log(
    `signaling benchmark: ${clients} clients, ${actions} chair actions each way (${cpus().length} cores)`,
  );
  const ours = await measureOurs();
  const bare = await measureBare(ours.pushBytes);
  // The first action of each run warms the path (JIT, buffers); it is not counted.
  const oursStats = summarize(ours.latenciesMs.slice(clients + 1));
  const bareStats = summarize(bare.latenciesMs.slice(clients + 1));
  const result = {
    date: new Date().toISOString(),
    clients,
    actions,
    pushBytes: ours.pushBytes,
    ...oursStats,
    joinsPerSecond: Math.round(ours.joinsPerSecond),
    bareP50Ms: bareStats.p50Ms,
    bareP95Ms: bareStats.p95Ms,
    bareP99Ms: bareStats.p99Ms,
    bareJoinsPerSecond: Math.round(bare.joinsPerSecond),
    ratioVsBare: Math.round((oursStats.p99Ms / bareStats.p99Ms) * 100) / 100,
    joinsRatioVsBare: round(ours.joinsPerSecond / bare.joinsPerSecond, 2),
    serverCpuMsPerJoin: ours.serverCpuMsPerJoin,
    bareServerCpuMsPerJoin: bare.serverCpuMsPerJoin,
  };
  console.table({
    'Summit Bridge': {
      p50Ms: result.p50Ms,
      p95Ms: result.p95Ms,
      p99Ms: result.p99Ms,
      joinsPerSecond: result.joinsPerSecond,
      serverCpuMsPerJoin: result.serverCpuMsPerJoin,
    },
    'bare socket.io': {
      p50Ms: result.bareP50Ms,
      p95Ms: result.bareP95Ms,
      p99Ms: result.bareP99Ms,
      joinsPerSecond: result.bareJoinsPerSecond,
      serverCpuMsPerJoin: result.bareServerCpuMsPerJoin,
    },
  });
  console.log(
    `fan-out ratioVsBare (p99 ours / p99 bare): ${result.ratioVsBare} (goal ≤ 1.2); push ${result.pushBytes} bytes`,
  );
  console.log(`joins ours / bare: ${result.joinsRatioVsBare} (goal ≥ 0.8 at 2,000 clients)`);
  const dir = fileURLToPath(new URL('../../../bench/results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}signaling.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`saved bench/results/signaling.json`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
