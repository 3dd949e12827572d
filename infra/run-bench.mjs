#!/usr/bin/env node
// A benchmark by name, run from the TypeScript sources: `node infra/run-bench.mjs <name> [args]`.
// Run through `npm run bench:<name>` (infra/setup.mjs), which installs and builds first.
// Each writes its results to bench/results/<name>.json.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benches = {
  signaling: 'e2e/src/load/signalingBench.ts',
  telemetry: 'e2e/src/load/telemetryBench.ts',
};

const [name, ...args] = process.argv.slice(2);
const script = benches[name];
if (!script) {
  console.error(`unknown benchmark "${name ?? ''}"; one of ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
const child = spawn(
  process.execPath,
  ['--conditions=source', '--import', 'tsx', join(root, script), ...args],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
