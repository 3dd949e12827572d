#!/usr/bin/env node
// A benchmark by name, on the built code (run through `npm run bench:<name>`, which builds first).
//   node infra/run-bench.mjs sfu | signaling | telemetry | cluster | console | recording
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Node arguments per benchmark: compiled entry points, or load tools run from source with tsx.
const benches = {
  sfu: ['sfu/dist/bench/main.js'],
  signaling: ['--import', 'tsx', 'e2e/src/load/signalingBench.ts'],
  telemetry: ['--expose-gc', '--import', 'tsx', 'e2e/src/load/telemetryBench.ts'],
  cluster: ['--import', 'tsx', 'e2e/src/load/clusterBench.ts'],
  console: ['--import', 'tsx', 'e2e/src/load/consoleBench.ts'],
  recording: ['--import', 'tsx', 'e2e/src/load/recordingBench.ts'],
};

const name = process.argv[2];
const args = benches[name];
if (!args) {
  console.error(`unknown benchmark "${name ?? ''}"; one of: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
const child = spawn(process.execPath, [...args, ...process.argv.slice(3)], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
