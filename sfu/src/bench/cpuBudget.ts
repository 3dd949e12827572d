// A fixed share of a core for a process, through the kernel's CPU controller (cgroup v1 `cpu`,
// or v2 `cpu.max`): what makes media nodes on one small machine behave like hosts of their own
// size. Without it, two nodes on a 2-core machine share the cores with the load generator and a
// second node cannot show what it adds.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 10 ms periods: a throttled worker waits at most a few milliseconds, not a tenth of a second. */
const PERIOD_US = 10_000;

interface Controller {
  root: string;
  limit(dir: string, quotaUs: number): void;
}

const V1_ROOT = '/sys/fs/cgroup/cpu';
const V2_ROOT = '/sys/fs/cgroup';

function controller(): Controller | null {
  if (existsSync(join(V1_ROOT, 'cpu.cfs_quota_us')))
    return {
      root: V1_ROOT,
      limit(dir, quotaUs) {
        writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
        writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quotaUs));
      },
    };
  const controllers = join(V2_ROOT, 'cgroup.controllers');
  if (existsSync(controllers) && readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu'))
    return {
      root: V2_ROOT,
      limit(dir, quotaUs) {
        writeFileSync(join(dir, 'cpu.max'), `${quotaUs} ${PERIOD_US}`);
      },
    };
  return null;
}

export class CpuBudget {
  private constructor(
    private readonly root: string,
    private readonly dir: string,
    private readonly pids: number[],
  ) {}

  /**
   * Confines `pids` to `pct` % of one core, or answers why it cannot (not root, no CPU
   * controller): the caller says so in its results rather than measuring something else.
   */
  static apply(name: string, pids: number[], pct: number): CpuBudget | string {
    const cpu = controller();
    if (!cpu) return 'no cgroup CPU controller on this machine';
    const dir = join(cpu.root, `summit-bridge-bench-${name}`);
    try {
      if (cpu.root === V2_ROOT) writeFileSync(join(V2_ROOT, 'cgroup.subtree_control'), '+cpu');
      mkdirSync(dir, { recursive: true });
      cpu.limit(dir, Math.round((PERIOD_US * pct) / 100));
      for (const pid of pids) writeFileSync(join(dir, 'cgroup.procs'), String(pid));
      return new CpuBudget(cpu.root, dir, pids);
    } catch (err) {
      return `cannot confine to ${dir}: ${(err as Error).message}`;
    }
  }

  /** Back to the root group (a process that has exited is simply gone), and the group removed. */
  release(): void {
    for (const pid of this.pids) {
      try {
        writeFileSync(join(this.root, 'cgroup.procs'), String(pid));
      } catch {
        // exited already
      }
    }
    try {
      rmdirSync(this.dir);
    } catch {
      // still in use by a straggler: harmless, reused by the next run
    }
  }
}
