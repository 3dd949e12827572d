#!/usr/bin/env node
// Every test of the project, in one run: lint + format, type check of the tests, then every
// vitest project (unit, integration, e2e). Ends with the line "N passed, N failed[, N skipped]".
// Run through `npm test` (infra/setup.mjs), which installs and builds first.
// Extra arguments go to vitest (e.g. a project: `npm test -- --project sfu`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };

function check(name, cmd, args) {
  const started = Date.now();
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  const ok = res.status === 0;
  totals[ok ? 'passed' : 'failed']++;
  console.log(`${ok ? '✓' : '✗'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function vitest(args) {
  const outDir = join(root, 'node_modules', '.cache', 'summit-bridge');
  const outFile = join(outDir, 'vitest-results.json');
  mkdirSync(outDir, { recursive: true });
  rmSync(outFile, { force: true });
  const res = spawnSync(
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${outFile}`, ...args],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (!existsSync(outFile)) {
    console.log(`✗ vitest produced no results (exit ${res.status ?? res.signal})`);
    totals.failed++;
    return;
  }
  const report = JSON.parse(readFileSync(outFile, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  // A file that fails before any test runs (import error, hook failure) has no test results.
  const brokenFiles = report.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.every((t) => t.status !== 'failed'),
  );
  for (const file of brokenFiles) console.log(`✗ ${file.name}: ${file.message}`);
  totals.failed += brokenFiles.length;
  if (res.status !== 0 && report.numFailedTests === 0 && brokenFiles.length === 0) totals.failed++;
}

const vitestArgs = process.argv.slice(2);
if (vitestArgs.length === 0) {
  check('lint and format (biome)', bin('biome'), ['check', '--error-on-warnings', '.']);
  check('type check of the tests', bin('tsc'), ['-p', 'tsconfig.test.json']);
}
vitest(vitestArgs);

const line = `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`;
console.log(`\n${line}`);
process.exit(totals.failed > 0 ? 1 : 0);
