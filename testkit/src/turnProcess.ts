// A real TURN relay for tests: Debian's coturn (turnserver) on free ports of 127.0.0.1, with the
// TURN REST API scheme (use-auth-secret) the signaling server's credentials are made for, TURN
// over UDP and TCP on one port and over TLS on another, its certificate issued by a test CA.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild, whenListening } from './processes.js';
import type { Issued } from './testCertificates.js';

export interface TurnServer {
  /** UDP and TCP. */
  port: number;
  tlsPort: number;
  secret: string;
  realm: string;
  /** turn: URLs over UDP and TCP, turns: over TLS, as the signaling server's TURN_URLS takes them. */
  urls: { udp: string; tcp: string; tls: string };
  output(): string;
  stop(): Promise<void>;
}

const turnserverBin = process.env.TURNSERVER_BIN ?? '/usr/bin/turnserver';

export interface TurnOptions {
  secret: string;
  certificate: Issued;
  /**
   * Peers the relay may send to, besides the denied private ranges: the media nodes' addresses
   * (production allows its media nodes the same way; here they are on loopback).
   */
  allowedPeers: string[];
}

/** Starts a fresh coturn; `stop()` ends it and removes its directory. */
export async function startTurn(options: TurnOptions): Promise<TurnServer> {
  const dir = mkdtempSync(join(tmpdir(), 'summit-turn-'));
  const [port, tlsPort] = [await freePort(), await freePort()];
  // Relay ports: a window of its own, so that parallel runs rarely meet.
  const minPort = 50_000 + Math.floor(Math.random() * 40) * 200;
  const realm = 'summit-bridge.test';
  const config = [
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `listening-port=${port}`,
    `tls-listening-port=${tlsPort}`,
    `min-port=${minPort}`,
    `max-port=${minPort + 199}`,
    'use-auth-secret',
    `static-auth-secret=${options.secret}`,
    `realm=${realm}`,
    `cert=${options.certificate.certFile}`,
    `pkey=${options.certificate.keyFile}`,
    'fingerprint',
    'no-cli',
    'no-multicast-peers',
    // Loopback peers are refused unless allowed; then only the media node's addresses are.
    'allow-loopback-peers',
    'denied-peer-ip=127.0.0.0-127.255.255.255',
    ...options.allowedPeers.map((ip) => `allowed-peer-ip=${ip}`),
    `userdb=${join(dir, 'turndb')}`,
    `pidfile=${join(dir, 'turnserver.pid')}`,
    'log-file=stdout',
    'simple-log',
  ];
  writeFileSync(join(dir, 'turnserver.conf'), `${config.join('\n')}\n`);
  const child: ChildProcess = spawn(turnserverBin, ['-c', join(dir, 'turnserver.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const onData = (chunk: Buffer) => {
    log += chunk.toString();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await whenListening(child, [port, tlsPort], () => `turnserver did not start:\n${log}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port,
    tlsPort,
    secret: options.secret,
    realm,
    urls: {
      udp: `turn:127.0.0.1:${port}?transport=udp`,
      tcp: `turn:127.0.0.1:${port}?transport=tcp`,
      tls: `turns:127.0.0.1:${tlsPort}?transport=tcp`,
    },
    output: () => log,
    stop,
  };
}
