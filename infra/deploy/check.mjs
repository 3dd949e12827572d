#!/usr/bin/env node
// Checks a Summit Bridge deployment from its configuration, as its operator would before a summit:
//   node infra/deploy/check.mjs /etc/summit-bridge        (a directory: signaling.env,
//                                                          media-node*.env, turnserver.conf)
//   node infra/deploy/check.mjs /etc/summit-bridge/signaling.env
// It reads the files (secrets set and long enough, coturn's secret and peers agreeing with the
// servers') and then reaches what they name: the site over TLS (certificate valid, /healthz, a
// WebSocket through the proxy), Redis (persistence on), every TURN URL (a real allocation with
// credentials made as the server makes them), the media nodes' ports. Prints one line per check;
// exits 1 if any failed. Trusts the system's CAs, and NODE_EXTRA_CA_CERTS (a ministry's own CA).
// Only Node's own modules: it runs on a host that has nothing but the release.
import { createHash, createHmac, createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { isIP, connect as netConnect } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { pathToFileURL } from 'node:url';

const TIMEOUT_MS = 5000;
/** A certificate that ends sooner than this is a warning: renew it before the summit. */
const RENEW_DAYS = 14;

// ---- reading the configuration ----------------------------------------------------------------

/** KEY=value lines as systemd's EnvironmentFile reads them (comments, blank lines, quotes). */
export function parseEnv(text) {
  const env = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match || line.startsWith('#')) continue;
    env[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

/** coturn's `key=value` and bare `flag` lines: every value of each key, in order. */
export function parseTurnConf(text) {
  const conf = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const [key, ...rest] = line.split('=');
    const values = conf.get(key.trim()) ?? [];
    values.push(rest.join('=').trim());
    conf.set(key.trim(), values);
  }
  return conf;
}

/** The deployment's files: a directory like /etc/summit-bridge, or one env file. */
export function readDeployment(path) {
  const dir = statSync(path).isDirectory() ? path : dirname(path);
  const names = statSync(path).isDirectory() ? readdirSync(dir) : [basename(path)];
  const envOf = (name) => parseEnv(readFileSync(join(dir, name), 'utf8'));
  const signaling = names.includes('signaling.env') ? envOf('signaling.env') : null;
  const shared = names.includes('media-node.env') ? envOf('media-node.env') : null;
  const mediaNodes = names
    .filter((n) => /^media-node-.+\.env$/.test(n))
    .map((n) => ({ id: n.slice('media-node-'.length, -'.env'.length), env: { ...shared, ...envOf(n) } }));
  if (shared && mediaNodes.length === 0) mediaNodes.push({ id: 'media-node.env', env: shared });
  const turnPath = join(dir, 'turnserver.conf');
  const turnConf =
    names.includes('turnserver.conf') && existsSync(turnPath) ? readFileSync(turnPath, 'utf8') : null;
  return { dir, signaling, mediaNodes, turnConf: turnConf === null ? null : parseTurnConf(turnConf) };
}

// ---- findings ---------------------------------------------------------------------------------

const pass = (what) => ({ level: 'pass', what });
const warn = (what) => ({ level: 'warn', what });
const fail = (what) => ({ level: 'fail', what });

/** A secret: set, no placeholder left, at least `min` characters. */
function secretFinding(name, value, min) {
  if (!value) return fail(`${name} is not set`);
  if (/CHANGE-ME/i.test(value)) return fail(`${name} still holds the example's placeholder`);
  if (value.length < min) return fail(`${name} is ${value.length} characters, needs at least ${min}`);
  return pass(`${name} set (${value.length} characters)`);
}

/** IPv4 as a number, or null. */
function ipv4(text) {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** Does one of coturn's `a-b` (or single address) ranges hold `ip`? */
function inRanges(ranges, ip) {
  const n = ipv4(ip);
  return ranges.some((range) => {
    const [from, to = from] = range.split('-').map((r) => ipv4(r.trim()));
    return n !== null && from !== null && to !== null && n >= from && n <= to;
  });
}

/** Private ranges a relay must never reach (RFC 1918, loopback, link-local, shared address space). */
const MUST_DENY = ['10.0.0.1', '172.16.0.1', '192.168.0.1', '127.0.0.1', '169.254.0.1', '100.64.0.1'];

/** What can be told from the files alone. */
export function staticFindings({ signaling, mediaNodes, turnConf }) {
  const out = [];
  if (!signaling && mediaNodes.length === 0)
    return [fail('no signaling.env nor media-node*.env: nothing to check')];
  if (signaling) {
    out.push(secretFinding('SUMMIT_JWT_SECRET', signaling.SUMMIT_JWT_SECRET, 32));
    out.push(secretFinding('SUMMIT_ADMIN_TOKEN', signaling.SUMMIT_ADMIN_TOKEN, 16));
    out.push(secretFinding('METRICS_TOKEN', signaling.METRICS_TOKEN, 16));
    if (signaling.MEDIA_NODES === 'registry')
      out.push(secretFinding('MEDIA_NODE_SECRET', signaling.MEDIA_NODE_SECRET, 32));
    if (signaling.TURN_URLS) out.push(secretFinding('TURN_SECRET', signaling.TURN_SECRET, 32));
    else
      out.push(warn('TURN_URLS is not set: sites that can only reach TCP 443 through a proxy cannot join'));
    if (!signaling.PUBLIC_URL?.startsWith('https://'))
      out.push(fail('PUBLIC_URL is not https://: browsers give camera and microphone to secure pages only'));
    if (!signaling.REDIS_URL)
      out.push(warn('REDIS_URL is not set: embedded mode, one instance, nothing persisted'));
  }
  for (const { id, env } of mediaNodes) {
    out.push(secretFinding(`MEDIA_NODE_SECRET of media node ${id}`, env.MEDIA_NODE_SECRET, 32));
    if (signaling?.MEDIA_NODE_SECRET && env.MEDIA_NODE_SECRET !== signaling.MEDIA_NODE_SECRET)
      out.push(fail(`media node ${id}: MEDIA_NODE_SECRET differs from signaling.env's`));
    if (!env.MEDIA_ANNOUNCED_ADDRESS) out.push(fail(`media node ${id}: MEDIA_ANNOUNCED_ADDRESS is not set`));
  }
  if (turnConf) out.push(...turnConfFindings(turnConf, signaling, mediaNodes));
  else if (signaling?.TURN_URLS)
    out.push(warn('no turnserver.conf here: coturn not checked against the servers'));
  return out;
}

function turnConfFindings(conf, signaling, mediaNodes) {
  const out = [];
  const secret = conf.get('static-auth-secret')?.at(-1);
  if (!conf.has('use-auth-secret')) out.push(fail('turnserver.conf: use-auth-secret is missing'));
  out.push(secretFinding('turnserver.conf static-auth-secret', secret, 32));
  if (signaling?.TURN_SECRET && secret !== signaling.TURN_SECRET)
    out.push(fail("turnserver.conf: static-auth-secret is not signaling.env's TURN_SECRET"));
  const denied = conf.get('denied-peer-ip') ?? [];
  const allowed = conf.get('allowed-peer-ip') ?? [];
  const open = MUST_DENY.filter((ip) => !inRanges(denied, ip) || inRanges(allowed, ip));
  if (open.length) out.push(fail(`turnserver.conf: relays may reach private addresses (${open.join(', ')})`));
  else out.push(pass('turnserver.conf: private ranges denied as peers'));
  if (conf.has('allow-loopback-peers'))
    out.push(fail('turnserver.conf: allow-loopback-peers is for tests only'));
  for (const { id, env } of mediaNodes) {
    const address = env.MEDIA_ANNOUNCED_ADDRESS;
    if (address && inRanges(denied, address) && !inRanges(allowed, address))
      out.push(
        fail(
          `turnserver.conf: media node ${id} (${address}) is a denied peer: add allowed-peer-ip=${address}`,
        ),
      );
  }
  for (const key of ['cert', 'pkey']) {
    const file = conf.get(key)?.at(-1);
    if (!file) out.push(fail(`turnserver.conf: no ${key} (TURN over TLS needs it)`));
  }
  const cert = conf.get('cert')?.at(-1);
  const key = conf.get('pkey')?.at(-1);
  if (cert && key) out.push(certificateFileFinding('turnserver.conf cert', cert, key));
  return out;
}

/** A PEM certificate file and its key: readable, matching, valid now and for a while. */
export function certificateFileFinding(name, certFile, keyFile, now = Date.now()) {
  let cert;
  try {
    cert = new X509Certificate(readFileSync(certFile));
  } catch (err) {
    return fail(`${name}: cannot read ${certFile} (${err.message})`);
  }
  try {
    if (keyFile && !cert.checkPrivateKey(createPrivateKey(readFileSync(keyFile))))
      return fail(`${name}: ${keyFile} is not the key of ${certFile}`);
  } catch (err) {
    return fail(`${name}: cannot read ${keyFile} (${err.message})`);
  }
  return validityFinding(name, new Date(cert.validFrom).getTime(), new Date(cert.validTo).getTime(), now);
}

function validityFinding(name, from, to, now) {
  const days = Math.floor((to - now) / 86_400_000);
  if (now < from) return fail(`${name}: not valid before ${new Date(from).toISOString()}`);
  if (now > to) return fail(`${name}: expired on ${new Date(to).toISOString()}`);
  if (days < RENEW_DAYS) return warn(`${name}: expires in ${days} days — renew it`);
  return pass(`${name}: valid for ${days} more days`);
}

// ---- reaching the services --------------------------------------------------------------------

/** Settles with the promise's value, or rejects after `ms`. */
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A TCP port accepts connections. */
export function tcpOpen(host, port) {
  return within(
    TIMEOUT_MS,
    `${host}:${port}`,
    new Promise((resolve, reject) => {
      const socket = netConnect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', reject);
    }),
  );
}

/** The site's certificate as a browser sees it: chain, name, validity. */
async function siteTlsFinding(url, now) {
  const { hostname, port } = new URL(url);
  const cert = await within(
    TIMEOUT_MS,
    url,
    new Promise((resolve, reject) => {
      // Not refused at once: the reason a browser would refuse it is what the operator needs.
      const options = { host: hostname, port: Number(port || 443), rejectUnauthorized: false };
      const socket = tlsConnect(isIP(hostname) ? options : { ...options, servername: hostname }, () => {
        const peer = socket.getPeerCertificate();
        const result = { authorized: socket.authorized, error: socket.authorizationError, peer };
        socket.end();
        resolve(result);
      });
      socket.once('error', reject);
    }),
  );
  if (!cert.authorized) return fail(`TLS of ${url}: ${cert.error}`);
  return validityFinding(
    `TLS certificate of ${url}`,
    Date.parse(cert.peer.valid_from),
    Date.parse(cert.peer.valid_to),
    now,
  );
}

/** GET /healthz through the proxy, and socket.io's WebSocket upgrade (101) through it. */
function httpsGet(url, headers = {}) {
  return within(
    TIMEOUT_MS,
    url,
    new Promise((resolve, reject) => {
      const req = httpsRequest(url, { headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode, body: '' });
      });
      req.once('error', reject);
      req.end();
    }),
  );
}

async function siteFindings(publicUrl, now) {
  const tls = await siteTlsFinding(publicUrl, now);
  // A certificate a browser refuses: nothing behind it can be reached the way participants would.
  if (tls.level === 'fail') return [tls];
  const out = [tls];
  const health = await httpsGet(`${publicUrl}/healthz`);
  out.push(
    health.status === 200 && health.body.includes('"ok"')
      ? pass(`${publicUrl}/healthz answers ok`)
      : fail(`${publicUrl}/healthz answered ${health.status} ${health.body.slice(0, 80)}`),
  );
  const ws = await httpsGet(`${publicUrl}/socket.io/?EIO=4&transport=websocket`, {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
  });
  out.push(
    ws.status === 101
      ? pass(`${publicUrl}: WebSockets reach the signaling server`)
      : fail(`${publicUrl}: a WebSocket upgrade got ${ws.status}, not 101 (does the proxy pass Upgrade?)`),
  );
  return out;
}

// Redis: a few commands over RESP, enough to authenticate and read the persistence settings.

function respCommand(args) {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** One RESP reply from `buf` at `at`: [value, next offset], or null while incomplete. */
function respParse(buf, at = 0) {
  const end = buf.indexOf('\r\n', at);
  if (end < 0) return null;
  const head = buf.toString('utf8', at + 1, end);
  const type = String.fromCharCode(buf[at]);
  if (type === '+' || type === ':') return [head, end + 2];
  if (type === '-') return [new Error(head), end + 2];
  if (type === '$') {
    const len = Number(head);
    if (len < 0) return [null, end + 2];
    return buf.length >= end + 2 + len + 2
      ? [buf.toString('utf8', end + 2, end + 2 + len), end + 4 + len]
      : null;
  }
  const items = [];
  let next = end + 2;
  for (let i = 0; i < Number(head); i++) {
    const item = respParse(buf, next);
    if (!item) return null;
    items.push(item[0]);
    next = item[1];
  }
  return [items, next];
}

/** Sends the commands in order and collects one reply each. */
function redisAsk(redisUrl, commands) {
  const url = new URL(redisUrl);
  const password = decodeURIComponent(url.password);
  const user = decodeURIComponent(url.username);
  const all = [...(password ? [user ? ['AUTH', user, password] : ['AUTH', password]] : []), ...commands];
  return within(
    TIMEOUT_MS,
    `Redis at ${url.host}`,
    new Promise((resolve, reject) => {
      const socket = netConnect({ host: url.hostname, port: Number(url.port || 6379) });
      let buf = Buffer.alloc(0);
      socket.on('connect', () => socket.write(all.map(respCommand).join('')));
      socket.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        const replies = [];
        for (let at = 0, r = respParse(buf, at); r; r = respParse(buf, at)) {
          replies.push(r[0]);
          at = r[1];
        }
        if (replies.length < all.length) return;
        socket.destroy();
        resolve(replies.slice(all.length - commands.length));
      });
      socket.once('error', reject);
    }),
  );
}

async function redisFindings(redisUrl) {
  const [ping, aof, save] = await redisAsk(redisUrl, [
    ['PING'],
    ['CONFIG', 'GET', 'appendonly'],
    ['CONFIG', 'GET', 'save'],
  ]);
  const host = new URL(redisUrl).host;
  if (ping instanceof Error) return [fail(`Redis at ${host}: ${ping.message}`)];
  if (aof instanceof Error)
    return [warn(`Redis at ${host}: cannot read its persistence settings (${aof.message})`)];
  const appendOnly = aof[1] === 'yes';
  const snapshots = typeof save[1] === 'string' && save[1].trim() !== '';
  return [
    appendOnly || snapshots
      ? pass(
          `Redis at ${host}: persistence on (${[appendOnly && 'AOF', snapshots && `snapshots "${save[1]}"`].filter(Boolean).join(', ')})`,
        )
      : fail(
          `Redis at ${host}: persistence off (appendonly no, save ""): a Redis restart loses every summit`,
        ),
  ];
}

// TURN: a real Allocate (RFC 5766) with long-term credentials made as the server makes them.

const MAGIC = 0x2112a442;
const ATTR = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  LIFETIME: 0x000d,
  REALM: 0x0014,
  NONCE: 0x0015,
  REQUESTED_TRANSPORT: 0x0019,
};

function stunAttribute(type, value) {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

/** A STUN request; with `key`, signed by MESSAGE-INTEGRITY (HMAC-SHA1 over what precedes it). */
function stunRequest(method, attributes, key) {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(method, 0);
  header.writeUInt32BE(MAGIC, 4);
  randomBytes(12).copy(header, 8);
  let body = Buffer.concat(attributes);
  if (key) {
    header.writeUInt16BE(body.length + 24, 2);
    const mac = createHmac('sha1', key)
      .update(Buffer.concat([header, body]))
      .digest();
    body = Buffer.concat([body, stunAttribute(ATTR.MESSAGE_INTEGRITY, mac)]);
  }
  header.writeUInt16BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function stunParse(msg) {
  const type = msg.readUInt16BE(0);
  const attrs = new Map();
  for (let at = 20; at + 4 <= msg.length; ) {
    const attrType = msg.readUInt16BE(at);
    const len = msg.readUInt16BE(at + 2);
    attrs.set(attrType, msg.subarray(at + 4, at + 4 + len));
    at += 4 + Math.ceil(len / 4) * 4;
  }
  const error = attrs.get(ATTR.ERROR_CODE);
  const code = error ? error[2] * 100 + error[3] : null;
  return { success: (type & 0x0110) === 0x0100, code, reason: error?.subarray(4).toString() ?? '', attrs };
}

/** A STUN transaction channel over UDP, TCP or TLS to one TURN URL. */
function stunChannel({ host, port, transport, secure }) {
  const pending = [];
  let buf = Buffer.alloc(0);
  const deliver = (msg) => pending.shift()?.resolve(msg);
  const failAll = (err) => {
    for (const p of pending.splice(0)) p.reject(err);
  };
  let send;
  let close;
  let ready;
  if (transport === 'udp') {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.on('message', deliver);
    socket.on('error', failAll);
    send = (msg) => socket.send(msg, port, host);
    close = () => socket.close();
    ready = Promise.resolve();
  } else {
    const socket = secure
      ? tlsConnect(isIP(host) ? { host, port } : { host, port, servername: host })
      : netConnect({ host, port });
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 20 && buf.length >= 20 + buf.readUInt16BE(2)) {
        const size = 20 + buf.readUInt16BE(2);
        deliver(buf.subarray(0, size));
        buf = buf.subarray(size);
      }
    });
    socket.on('error', failAll);
    send = (msg) => socket.write(msg);
    close = () => socket.destroy();
    ready = new Promise((resolve, reject) => {
      socket.once(secure ? 'secureConnect' : 'connect', resolve);
      socket.once('error', reject);
    });
  }
  const ask = async (msg) => {
    await ready;
    // UDP may lose a datagram: send again, as STUN clients do.
    const answer = new Promise((resolve, reject) => pending.push({ resolve, reject }));
    send(msg);
    const resend = transport === 'udp' ? setInterval(() => send(msg), 500) : null;
    try {
      return stunParse(await answer);
    } finally {
      clearInterval(resend);
    }
  };
  return { ask, close };
}

/** `turn:host:port?transport=tcp` → where and how to reach it. */
export function parseTurnUrl(url) {
  const match = /^(turns?):(\[[^\]]+\]|[^:?]+)(?::(\d+))?(?:\?transport=(udp|tcp))?$/i.exec(url);
  if (!match) return null;
  const secure = match[1].toLowerCase() === 'turns';
  return {
    secure,
    host: match[2].replace(/^\[|\]$/g, ''),
    port: Number(match[3] ?? (secure ? 5349 : 3478)),
    transport: secure ? 'tls' : (match[4]?.toLowerCase() ?? 'udp'),
  };
}

/** An allocation through one TURN URL, released at once: credentials, reachability, TLS. */
export async function turnAllocates(url, secret, ttlSec = 300) {
  const target = parseTurnUrl(url);
  if (!target) return fail(`TURN URL ${url} is malformed`);
  const username = `${Math.floor(Date.now() / 1000) + ttlSec}:deploy-check`;
  const password = createHmac('sha1', secret).update(username).digest('base64');
  const udp = Buffer.from([17, 0, 0, 0]);
  const channel = stunChannel(target);
  try {
    return await within(
      TIMEOUT_MS,
      url,
      (async () => {
        const first = await channel.ask(stunRequest(0x0003, [stunAttribute(ATTR.REQUESTED_TRANSPORT, udp)]));
        if (first.code !== 401)
          return fail(`TURN ${url}: expected a 401 challenge, got ${first.code ?? 'success'}`);
        const realm = first.attrs.get(ATTR.REALM);
        const nonce = first.attrs.get(ATTR.NONCE);
        const key = createHash('md5').update(`${username}:${realm}:${password}`).digest();
        const auth = [
          stunAttribute(ATTR.USERNAME, Buffer.from(username)),
          stunAttribute(ATTR.REALM, realm),
          stunAttribute(ATTR.NONCE, nonce),
        ];
        const allocated = await channel.ask(
          stunRequest(0x0003, [stunAttribute(ATTR.REQUESTED_TRANSPORT, udp), ...auth], key),
        );
        if (!allocated.success)
          return fail(
            `TURN ${url}: allocation refused (${allocated.code} ${allocated.reason}): is TURN_SECRET coturn's static-auth-secret?`,
          );
        // Lifetime 0: give the relay back now rather than in 10 minutes.
        await channel.ask(stunRequest(0x0004, [stunAttribute(ATTR.LIFETIME, Buffer.alloc(4)), ...auth], key));
        return pass(`TURN ${url}: allocation with the servers' credentials succeeded`);
      })(),
    );
  } catch (err) {
    return fail(`TURN ${url}: ${err.message}`);
  } finally {
    channel.close();
  }
}

/** A check that throws (a refused connection, a timeout) is a failed check, not a crash. */
async function attempt(what, fn) {
  try {
    return await fn();
  } catch (err) {
    return [fail(`${what}: ${err.message}`)];
  }
}

/** What can be told only by reaching the services the files name. */
export async function liveFindings({ signaling, mediaNodes }, now = Date.now()) {
  const out = [];
  if (signaling?.PUBLIC_URL?.startsWith('https://'))
    out.push(
      ...(await attempt(signaling.PUBLIC_URL, () =>
        siteFindings(signaling.PUBLIC_URL.replace(/\/+$/, ''), now),
      )),
    );
  const redisUrls = new Set(
    [signaling?.REDIS_URL, ...mediaNodes.map((n) => n.env.REDIS_URL)].filter(Boolean),
  );
  for (const url of redisUrls)
    out.push(...(await attempt(`Redis at ${new URL(url).host}`, () => redisFindings(url))));
  if (signaling?.TURN_URLS && signaling.TURN_SECRET) {
    const urls = signaling.TURN_URLS.split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    out.push(...(await Promise.all(urls.map((url) => turnAllocates(url, signaling.TURN_SECRET)))));
  }
  for (const { id, env } of mediaNodes) {
    const host = env.MEDIA_ANNOUNCED_ADDRESS;
    const base = Number(env.MEDIA_PORT || 40000);
    const workers = Number(env.MEDIA_WORKERS || 1);
    const ports = [...Array(workers).keys()].map((i) => base + i);
    // WebRtcServers listen on TCP too: a TCP connect proves the port is open from here.
    if (host)
      out.push(
        ...(await attempt(`media node ${id}`, () => portsFinding(`media node ${id} media`, host, ports))),
      );
    const controlHost = env.MEDIA_NODE_CONTROL_HOST || host;
    const control = Number(env.MEDIA_NODE_CONTROL_PORT || 4443);
    if (controlHost)
      out.push(
        ...(await attempt(`media node ${id}`, () =>
          portsFinding(`media node ${id} control`, controlHost, [control]),
        )),
      );
  }
  return out;
}

async function portsFinding(what, host, ports) {
  await Promise.all(ports.map((port) => tcpOpen(host, port)));
  return [pass(`${what} port${ports.length > 1 ? 's' : ''} ${ports.join(', ')} open on ${host}`)];
}

// ---- the command ------------------------------------------------------------------------------

const mark = { pass: '✓', warn: '!', fail: '✗' };

async function main() {
  const path = process.argv[2];
  if (!path || !existsSync(path)) {
    console.error('usage: node infra/deploy/check.mjs <directory like /etc/summit-bridge | an env file>');
    process.exit(2);
  }
  const deployment = readDeployment(path);
  const findings = [...staticFindings(deployment), ...(await liveFindings(deployment))];
  for (const f of findings) console.log(`${mark[f.level]} ${f.what}`);
  const failed = findings.filter((f) => f.level === 'fail').length;
  const warned = findings.filter((f) => f.level === 'warn').length;
  console.log(`\n${findings.length - failed - warned} checks passed, ${failed} failed, ${warned} warnings`);
  process.exit(failed ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
