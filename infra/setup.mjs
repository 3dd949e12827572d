#!/usr/bin/env node
// The one entry point a fresh machine needs: system packages, the mediasoup worker, npm
// dependencies and the build, then the task asked for.
//   node infra/setup.mjs start            seeded demo summit on the embedded default
//   node infra/setup.mjs test             every test, ending with "N passed, N failed"
//   node infra/setup.mjs install          everything the tests need, and nothing else (CI)
//   node infra/setup.mjs bench <name>     a benchmark (infra/run-bench.mjs: sfu | signaling | telemetry);
//                                          for sfu, the worker variants it compares are built first
//   node infra/setup.mjs worker-tests     builds libsrtp's test suite and mediasoup's own C++ tests
//                                          (Catch2) from our patched sources and runs them
//   node infra/setup.mjs apt-plan         what it would write to apt's sources and install; does
//                                          neither (SUMMIT_APT_ROOT: the apt root read, default /)
// Only Node's own modules here: this runs before `npm install`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  codenameFromOsRelease,
  DEBIAN_KEYRING,
  OWN_SOURCE_FILE,
  planBackportsSource,
  planSourceIndex,
} from './apt/sources.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const recipeDir = join(root, 'infra', 'mediasoup-worker');
const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'summit-bridge');
const mediasoupVersion = JSON.parse(readFileSync(join(root, 'sfu', 'package.json'), 'utf8')).dependencies
  .mediasoup;

const WORKER_BUILD_PACKAGES = [
  'libuv1-dev',
  'libssl-dev',
  // dpkg-source unpacks Debian's libsrtp2 source package, which the worker's SRTP is built from.
  'dpkg-dev',
  'libflatbuffers-dev',
  'flatbuffers-compiler',
  'libabsl-dev',
  'pkg-config',
  'g++',
  'ninja-build',
];
// iproute2: the batched-send test shapes the loopback of a network namespace of its own (tc).
// coturn: the TURN relay the e2e test reaches through (and its turnutils_uclient); openssl makes
// its test certificates; libnss3-tools (certutil) trusts the test CA in Chromium's profile;
// nginx, systemd and logrotate: the deployment's site, units and log rotation are checked with
// `nginx -t`, `systemd-analyze verify` and `logrotate -d`.
const TEST_PACKAGES = [
  'redis-server',
  'chromium',
  'fonts-noto-core',
  'iproute2',
  'coturn',
  'openssl',
  'libnss3-tools',
  'nginx',
  'systemd',
  'logrotate',
];
// What the product itself runs besides Node: FFmpeg writes the recordings on the media node and
// composes each recording's one file.
const RUNTIME_PACKAGES = ['ffmpeg'];
// Installing these must not start the distribution's own instances: the tests start theirs on
// free ports, and a deployment uses infra/deploy/'s units.
const DAEMON_PACKAGES = new Set(['coturn', 'nginx', 'redis-server']);
// Only the benchmark's baseline worker links Debian's own (NSS-based) libsrtp2.
const BENCH_WORKER_PACKAGES = ['libsrtp2-dev'];
const MESON_MIN = [1, 1, 0];

const log = (msg) => console.log(`[setup] ${msg}`);

class SetupError extends Error {}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (res.status !== 0)
    throw new SetupError(`${cmd} ${args.join(' ')} failed (exit ${res.status ?? res.signal})`);
}

function output(cmd, args) {
  const res = spawnSync(cmd, args, { encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : null;
}

// ---- system packages ------------------------------------------------------------------------

const isRoot = process.getuid?.() === 0;
let aptUpdated = false;

function missingDebPackages(names) {
  return names.filter(
    (name) => output('dpkg-query', ['-W', `-f=${'$'}{Status}`, name]) !== 'install ok installed',
  );
}

function mesonOk() {
  const version = output('meson', ['--version']);
  if (!version) return false;
  const parts = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((parts[i] ?? 0) !== MESON_MIN[i]) return (parts[i] ?? 0) > MESON_MIN[i];
  }
  return true;
}

function aptUpdate() {
  if (aptUpdated) return;
  run('apt-get', ['update']);
  aptUpdated = true;
}

function aptInstall(names, extraArgs = []) {
  aptUpdate();
  const install = () =>
    run('apt-get', ['install', '-y', '--no-install-recommends', ...extraArgs, ...names], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  if (names.some((name) => DAEMON_PACKAGES.has(name))) withoutServiceStarts(install);
  else install();
}

// Debian's policy-rc.d hook (exit 101: "action forbidden") keeps a package's maintainer scripts
// from starting its daemon, e.g. nginx on port 80. An operator's own policy-rc.d is left alone.
const POLICY_RC_D = '/usr/sbin/policy-rc.d';
function withoutServiceStarts(fn) {
  if (existsSync(POLICY_RC_D)) return fn();
  writeFileSync(
    POLICY_RC_D,
    '#!/bin/sh\n# written by summit-bridge setup while it installs packages\nexit 101\n',
    {
      mode: 0o755,
    },
  );
  try {
    return fn();
  } finally {
    rmSync(POLICY_RC_D, { force: true });
  }
}

// Debian 12 ships meson 1.0.1; mediasoup needs >= 1.1, which bookworm-backports has on the same
// mirror. The decision is infra/apt/sources.mjs (pure, tested on fixtures); here only the I/O.
const aptRoot = process.env.SUMMIT_APT_ROOT || '/';

function readAptState() {
  /** @type {Record<string, string>} */
  const files = {};
  const read = (rel) => {
    try {
      files[rel] = readFileSync(join(aptRoot, rel), 'utf8');
    } catch {}
  };
  read('etc/apt/sources.list');
  const dir = join(aptRoot, 'etc/apt/sources.list.d');
  if (existsSync(dir)) for (const name of readdirSync(dir)) read(`etc/apt/sources.list.d/${name}`);
  let osRelease = '';
  try {
    osRelease = readFileSync(join(aptRoot, 'etc/os-release'), 'utf8');
  } catch {}
  return {
    files,
    codename: codenameFromOsRelease(osRelease) ?? 'bookworm',
    keyringExists: existsSync(join(aptRoot, DEBIAN_KEYRING)),
  };
}

function backportsPlan() {
  const { files, codename, keyringExists } = readAptState();
  return planBackportsSource(files, { codename, keyringExists });
}

function sourceIndexPlan() {
  const { files, codename, keyringExists } = readAptState();
  return planSourceIndex(files, { codename, keyringExists });
}

function ensureBackportsSource() {
  const plan = backportsPlan();
  for (const note of plan.notes) log(note);
  const own = join(aptRoot, OWN_SOURCE_FILE);
  if (plan.remove) rmSync(own, { force: true });
  if (plan.write) {
    writeFileSync(join(aptRoot, plan.write.path), plan.write.content);
    log(`wrote ${own} (mirror ${plan.mirror?.uri}, from ${plan.mirror?.from})`);
  }
  if (plan.write || plan.remove) aptUpdated = false;
  return plan;
}

function installMesonFromBackports() {
  const plan = ensureBackportsSource();
  try {
    aptInstall(['meson'], ['-t', plan.suite]);
  } catch (err) {
    const where = plan.mirror
      ? `The setup's source for ${plan.suite} is ${join(aptRoot, OWN_SOURCE_FILE)}, mirror ${plan.mirror.uri} ` +
        `(taken from ${plan.mirror.from}).`
      : `${plan.suite} comes from a source of your own (${plan.notes.join('; ')}).`;
    throw new SetupError(
      `${err.message}\n${where}\nCheck that this mirror serves ${plan.suite} (run apt-get update and read its errors). ` +
        `To use another mirror, add a ${plan.suite} source of your own under /etc/apt/sources.list.d/; the setup ` +
        `then removes its file and uses yours. Or install meson >= 1.1 by hand.`,
    );
  }
}

/** `apt-plan`: what the setup would write and install, without doing either. */
function printAptPlan() {
  const plan = backportsPlan();
  console.log(`apt root: ${aptRoot}`);
  console.log(`suite: ${plan.suite}`);
  console.log(
    plan.mirror ? `mirror: ${plan.mirror.uri} (from ${plan.mirror.from})` : 'mirror: (already served)',
  );
  for (const note of plan.notes) console.log(`note: ${note}`);
  if (plan.remove) console.log(`remove: ${join(aptRoot, OWN_SOURCE_FILE)}`);
  if (plan.write)
    console.log(`write: ${join(aptRoot, plan.write.path)}\n${plan.write.content.replace(/^/gm, '  | ')}`);
  else if (!plan.remove) console.log('write: nothing');
  const missing = missingDebPackages([...WORKER_BUILD_PACKAGES, ...TEST_PACKAGES, ...RUNTIME_PACKAGES]);
  console.log(`install: ${missing.length ? missing.join(' ') : 'nothing'}`);
  console.log(`install from ${plan.suite}: ${mesonOk() ? 'nothing (meson >= 1.1 present)' : 'meson'}`);
  const src = sourceIndexPlan();
  console.log(`source packages: ${src.mirror.uri} ${src.suite} (from ${src.mirror.from})`);
  for (const note of src.notes) console.log(`note: ${note}`);
  console.log(`write: ${join(aptSourceDir, src.file)}\n${src.content.replace(/^/gm, '  | ')}`);
  console.log(`source package: libsrtp2 ${libsrtpVersion()}`);
}

function ensureSystemPackages({ workerBuild, tests, runtime = true, benchWorkers = false }) {
  if (!existsSync('/usr/bin/dpkg-query')) {
    const need = [
      workerBuild && 'the mediasoup worker build tools',
      tests && `the test packages (${TEST_PACKAGES.join(' ')})`,
      runtime && `the runtime packages (${RUNTIME_PACKAGES.join(' ')})`,
    ];
    throw new SetupError(
      `This is not a Debian-based system: install ${need.filter(Boolean).join(' and ')} by hand (see README).`,
    );
  }
  const wanted = [
    ...(workerBuild ? WORKER_BUILD_PACKAGES : []),
    ...(benchWorkers ? BENCH_WORKER_PACKAGES : []),
    ...(tests ? TEST_PACKAGES : []),
    ...(runtime ? RUNTIME_PACKAGES : []),
  ];
  const missing = missingDebPackages(wanted);
  const needMeson = workerBuild && !mesonOk();
  if (missing.length === 0 && !needMeson) return;
  const what = [...missing, ...(needMeson ? ['meson (>= 1.1, from bookworm-backports)'] : [])];
  if (!isRoot) {
    throw new SetupError(
      `Missing system packages: ${what.join(', ')}.\n` +
        `Install them as root (apt-get install ${missing.join(' ')}${needMeson ? ' && apt-get install -t bookworm-backports meson' : ''}) or run this as root.`,
    );
  }
  log(`installing system packages: ${what.join(', ')}`);
  if (missing.length) aptInstall(missing);
  if (needMeson) {
    installMesonFromBackports();
    if (!mesonOk()) throw new SetupError('meson >= 1.1 could not be installed from bookworm-backports.');
  }
}

// ---- the mediasoup worker -------------------------------------------------------------------

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

/**
 * The workers the recipe builds. `ours` is the product's; the other two exist for the benchmark,
 * which measures what each of our changes buys: `debian-libsrtp` is the worker as first built
 * here (SRTP from Debian's NSS-based libsrtp2), `stock-equivalent` has SRTP on OpenSSL like
 * mediasoup's own build but sends one datagram per system call.
 */
const WORKER_VARIANTS = ['ours', 'stock-equivalent', 'debian-libsrtp'];

/**
 * The recipe's files a variant is built from: build.sh and the shims for all; the pinned libsrtp2
 * source for those that build it; the patches (to mediasoup and to libsrtp2) for `ours` only, so
 * that a new patch does not rebuild the benchmark's baselines.
 */
function recipeInputs(variant) {
  return filesUnder(recipeDir).filter((file) => {
    const path = relative(recipeDir, file);
    if (path.startsWith('patches/')) return variant === 'ours';
    if (path === 'libsrtp2.version') return variant !== 'debian-libsrtp';
    return true;
  });
}

// The cache key covers the mediasoup version, the variant and every file of the recipe it is
// built from: build.sh, the shims, the patches and the pinned version of Debian's libsrtp2
// source package.
function builtWorkerPath(variant = 'ours') {
  const hash = createHash('sha256').update(mediasoupVersion).update(variant);
  for (const file of recipeInputs(variant)) hash.update(relative(recipeDir, file)).update(readFileSync(file));
  const suffix = variant === 'ours' ? '' : `-${variant}`;
  return join(
    cacheRoot,
    'mediasoup-worker',
    `${mediasoupVersion}-${hash.digest('hex').slice(0, 12)}${suffix}`,
    'mediasoup-worker',
  );
}

// ---- Debian's libsrtp2 source package -------------------------------------------------------

// The version is pinned in the recipe so that the cache key names the source the worker holds;
// Debian never changes the files of a published version.
const libsrtpVersion = () => readFileSync(join(recipeDir, 'libsrtp2.version'), 'utf8').trim();
// A private apt configuration: source indexes are fetched into the cache, /etc/apt is untouched,
// and no root is needed.
const aptSourceDir = join(cacheRoot, 'apt-src');

function aptSourceOptions() {
  const options = {
    'Dir::Etc::SourceList': '/dev/null',
    'Dir::Etc::SourceParts': join(aptSourceDir, 'sources.list.d'),
    'Dir::State::Lists': join(aptSourceDir, 'lists'),
    'Dir::Cache': join(aptSourceDir, 'cache'),
    // As root apt downloads as the _apt user, who may not enter root's home, where the cache is.
    ...(isRoot ? { 'APT::Sandbox::User': 'root' } : {}),
  };
  return Object.entries(options).flatMap(([key, value]) => ['-o', `${key}=${value}`]);
}

/** The .dsc of libsrtp2's source package, downloaded once into the cache. */
function fetchLibsrtpSource() {
  const version = libsrtpVersion();
  const dir = join(cacheRoot, 'debian-sources', `libsrtp2_${version}`);
  const dsc = join(dir, `libsrtp2_${version.replace(/^\d+:/, '')}.dsc`);
  if (existsSync(dsc)) return dsc;
  const plan = sourceIndexPlan();
  for (const note of plan.notes) log(note);
  for (const sub of ['sources.list.d', 'lists/partial', 'cache/archives/partial'])
    mkdirSync(join(aptSourceDir, sub), { recursive: true });
  writeFileSync(join(aptSourceDir, plan.file), plan.content);
  mkdirSync(dir, { recursive: true });
  log(`fetching Debian's libsrtp2 ${version} source from ${plan.mirror.uri} (from ${plan.mirror.from})`);
  try {
    run('apt-get', [...aptSourceOptions(), '-q', 'update']);
    run('apt-get', [...aptSourceOptions(), '-q', 'source', '--download-only', `libsrtp2=${version}`], {
      cwd: dir,
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const served = output('apt-cache', [...aptSourceOptions(), 'showsrc', '--only-source', 'libsrtp2']);
    const versions = [...(served ?? '').matchAll(/^Version: (.+)$/gm)].map((m) => m[1]);
    throw new SetupError(
      `${err.message}\nThe worker is built from Debian's libsrtp2 ${version} source package (pinned in ` +
        `infra/mediasoup-worker/libsrtp2.version), fetched from ${plan.mirror.uri} ${plan.suite} ` +
        `(${join(aptSourceDir, plan.file)}). The mirror serves: ${versions.join(', ') || 'no libsrtp2 source'}. ` +
        'If it has moved on, check the new version with the recipe and change the pin.',
    );
  }
  if (!existsSync(dsc)) throw new SetupError(`apt-get source left no ${dsc}`);
  return dsc;
}

// mediasoup-worker started without its environment exits with 41: that proves it loads and runs here.
function workerRuns(bin) {
  if (!existsSync(bin)) return false;
  return spawnSync(bin, [], { env: {}, stdio: 'ignore' }).status === 41;
}

function installedMediasoupDir() {
  const dir = join(root, 'node_modules', 'mediasoup');
  return existsSync(join(dir, 'package.json')) ? dir : null;
}

function defaultWorkerBin(mediasoupDir) {
  return join(mediasoupDir, 'worker', 'out', 'Release', 'mediasoup-worker');
}

async function prebuiltReachable() {
  if (process.env.SUMMIT_OFFLINE === '1') return false;
  const base =
    process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ||
    'https://github.com/versatica/mediasoup/releases/download';
  const kernel = Number(output('uname', ['-r'])?.split('.')[0]);
  const url = `${base}/${mediasoupVersion}/mediasoup-worker-${mediasoupVersion}-${process.platform}-${process.arch}-kernel${kernel}.tgz`;
  try {
    const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Decides where the worker comes from, in order: MEDIASOUP_WORKER_BIN given by the operator;
 * one already installed in node_modules; our cached offline build; mediasoup's own prebuilt
 * download when reachable (returns null: npm's postinstall fetches it); else an offline build.
 */
async function ensureWorker({ systemPackages }) {
  const given = process.env.MEDIASOUP_WORKER_BIN;
  if (given) {
    if (!workerRuns(given))
      throw new SetupError(`MEDIASOUP_WORKER_BIN=${given} does not run on this machine.`);
    return given;
  }
  const installed = installedMediasoupDir();
  if (installed && installedIsCurrent(defaultWorkerBin(installed)) && workerRuns(defaultWorkerBin(installed)))
    return defaultWorkerBin(installed);
  if (workerRuns(builtWorkerPath())) return builtWorkerPath();
  if (!installed && (await prebuiltReachable())) {
    log('mediasoup prebuilt worker is reachable: npm install will fetch it');
    return null;
  }
  return buildWorker('ours', { systemPackages });
}

/** A variant of the worker from the cache, built by the recipe when missing. */
function buildWorker(variant, { systemPackages }) {
  const out = builtWorkerPath(variant);
  if (workerRuns(out)) return out;
  const bench = variant === 'debian-libsrtp';
  log(
    `building mediasoup-worker ${mediasoupVersion} (${variant}) from Debian's packages and sources (once, ~8 min on 2 cores)`,
  );
  if (systemPackages) ensureSystemPackages({ workerBuild: true, tests: false, benchWorkers: bench });
  else if (
    !mesonOk() ||
    missingDebPackages([...WORKER_BUILD_PACKAGES, ...(bench ? BENCH_WORKER_PACKAGES : [])]).length
  ) {
    throw new SetupError(
      `Cannot get a mediasoup worker: the prebuilt download is unreachable and the offline build needs ` +
        `${WORKER_BUILD_PACKAGES.join(' ')} and meson >= 1.1.`,
    );
  }
  const env = { ...process.env, ...(bench ? {} : { LIBSRTP_DSC: fetchLibsrtpSource() }) };
  const started = Date.now();
  run('bash', [join(recipeDir, 'build.sh'), mediasoupVersion, out, variant], { env });
  if (!workerRuns(out)) throw new SetupError(`the built worker ${out} does not run on this machine.`);
  log(
    `mediasoup-worker (${variant}) built in ${Math.round((Date.now() - started) / 1000)} s, cached at ${out}`,
  );
  return out;
}

/** mediasoup's Catch2 suite, built from the same sources and patches as our worker, and run. */
function runWorkerTests() {
  if (isRoot) ensureSystemPackages({ workerBuild: true, tests: false });
  // bookworm's catch2 is version 2; mediasoup's tests are written for Catch2 3 (backports).
  const catch2v3 = spawnSync('pkg-config', ['--atleast-version=3', 'catch2']).status === 0;
  if (missingDebPackages(['catch2']).length || !catch2v3) {
    if (!isRoot)
      throw new SetupError(
        "mediasoup's tests need catch2 >= 3 (apt-get install -t bookworm-backports catch2).",
      );
    const plan = ensureBackportsSource();
    aptInstall(['catch2'], ['-t', plan.suite]);
  }
  const env = { ...process.env, LIBSRTP_DSC: fetchLibsrtpSource() };
  run('bash', [join(recipeDir, 'build.sh'), mediasoupVersion, '--tests', 'ours'], { env });
}

// mediasoup's default path is node_modules/mediasoup/worker/out/Release: a link there means the
// server finds the worker at run time without any environment variable.
function linkWorkerIntoMediasoup(workerBin) {
  const dir = installedMediasoupDir();
  if (!dir) throw new SetupError('npm install did not install mediasoup.');
  const target = defaultWorkerBin(dir);
  if (installedIsCurrent(target) && workerRuns(target)) return target;
  if (!workerBin) throw new SetupError('mediasoup installed without a worker binary.');
  mkdirSync(dirname(target), { recursive: true });
  // A link to an earlier recipe's build is replaced; a binary mediasoup installed itself is kept.
  if (isOurLink(target)) rmSync(target);
  if (existsSync(target)) chmodSync(target, 0o755);
  else symlinkSync(workerBin, target);
  return target;
}

/** A link into our worker cache (as opposed to a binary mediasoup's own install put there). */
function isOurLink(path) {
  try {
    return (
      lstatSync(path).isSymbolicLink() && readlinkSync(path).startsWith(join(cacheRoot, 'mediasoup-worker'))
    );
  } catch {
    return false;
  }
}

/** An installed worker is current unless it links to a build of an earlier recipe. */
function installedIsCurrent(path) {
  return !isOurLink(path) || readlinkSync(path) === builtWorkerPath();
}

// ---- npm dependencies and build -------------------------------------------------------------

function dependencyFingerprint() {
  const hash = createHash('sha256');
  for (const file of [
    'package.json',
    'package-lock.json',
    ...['protocol', 'sfu', 'server', 'client', 'testkit', 'e2e'].map((w) => join(w, 'package.json')),
  ]) {
    const path = join(root, file);
    if (existsSync(path)) hash.update(file).update(readFileSync(path));
  }
  return hash.digest('hex');
}

function ensureNpmDependencies(workerBin) {
  const stamp = join(root, 'node_modules', '.summit-bridge-deps');
  const fingerprint = dependencyFingerprint();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint) return;
  const env = { ...process.env, ...(workerBin ? { MEDIASOUP_WORKER_BIN: workerBin } : {}) };
  // `npm install`, not `npm ci`: a registry mirror may lack some optional packages of other
  // platforms (Biome's, for one), which the lockfile then omits and `npm ci` refuses.
  log('installing npm dependencies');
  run('npm', ['install', '--no-audit', '--no-fund'], { env });
  writeFileSync(stamp, dependencyFingerprint());
}

function build() {
  log('building');
  run('npm', ['run', '--silent', 'build']);
}

// ---- tasks ----------------------------------------------------------------------------------

function exec(cmd, args) {
  const child = spawn(cmd, args, { stdio: 'inherit', cwd: root, env: process.env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main() {
  const [task = 'install', ...rest] = process.argv.slice(2);
  const tasks = ['start', 'test', 'install', 'bench', 'apt-plan', 'worker-tests'];
  if (!tasks.includes(task)) throw new SetupError(`unknown task "${task}"; one of ${tasks.join(', ')}`);
  if (task === 'apt-plan') return printAptPlan();
  if (task === 'worker-tests') return runWorkerTests();
  const needsTestTools = task !== 'start';
  if (isRoot) ensureSystemPackages({ workerBuild: false, tests: needsTestTools });
  else if (needsTestTools) {
    const missing = missingDebPackages([...TEST_PACKAGES, ...RUNTIME_PACKAGES]);
    if (missing.length)
      throw new SetupError(
        `Missing system packages for the tests: ${missing.join(', ')} (apt-get install them as root).`,
      );
  } else if (missingDebPackages(RUNTIME_PACKAGES).length)
    log(`note: ${RUNTIME_PACKAGES.join(' ')} is not installed: the demo runs, recording a session fails`);
  const started = Date.now();
  const workerBin = await ensureWorker({ systemPackages: isRoot });
  ensureNpmDependencies(workerBin);
  process.env.MEDIASOUP_WORKER_BIN = linkWorkerIntoMediasoup(workerBin);
  build();
  log(
    `ready in ${((Date.now() - started) / 1000).toFixed(1)} s (worker: ${process.env.MEDIASOUP_WORKER_BIN})`,
  );

  if (task === 'start') exec('node', ['server/dist/main.js', '--demo']);
  else if (task === 'test') exec('node', ['infra/run-tests.mjs', ...rest]);
  else if (task === 'bench') {
    // The SFU benchmark compares the recipe's worker variants: each from the cache, or built.
    if (rest[0] === 'sfu') {
      const workers = Object.fromEntries(
        WORKER_VARIANTS.map((variant) => [variant, buildWorker(variant, { systemPackages: isRoot })]),
      );
      process.env.SUMMIT_BENCH_WORKERS = JSON.stringify(workers);
    }
    exec('node', ['infra/run-bench.mjs', ...rest]);
  }
}

main().catch((err) => {
  console.error(err instanceof SetupError ? `\n[setup] ${err.message}\n` : err);
  // `npm test` always ends with its totals line, even when it could not get as far as the tests.
  if (process.argv[2] === 'test') console.log('\n0 passed, 1 failed');
  process.exit(1);
});
