import { defineConfig } from 'vitest/config';

// One runner for every package; each package's tests live in <package>/test.
// `source` makes workspace packages resolve to their TypeScript sources, so no build is needed.
const conditions = ['source', 'node', 'development|production'];

const project = (name: string, overrides: Record<string, unknown> = {}) => ({
  extends: true as const,
  test: { name, root: name, include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], ...overrides },
});

export default defineConfig({
  ssr: { resolve: { conditions } },
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      project('infra'),
      project('protocol'),
      project('sfu'),
      project('server'),
      project('client'),
      // Browser tests share one machine's two cores: one file at a time.
      // A page on a loaded machine may take seconds to show a change: polls wait up to 20 s.
      project('e2e', {
        fileParallelism: false,
        testTimeout: 120_000,
        expect: { poll: { timeout: 20_000, interval: 100 } },
      }),
    ],
  },
});
