// The deployment in infra/deploy/: its systemd units verified by systemd, its nginx site by nginx,
// its log rotation by logrotate, and its `check` command run against a real deployment on this
// machine (Redis from the shipped redis.conf, coturn from the shipped turnserver.conf, a media
// node, a signaling instance, nginx with the shipped site in front) — as configured, and broken.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type AppProcess, startApp } from '@summit-bridge/testkit/app-process';
import { type MediaNodeProcess, startMediaNode } from '@summit-bridge/testkit/media-node-process';
import { freePort, stopChild, whenListening } from '@summit-bridge/testkit/processes';
import { type RedisServer, startRedis } from '@summit-bridge/testkit/redis-process';
import { makeTestCa, type TestCa } from '@summit-bridge/testkit/test-certificates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const deploy = resolve(import.meta.dirname, '..', 'deploy');
const read = (path: string) => readFileSync(join(deploy, path), 'utf8');

/** Runs a command; its exit code and everything it printed, whether it failed or not. */
async function outcome(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  try {
    const { stdout, stderr } = await run(cmd, args, { env, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

/** Replaces each `from` (which must be there) by its `to`: the shipped file, moved to this machine. */
function moved(text: string, replacements: [string | RegExp, string][]): string {
  let out = text;
  for (const [from, to] of replacements) {
    const next = out.replaceAll(from, to);
    if (next === out) throw new Error(`nothing to replace for ${from}`);
    out = next;
  }
  return out;
}

describe('the systemd units', () => {
  const units = readdirSync(join(deploy, 'systemd')).map((name) => join(deploy, 'systemd', name));

  it('pass systemd-analyze verify, without a warning', async () => {
    expect(units.length).toBe(5);
    const { code, output } = await outcome('systemd-analyze', ['verify', '--man=no', ...units]);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('are hardened: systemd rates every service’s exposure "OK" (below 2 of 10)', async () => {
    for (const unit of units.filter((u) => u.endsWith('.service'))) {
      const { code, output } = await outcome('systemd-analyze', [
        'security',
        '--offline=true',
        '--no-pager',
        unit,
      ]);
      expect(code, output).toBe(0);
      const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(output)?.[1]);
      expect(exposure, unit).toBeLessThan(2);
    }
  });
});

describe('the nginx site and the log rotation', () => {
  it('logrotate reads the rotation without an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'summit-logrotate-'));
    try {
      const { code, output } = await outcome('logrotate', [
        '-d',
        '-s',
        join(dir, 'state'),
        join(deploy, 'logrotate', 'summit-bridge'),
      ]);
      expect(code, output).toBe(0);
      expect(output).toContain('/var/log/summit-bridge/*.log');
      expect(output).not.toMatch(/error/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- a deployment on this machine ---------------------------------------------------------------

let ca: TestCa;
let root: string;
let redis: ChildProcess;
let redisUrl: string;
let emptyRedis: RedisServer;
let turn: ChildProcess;
let turnLog = '';
let turnUrls: { udp: string; tcp: string; tls: string };
let node: MediaNodeProcess;
let app: AppProcess;
let nginx: ChildProcess;
let publicUrl: string;
let nginxConf: string;
const secrets = {
  jwt: randomBytes(36).toString('base64url'),
  admin: randomBytes(18).toString('base64url'),
  node: randomBytes(36).toString('base64url'),
  metrics: randomBytes(18).toString('base64url'),
  turn: randomBytes(36).toString('base64url'),
  redis: randomBytes(18).toString('hex'),
};

/** Starts a process and waits for `ready` in its output. */
async function startUntil(cmd: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start:\n${log}`)), 15_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (ready.test(log)) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${cmd} exited (${code}):\n${log}`)));
  });
  return child;
}

/** The shipped nginx site, on this machine's free ports, in front of the signaling instance. */
function siteConf(site: { certFile: string; keyFile: string }, httpPort: number, httpsPort: number): string {
  return moved(read('nginx/summit-bridge.conf'), [
    ['203.0.113.30:80;', `127.0.0.1:${httpPort};`],
    ['203.0.113.30:443 ', `127.0.0.1:${httpsPort} `],
    [/server 127\.0\.0\.1:300\d/g, `server 127.0.0.1:${app.port}`],
    ['/etc/summit-bridge/tls/site-fullchain.pem', site.certFile],
    ['/etc/summit-bridge/tls/site-privkey.pem', site.keyFile],
    ['/var/log/summit-bridge/', `${root}/log/`],
  ]);
}

beforeAll(async () => {
  ca = makeTestCa();
  root = mkdtempSync(join(tmpdir(), 'summit-deploy-'));
  for (const dir of ['good', 'broken', 'log', 'redis']) mkdirSync(join(root, dir));

  // Redis from the shipped configuration: persistence as production has it.
  const redisPort = await freePort();
  writeFileSync(
    join(root, 'redis.conf'),
    moved(read('redis/redis.conf'), [
      ['bind 10.0.0.5 127.0.0.1', 'bind 127.0.0.1'],
      ['port 6379', `port ${redisPort}`],
      ['requirepass CHANGE-ME-redis-password', `requirepass ${secrets.redis}`],
      ['dir /var/lib/summit-redis', `dir ${root}/redis`],
    ]),
  );
  redis = await startUntil('redis-server', [join(root, 'redis.conf')], /Ready to accept connections/);
  redisUrl = `redis://:${secrets.redis}@127.0.0.1:${redisPort}`;
  emptyRedis = await startRedis();

  // coturn from the shipped configuration, moved to loopback (its media node on 127.0.0.2).
  const [turnPort, turnTlsPort] = [await freePort(), await freePort()];
  const turnCert = ca.issue('turn', ['127.0.0.1'], 90);
  const turnConf = moved(read('coturn/turnserver.conf'), [
    ['listening-ip=203.0.113.20', 'listening-ip=127.0.0.1'],
    ['relay-ip=203.0.113.20', 'relay-ip=127.0.0.1'],
    ['listening-port=3478', `listening-port=${turnPort}`],
    ['tls-listening-port=443', `tls-listening-port=${turnTlsPort}`],
    ['static-auth-secret=CHANGE-ME-at-least-32-characters', `static-auth-secret=${secrets.turn}`],
    ['allowed-peer-ip=203.0.113.10\nallowed-peer-ip=203.0.113.11', 'allowed-peer-ip=127.0.0.2'],
    ['/etc/summit-bridge/tls/turn-fullchain.pem', turnCert.certFile],
    ['/etc/summit-bridge/tls/turn-privkey.pem', turnCert.keyFile],
    ['/var/lib/summit-coturn/turndb', `${root}/turndb`],
  ]);
  writeFileSync(join(root, 'turnserver.conf'), turnConf);
  turn = spawn('turnserver', ['-c', join(root, 'turnserver.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [turn.stdout, turn.stderr])
    stream?.on('data', (chunk: Buffer) => {
      turnLog += chunk.toString();
    });
  await whenListening(turn, [turnPort, turnTlsPort], () => `turnserver did not start:\n${turnLog}`);
  turnUrls = {
    udp: `turn:127.0.0.1:${turnPort}?transport=udp`,
    tcp: `turn:127.0.0.1:${turnPort}?transport=tcp`,
    tls: `turns:127.0.0.1:${turnTlsPort}?transport=tcp`,
  };
  const mediaPort = await freePort();
  const controlPort = await freePort();
  const nodeEnv = {
    REDIS_URL: redisUrl,
    MEDIA_NODE_SECRET: secrets.node,
    MEDIA_NODE_ID: 'n1',
    MEDIA_LISTEN_IP: '127.0.0.2',
    MEDIA_ANNOUNCED_ADDRESS: '127.0.0.2',
    MEDIA_NODE_CONTROL_HOST: '127.0.0.2',
    MEDIA_NODE_CONTROL_PORT: String(controlPort),
    MEDIA_PORT: String(mediaPort),
    MEDIA_WORKERS: '1',
  };
  node = await startMediaNode(nodeEnv);
  const signalingEnv = {
    REDIS_URL: redisUrl,
    MEDIA_NODES: 'registry',
    MEDIA_NODE_SECRET: secrets.node,
    SUMMIT_JWT_SECRET: secrets.jwt,
    SUMMIT_ADMIN_TOKEN: secrets.admin,
    METRICS_TOKEN: secrets.metrics,
    TURN_URLS: Object.values(turnUrls).join(','),
    TURN_SECRET: secrets.turn,
  };
  app = await startApp({ ...signalingEnv, LOG_LEVEL: 'warn' });

  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  publicUrl = `https://127.0.0.1:${httpsPort}`;
  writeFileSync(join(root, 'site.conf'), siteConf(ca.issue('site', ['127.0.0.1'], 90), httpPort, httpsPort));
  nginxConf = join(root, 'nginx.conf');
  writeFileSync(
    nginxConf,
    `pid ${root}/nginx.pid;\nerror_log ${root}/log/error.log;\nevents {}\nhttp {\n  include ${root}/site.conf;\n}\n`,
  );
  nginx = spawn('nginx', ['-c', nginxConf, '-g', 'daemon off;'], { stdio: 'ignore' });

  const env = (values: Record<string, string>) =>
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n');
  const good = join(root, 'good');
  writeFileSync(join(good, 'signaling.env'), env({ ...signalingEnv, PUBLIC_URL: publicUrl }));
  writeFileSync(join(good, 'media-node.env'), env({ REDIS_URL: redisUrl, MEDIA_NODE_SECRET: secrets.node }));
  const { MEDIA_NODE_ID: _id, ...perNode } = nodeEnv;
  writeFileSync(join(good, 'media-node-n1.env'), env(perNode));
  writeFileSync(join(good, 'turnserver.conf'), turnConf);

  // The same deployment, broken as an operator might break it.
  const broken = join(root, 'broken');
  const closed = await freePort();
  writeFileSync(
    join(broken, 'signaling.env'),
    env({
      ...signalingEnv,
      PUBLIC_URL: publicUrl,
      SUMMIT_JWT_SECRET: 'too-short',
      SUMMIT_ADMIN_TOKEN: 'CHANGE-ME-at-least-16-characters',
      REDIS_URL: emptyRedis.url,
      TURN_SECRET: randomBytes(36).toString('base64url'),
    }),
  );
  writeFileSync(
    join(broken, 'media-node-n1.env'),
    env({ ...perNode, REDIS_URL: emptyRedis.url, MEDIA_PORT: String(closed) }),
  );
  const expired = ca.issue('expired', ['turn.example.org'], -1);
  writeFileSync(
    join(broken, 'turnserver.conf'),
    moved(readFileSync(join(good, 'turnserver.conf'), 'utf8'), [
      ['denied-peer-ip=10.0.0.0-10.255.255.255\n', ''],
      [turnCert.certFile, expired.certFile],
      [turnCert.keyFile, expired.keyFile],
    ]),
  );
}, 120_000);

afterAll(async () => {
  if (nginx) await stopChild(nginx);
  await app?.stop();
  await node?.stop();
  if (turn) await stopChild(turn);
  if (redis) await stopChild(redis);
  await emptyRedis?.stop();
  ca?.remove();
  if (root) rmSync(root, { recursive: true, force: true });
});

const check = (dir: string, trustCa = true) =>
  outcome(process.execPath, [join(deploy, 'check.mjs'), join(root, dir)], {
    ...process.env,
    // The test CA is the deployment's own, as a ministry's CA would be on its servers.
    ...(trustCa ? { NODE_EXTRA_CA_CERTS: ca.caFile } : {}),
  });

describe('the shipped coturn configuration', () => {
  it('is read by coturn without a bad line', () => {
    expect(turnLog).toContain('Relay ports initialization done');
    expect(turnLog).not.toContain('Bad configuration');
  });
});

describe('the nginx site', () => {
  it('passes nginx -t', async () => {
    const { code, output } = await outcome('nginx', ['-t', '-c', nginxConf]);
    expect(output).toContain('test is successful');
    expect(code).toBe(0);
  });
});

describe('the check command', () => {
  it('passes a deployment as configured: secrets, TLS, WebSockets through nginx, Redis, TURN, ports', async () => {
    const { code, output } = await check('good');
    for (const line of [
      '✓ SUMMIT_JWT_SECRET set',
      `✓ TLS certificate of ${publicUrl}: valid for`,
      `✓ ${publicUrl}/healthz answers ok`,
      `✓ ${publicUrl}: WebSockets reach the signaling server`,
      '✓ Redis at 127.0.0.1',
      `✓ TURN ${turnUrls.udp}: allocation`,
      `✓ TURN ${turnUrls.tcp}: allocation`,
      `✓ TURN ${turnUrls.tls}: allocation`,
      '✓ turnserver.conf: private ranges denied as peers',
      '✓ turnserver.conf cert: valid for',
      '✓ media node n1 media port',
      '✓ media node n1 control port',
    ])
      expect(output).toContain(line);
    expect(output).toMatch(/persistence on \(AOF, snapshots/);
    expect(code, output).toBe(0);
  });

  it('fails a deliberately broken one, naming each fault', async () => {
    const { code, output } = await check('broken');
    for (const line of [
      '✗ SUMMIT_JWT_SECRET is 9 characters, needs at least 32',
      "✗ SUMMIT_ADMIN_TOKEN still holds the example's placeholder",
      "✗ turnserver.conf: static-auth-secret is not signaling.env's TURN_SECRET",
      '✗ turnserver.conf: relays may reach private addresses (10.0.0.1)',
      '✗ turnserver.conf cert: expired on',
      'persistence off',
      `✗ TURN ${turnUrls.tcp}: allocation refused (401`,
      `✗ TURN ${turnUrls.tls}: allocation refused (401`,
      '✗ media node n1: ',
    ])
      expect(output).toContain(line);
    expect(code).toBe(1);
  });

  it('fails certificates a browser would not trust', async () => {
    const { code, output } = await check('good', false);
    expect(output).toContain(`✗ TLS of ${publicUrl}: UNABLE_TO_VERIFY_LEAF_SIGNATURE`);
    expect(output).toMatch(/✗ TURN turns:\S+: unable to verify the first certificate/);
    expect(output).not.toContain('DeprecationWarning');
    expect(code).toBe(1);
  });
});
