// Batched sends under pressure: 2,000 consumers of one producer over 4 sockets, each socket's
// send buffer far smaller than one fan-out, so that the worker's sendmmsg() is cut short and
// refused (EAGAIN) again and again. Every stream must arrive complete and in order; only what
// the kernel itself drops may be missing. The load runs in a network namespace of its own
// (sendBatch.child.ts), where a shaper on loopback makes EAGAIN happen at all.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const isRoot = process.getuid?.() === 0;

describe('batched sends with a full send buffer', () => {
  it.skipIf(!isRoot)(
    'lose and reorder nothing',
    () => {
      const child = spawnSync(
        'unshare',
        ['--net', '--', process.execPath, '--import', 'tsx', join(import.meta.dirname, 'sendBatch.child.ts')],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      const result = JSON.parse(child.stdout);
      // The preconditions: every consumer got a stream, and sends were refused for a full buffer.
      expect(result.streams).toBe(result.consumers);
      expect(result.sendBufferFull).toBeGreaterThan(0);
      expect(result.shaperDrops).toBe(0);
      expect(result.reordered).toBe(0);
      expect(result.consumers * result.packets - result.received).toBeLessThanOrEqual(result.kernelDrops);
    },
    90_000,
  );
});
